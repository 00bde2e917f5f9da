"""The chart's Measures section: what the plan made due and how each
measure is going (its link, if one was sent), the client's own answers
(self-report link, clinic tablet) and the BAM's composites over time.
Three queries whatever the client's history."""

from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iop.accounts import roles
from iop.clients.models import Episode
from outcomes.forms import LANGUAGE_NAMES, KioskStartForm, MeasureRequestForm
from outcomes.models import DueMeasure, SelfReportLink
from outcomes.models.plan import PLAN_INSTRUMENTS
from screening.instruments.translations import languages_of
from screening.models import InstrumentAdministration
from screening.selectors import client_scores_by_instrument

# Closed measures (completed, not completed, cancelled) shown: this far back.
RECENT_DAYS = 180
RECENT_SHOWN = 20
SELF_REPORTS_SHOWN = 10

LINK_STATUS = {
    "answered": _("answered"),
    "locked": _("locked"),
    "cancelled": _("cancelled"),
    "expired": _("expired"),
    "sent": _("sent"),
    "queued": _("waiting to be sent"),
}


def link_status(due, now) -> str:
    """The state of the due measure's newest link, from its annotations;
    "" when none was asked for."""
    if due.link_created_at is None:
        return ""
    if due.link_used_at:
        return "answered"
    if due.link_locked_at:
        return "locked"
    if due.link_cancelled_at:
        return "cancelled"
    if due.link_expires_at and due.link_expires_at <= now:
        return "expired"
    if due.link_issued_at:
        return "sent"
    return "queued"


def _with_newest_link(dues):
    newest = SelfReportLink.objects.filter(due=OuterRef("pk")).order_by("-created_at", "-id")
    return dues.annotate(
        **{
            f"link_{name}": Subquery(newest.values(name)[:1])
            for name in ("created_at", "issued_at", "expires_at", "used_at", "locked_at")
        },
        link_cancelled_at=Subquery(newest.values("cancelled_at")[:1]),
    )


def measures_section(request, client, *, printing=False):
    today = timezone.localdate()
    now = timezone.now()
    dues = _with_newest_link(DueMeasure.objects.filter(client=client))
    open_dues = list(dues.filter(status=DueMeasure.Status.OPEN).order_by("due_on", "instrument"))
    recent = list(
        dues.exclude(status=DueMeasure.Status.OPEN)
        .filter(due_on__gte=today - timedelta(days=RECENT_DAYS))
        .order_by("-due_on", "instrument", "-id")[:RECENT_SHOWN]
    )
    for due in (*open_dues, *recent):
        due.link_status = link_status(due, now)
        due.link_status_label = LINK_STATUS.get(due.link_status, "")
        due.overdue = due.status == DueMeasure.Status.OPEN and due.due_on < today
        due.languages = [(code, LANGUAGE_NAMES[code]) for code in languages_of(due.instrument)]
    self_reports = list(
        InstrumentAdministration.objects.filter(
            client=client,
            source__in=[
                InstrumentAdministration.Source.LINK,
                InstrumentAdministration.Source.KIOSK,
            ],
        ).order_by("-administered_at", "-id")[:SELF_REPORTS_SHOWN]
    )
    user = request.user
    # The actions are left off paper by the template (no-print).
    clinician = (
        user.has_role(*roles.CLINICIANS)
        and client.episodes.filter(phase__in=Episode.ACTIVE_PHASES).exists()
    )
    return {
        "client": client,
        "open_dues": open_dues,
        "recent_dues": recent,
        "self_reports": self_reports,
        "bam": client_scores_by_instrument(client, codes=("BAM",), prefix="measures"),
        "can_act": clinician,
        "request_form": MeasureRequestForm() if clinician else None,
        "kiosk_form": KioskStartForm() if clinician else None,
        "instruments": [
            {"code": code, "languages": languages_of(code)} for code, _label in PLAN_INSTRUMENTS
        ],
    }
