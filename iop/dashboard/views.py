import time

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from aftercare import selectors as aftercare_selectors
from billing.selectors.authorizations import counselor_alerts
from groups import selectors as group_selectors
from iop import horizon
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.accounts.mfa.decorators import reauth_required
from iop.audit.models import AuditEvent
from iop.audit.policy import clients_visible_to
from iop.audit.services import audit_list_view, audit_record
from iop.clients.models import Client, Episode
from iop.clients.selectors import clinical
from iop.dashboard import apps, caseload, drilldown, program, selectors, teds
from iop.exports import export_response
from iop.extensions import role_pages_for
from iop.formtools import plain_text_400
from iop.reminders.models import Reminder
from iop.reminders.services import heartbeat_last, oldest_due_pending_age
from iop.replica import replica_reads, replica_state
from outcomes import selectors as outcome_selectors
from outcomes.selectors import not_on_track

# Beat runs the heartbeat every minute; three missed runs mean trouble.
HEARTBEAT_STALE_SECONDS = 180
# The worker sends its first heartbeat when ready; until this long after the
# web process started, no heartbeat yet means "starting", not "never".
HEARTBEAT_FIRST_WAIT_SECONDS = 90
# The dispatcher runs every minute: a due reminder older than five is stuck.
OUTBOX_STALE_SECONDS = 300


def _heartbeat_status() -> dict:
    beat = heartbeat_last()
    if beat is None:
        waiting = time.monotonic() - apps.STARTED < HEARTBEAT_FIRST_WAIT_SECONDS
        return {"last_run_at": None, "age_seconds": None, "ok": False, "waiting": waiting}
    age = (timezone.now() - beat.last_run_at).total_seconds()
    return {
        "last_run_at": beat.last_run_at,
        "age_seconds": int(age),
        "ok": age <= HEARTBEAT_STALE_SECONDS,
        "hostname": beat.hostname,
        "runs": beat.runs,
    }


@role_required(*roles.ALL_ROLES)
@replica_reads
def home(request):
    if not request.user.has_role(*roles.RECORD_ROLES):
        # A role that does not read the record (billing) has its own home.
        pages = role_pages_for(request.user)
        if pages is not None:
            return redirect(pages.home)
    visible = clients_visible_to(request.user)
    context = {}
    if request.user.is_counselor and not request.user.sees_whole_program:
        # The policy's subqueries run once here rather than in each figure
        # below; a counselor sees a caseload, so the list stays short.
        visible = Client.objects.filter(
            pk__in=list(visible.order_by().values_list("pk", flat=True))
        )
    if request.user.is_counselor:
        context["phase_counts"], context["my_phase_counts"] = (
            selectors.open_episodes_by_phase_and_own(visible, counselor=request.user)
        )
    else:
        context["phase_counts"] = selectors.open_episodes_by_phase(visible)
    if request.user.sees_whole_program:
        context["caseloads"] = selectors.caseload_by_counselor(visible)
    if request.user.is_counselor:
        sort = request.GET.get("sort", "name")
        context["sort"] = sort if sort in caseload.SORTS else "name"
        context["caseload"] = caseload.caseload_rows(
            visible, counselor=request.user, sort=context["sort"]
        )
    if request.user.has_role(*roles.CLINICIANS):
        # Three missed aftercare check-ins in a row (DOMAIN.md section 7).
        context["aftercare_flagged"] = list(
            aftercare_selectors.flagged_clients(visible).order_by("legal_last_name")[:20]
        )
    # The caseload table and the flagged list name clients: one view event each.
    listed = [row["client"] for row in context.get("caseload", [])]
    audit_list_view(request, clients=listed + context.get("aftercare_flagged", []), name="home")
    return render(request, "dashboard/home.html", context)


def _outbox_status() -> dict:
    age = oldest_due_pending_age()
    counts = dict(Reminder.objects.values_list("status").annotate(n=Count("id")).order_by("status"))
    return {
        "oldest_due_seconds": age,
        "ok": age is None or age <= OUTBOX_STALE_SECONDS,
        "counts": sorted(counts.items()),
    }


@role_required(roles.ADMINISTRATOR)
def system_status(request):
    context = {
        "heartbeat": _heartbeat_status(),
        "outbox": _outbox_status(),
        # Measured now, not the state cached for routing.
        "replica": replica_state(fresh=True),
        "replica_max_lag": settings.REPLICA_MAX_LAG_SECONDS,
    }
    return render(request, "dashboard/system_status.html", context)


