"""The outcome dashboard (iop.dashboard.outcomes), its drill-downs and its
export. Administrators and supervisors see the program's admissions; a
counselor sees those of which they are primary counselor."""

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from iop import horizon
from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.accounts.mfa.decorators import reauth_required
from iop.audit.models import AuditEvent
from iop.audit.policy import clients_visible_to
from iop.audit.services import audit_list_view, audit_record
from iop.dashboard import outcomes
from iop.dashboard.program import clean_period, default_period
from iop.exports import export_response
from iop.replica import replica_reads

ROLES = (roles.ADMINISTRATOR, roles.SUPERVISOR, roles.COUNSELOR)


class PeriodForm(forms.Form):
    start = horizon.QueryDateField(
        label=gettext_lazy("Admitted from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    end = horizon.QueryDateField(
        label=gettext_lazy("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )

    def clean(self):
        return clean_period(self, super().clean())


def _period(request):
    """The form, the period (the last 12 months unless a valid one was
    asked) and the period as a query string for links."""
    form = PeriodForm(request.GET or None)
    start, end = default_period(timezone.localdate())
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    elif form.is_bound:
        messages.warning(request, _("Some filters were not valid and were ignored."))
    query = QueryDict(mutable=True)
    query.update({"start": start.isoformat(), "end": end.isoformat()})
    return form, start, end, query


def _outcomes(request, start, end):
    # A counselor sees their own caseload's admissions, within the policy.
    counselor = None if request.user.sees_whole_program else request.user
    return outcomes.cohort_outcomes(
        clients_visible_to(request.user), start=start, end=end, counselor=counselor
    )


def _cells(row: dict) -> dict:
    """A summary row with its cells in column order, for the template."""
    return {
        **row,
        "key_quoted": quote(row["key"], safe=""),
        "completion_cells": [
            (code, row["completion"][code]) for code in ("any", *outcomes.rules.INSTRUMENTS)
        ],
        "change_cells": [(key, row["change"][key]) for key, _c, _s in outcomes.CHANGES],
        "improved_cells": [(key, row["improved"][key]) for key in outcomes.IMPROVED],
    }


def _is_export(request) -> bool:
    return request.GET.get("export") == "csv"


@role_required(*ROLES)
@reauth_required(only_if=_is_export)
@require_GET
@replica_reads
def outcome_dashboard(request):
    form, start, end, period = _period(request)
    cohort = _outcomes(request, start, end)
    tables = outcomes.grouped(cohort)
    trend = outcomes.bam_use_trend(cohort)
    if _is_export(request):
        return _export(request, tables, trend, start, end)
    overall = _cells(tables["all"][0] if tables["all"] else {"key": "all", **outcomes.summary([])})
    charts = {
        "improved_labels": [*outcomes.IMPROVED, "PHQ-9 remission"],
        "improved_shares": [
            *(overall["improved"][key]["share"] for key in outcomes.IMPROVED),
            overall["remission"]["share"],
        ],
        "months": [row["month"] for row in trend],
        "bam_use": [row["mean"] for row in trend],
    }
    context = {
        "form": form,
        "start": start,
        "end": end,
        "period": period.urlencode(),
        "overall": overall,
        "tables": [
            (by, title, [_cells(row) for row in tables[by]])
            for by, title in (
                ("all", _("All admissions")),
                ("track", _("By Matrix track")),
                ("counselor", _("By primary counselor")),
                ("level", _("By level of care")),
            )
        ],
        "trend": trend,
        "charts": charts,
        "instruments": outcomes.rules.INSTRUMENTS,
        "changes": [key for key, _code, _composite in outcomes.CHANGES],
        "improved_keys": outcomes.IMPROVED,
        "clients_url": reverse("dashboard:outcome-clients"),
    }
    return render(request, "dashboard/outcomes.html", context)


def _csv_rows(tables):
    for by in outcomes.GROUPINGS:
        for row in tables[by]:
            yield [
                by,
                row["label"],
                row["admissions"],
                *(
                    row["completion"][code]["share"]
                    for code in ("any", *outcomes.rules.INSTRUMENTS)
                ),
                *(row["change"][key]["mean"] for key, _c, _s in outcomes.CHANGES),
                *(row["improved"][key]["share"] for key in outcomes.IMPROVED),
                row["remission"]["share"],
            ]


CSV_HEADER = [
    "grouping",
    "group",
    "admissions",
    "completion_any_percent",
    *(f"completion_{code}_percent" for code in ("PHQ-9", "GAD-7", "BAM")),
    *(f"mean_change_{key.replace(' ', '_')}" for key, _c, _s in outcomes.CHANGES),
    *(f"improved_{key.replace(' ', '_')}_percent" for key in outcomes.IMPROVED),
    "remission_PHQ-9_percent",
]


def _export(request, tables, trend, start, end) -> HttpResponse:
    """The dashboard's tables as CSV in the ZIP with the Part 2 notice."""
    suffix = f"{start.isoformat()}-{end.isoformat()}"
    response = export_response(
        f"openiop-outcomes-{suffix}",
        {
            f"openiop-outcomes-{suffix}.csv": (CSV_HEADER, list(_csv_rows(tables))),
            f"openiop-bam-use-by-month-{suffix}.csv": (
                ["month_of_treatment", "admissions_with_bam", "mean_bam_use"],
                [[row["month"], row["n"], row["mean"]] for row in trend],
            ),
        },
    )
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        request=request,
        details={"export": "outcomes", "admissions": tables["all"][0]["admissions"]}
        if tables["all"]
        else {"export": "outcomes", "admissions": 0},
    )
    return response


@role_required(*ROLES)
@require_GET
@replica_reads
def outcome_clients(request):
    """The clients behind one cell of the outcome dashboard, within the
    access policy, audited as a list."""
    _form, start, end, period = _period(request)
    params = request.GET
    figure, code = params.get("figure", ""), params.get("instrument", "any")
    by, key = params.get("by", "all"), params.get("key", "all")
    episodes = outcomes.cell_episodes(
        _outcomes(request, start, end), by=by, key=key, figure=figure, code=code
    )
    clients = (
        clients_visible_to(request.user)
        .filter(pk__in=[episode.client_id for episode in episodes])
        .order_by("legal_last_name", "legal_first_name", "pk")
    )
    page = Paginator(clients, 50).get_page(params.get("page"))
    page.object_list = list(page.object_list)  # read once: listed, then audited
    known = figure if figure in outcomes.FIGURES else "unknown"
    audit_list_view(request, clients=page.object_list, name=f"outcomes:{known}")
    query = params.copy()
    query.pop("page", None)
    title = outcomes.FIGURES.get(figure, (_("Unknown figure"),))[0]
    context = {
        "title": f"{title} · {code}" if code != "any" else title,
        "page": page,
        "start": start,
        "end": end,
        "query_string": query.urlencode(),
        "back": period.urlencode(),
    }
    return render(request, "dashboard/outcome_clients.html", context)