@never_cache
@require_GET
def health(request):
    """Liveness for load balancers: no client data, no authentication."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    heartbeat = _heartbeat_status()
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "worker_heartbeat_age_seconds": heartbeat["age_seconds"],
            "worker_ok": heartbeat["ok"],
            "reminders_oldest_due_seconds": oldest_due_pending_age(),
        }
    )


@role_required(*roles.CLINICIANS)
@require_GET
def my_day(request):
    """Today's groups and individual sessions with links to document them,
    the last 7 days' group sessions whose notes are not signed, and the
    measures due of the clients the user may see. The clients named are
    each audited as seen on the list."""
    context = group_selectors.counselor_day(request.user)
    context["measures_due"] = outcome_selectors.measures_due_today(request.user, context["day"])
    audit_list_view(
        request,
        clients=[appointment.client for appointment in context["appointments"]]
        + [due.client for due in context["measures_due"]],
        name="my_day",
    )
    return render(request, "dashboard/my_day.html", context)


REVIEWS_PER_PAGE = 50
# Supervisors' list of drafts their author can no longer open: the oldest.
STRANDED_DRAFTS_SHOWN = 50
# Clients not on track listed by name (a supervisor's covers the program).
NOT_ON_TRACK_SHOWN = 50


@role_required(*roles.CLINICIANS)
@require_GET
def worklists(request):
    """What needs doing: unsigned notes, co-signatures (supervisors), plan
    reviews that are due, today's random drug tests, and the clients whose
    measures say they are not on track (outcomes.rules). Every client named
    is one the user may open, and is audited as seen on the list; a draft
    whose client the author can no longer open is listed without the name."""
    user = request.user
    visible = clients_visible_to(user)
    supervisor = user.is_supervisor
    # A supervisor's reviews cover the whole program: a page at a time.
    reviews = Paginator(
        clinical.plans_due_for_review(visible, counselor=None if supervisor else user),
        REVIEWS_PER_PAGE,
    ).get_page(request.GET.get("reviews_page"))
    context = {
        "unsigned_notes": list(clinical.unsigned_session_notes(user)),
        "unsigned_groups": list(group_selectors.unsigned_group_sessions(user)),
        "reviews_due": list(reviews.object_list),
        "reviews_page": reviews,
        "tests_due": clinical.drug_tests_due(visible),
        "cosign_notes": list(clinical.notes_awaiting_cosignature(visible)) if supervisor else [],
        "cosign_groups": list(group_selectors.sessions_awaiting_cosignature())
        if supervisor
        else [],
        "stranded_drafts": list(
            clinical.drafts_beyond_their_author(visible)[:STRANDED_DRAFTS_SHOWN]
        )
        if supervisor
        else [],
        # Authorizations of the clients the user is primary counselor of.
        "authorization_alerts": counselor_alerts(user, timezone.localdate()),
    }
    # Active episodes of the clients the user may see (a supervisor: the program).
    flagged = not_on_track(visible)
    context["not_on_track"] = flagged[:NOT_ON_TRACK_SHOWN]
    context["not_on_track_total"] = len(flagged)
    notes = [note for note in context["unsigned_notes"] if note.client_visible]
    notes += context["cosign_notes"] + context["stranded_drafts"]
    named = [note.appointment.client for note in notes]
    named += [plan.client for plan in context["reviews_due"]] + context["tests_due"]
    named += [alert.client for alert in context["authorization_alerts"]]
    named += [item.client for item in context["not_on_track"]]
    audit_list_view(request, clients=named, name="worklists")
    return render(request, "dashboard/worklists.html", context)


CSV_TABLES = {
    "caseload": (
        ["counselor", "intensive", "aftercare", "total"],
        lambda f: [[r["name"], r["intensive"], r["aftercare"], r["total"]] for r in f["caseloads"]],
    ),
    "months": (
        ["month", "admissions", "discharges"],
        lambda f: [
            [r["month"].isoformat()[:7], r["admissions"], r["discharges"]] for r in f["by_month"]
        ],
    ),
    "attendance-tracks": (
        ["track", "attended", "absent", "rate_percent"],
        lambda f: [
            [r["key"], r["attended"], r["absent"], r["rate"]] for r in f["attendance_by_track"]
        ],
    ),
    "attendance-counselors": (
        ["counselor", "attended", "absent", "rate_percent"],
        lambda f: [
            [r["key"], r["attended"], r["absent"], r["rate"]] for r in f["attendance_by_counselor"]
        ],
    ),
    "retention": (
        ["days", "cohort", "admitted", "retained", "rate_percent"],
        lambda f: [
            [days, r["cohort"].isoformat()[:7], r["admitted"], r["retained"], r["rate"]]
            for days, rows in f["retention"].items()
            for r in rows
        ],
    ),
    "discharge-reasons": (
        ["teds_code", "reason", "count", "share_percent"],
        lambda f: [
            [r["code"], r["label"], r["count"], r["share"]] for r in f["outcomes"].by_reason
        ],
    ),
    "unsigned": (
        ["counselor", "unsigned_over_72h"],
        lambda f: [[r["name"], r["count"]] for r in f["unsigned"]],
    ),
    "iet": (
        ["measure", "denominator", "numerator", "rate_percent"],
        lambda f: [
            ["initiation", f["iet"]["cohort"], f["iet"]["initiated"], f["iet"]["initiation_rate"]],
            ["engagement", f["iet"]["initiated"], f["iet"]["engaged"], f["iet"]["engagement_rate"]],
        ],
    ),
    "diagnoses": (
        ["substance_class", "episodes"],
        lambda f: [[r["key"], r["episodes"]] for r in f["diagnoses"]],
    ),
    "teds-missing": (
        ["month", "admissions", "incomplete", "items_required", "items_missing", "share_percent"],
        lambda f: [
            [
                r["month"].isoformat()[:7],
                r["admissions"],
                r["incomplete"],
                r["required"],
                r["missing"],
                r["share"],
            ]
            for r in f["teds_missing"]
        ],
    ),
}


@role_required(roles.ADMINISTRATOR, roles.SUPERVISOR)
@reauth_required(only_if=lambda request: request.GET.get("export") in {*TEDS_EXPORTS, *CSV_TABLES})
@require_GET
@replica_reads
def program_dashboard(request):
    """The program's measures, filterable by period, counselor, track and
    level of care; invalid filters are reported and ignored."""
    today = timezone.localdate()
    form = program.DashboardFilterForm(request.GET or None)
    start, end = program.default_period(today)
    filters = {}
    if request.GET and not form.is_valid():
        messages.warning(request, _("Some filters were not valid and were ignored."))
    elif form.is_bound:
        data = form.cleaned_data
        start, end = data["start"] or start, data["end"] or end
        filters = {"counselor": data["counselor"], "track": data["track"], "level": data["level"]}
    export = request.GET.get("export")
    if export in TEDS_EXPORTS:
        return _teds_response(request, export, clients_visible_to(request.user), start, end)
    figures = program.program_measures(
        clients=clients_visible_to(request.user),
        start=start,
        end=end,
        whole_program=request.user.sees_whole_program,
        **filters,
    )
    if export in CSV_TABLES:
        return _csv_response(request, export, figures)
    filters_query = program.filter_query(request.GET)
    context = {
        "form": form,
        "start": start,
        "end": end,
        "f": figures,
        "charts": program.chart_data(figures, filters=filters_query),
        "filters": filters_query,
    }
    return render(request, "dashboard/program.html", context)


def _csv_response(request, name: str, figures: dict) -> HttpResponse:
    header, rows = CSV_TABLES[name]
    response = export_response(f"openiop-{name}", {f"openiop-{name}.csv": (header, rows(figures))})
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        request=request,
        details={"export": name},
    )
    return response


# ?export=: admissions and discharges in separate files and as one, or one file alone.
TEDS_EXPORTS = {
    "teds": (teds.ADMISSIONS, teds.DISCHARGES, teds.EPISODES),
    "teds-a": (teds.ADMISSIONS,),
    "teds-d": (teds.DISCHARGES,),
}


def _teds_response(request, export: str, clients, start, end) -> HttpResponse:
    """The TEDS records of the period (iop.dashboard.teds), audited with the
    number of rows of each file."""
    records = teds.teds_records(clients, start=start, end=end)
    which = TEDS_EXPORTS[export]
    suffix = f"{start.isoformat()}-{end.isoformat()}"
    response = export_response(
        f"openiop-{export}-{suffix}", teds.teds_files(records, which, suffix=suffix)
    )
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        request=request,
        details={"export": export, **{kind: len(records[kind]) for kind in which}},
    )
    return response


@role_required(roles.ADMINISTRATOR, roles.SUPERVISOR)
@require_GET
@replica_reads
def program_clients(request):
    """The clients behind one figure of the program dashboard, with the same
    filters, within the access policy."""
    today = timezone.localdate()
    form = program.DashboardFilterForm(request.GET or None)
    start, end = program.default_period(today)
    episodes = Episode.objects.all()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        start, end = data["start"] or start, data["end"] or end
        if data["counselor"]:
            episodes = episodes.filter(primary_counselor=data["counselor"])
        if data["level"]:
            episodes = episodes.filter(level_of_care=data["level"])
    key = request.GET.get("figure", "")
    try:
        clients = drilldown.figure_clients(
            key,
            clients=clients_visible_to(request.user),
            episodes=episodes,
            params=request.GET,
            start=start,
            end=end,
        )
    except horizon.OutOfHorizon as error:
        return plain_text_400(error.messages)
    page = Paginator(clients, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read once: listed, then audited
    figure = key if key in drilldown.FIGURES else "unknown"
    audit_list_view(request, clients=page.object_list, name=f"figure:{figure}")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": drilldown.FIGURES.get(key, ("Unknown figure",))[0],
        "page": page,
        "start": start,
        "end": end,
        "query_string": query.urlencode(),
        "back": program.filter_query(request.GET).urlencode(),
    }
    return render(request, "dashboard/program_clients.html", context)
