"""The aftercare section of the client chart and aftercare's part in
reminders (check-in appointments) and the staff digest."""

from django.utils import timezone

from aftercare import selectors
from aftercare.models import CheckIn, DischargeSummary, OutreachTask
from iop.accounts import roles
from iop.audit.policy import clients_visible_to
from iop.clients.chart import ChartSection, register_chart_section
from iop.clients.clinical_forms import AddendumForm
from iop.clients.models import Episode
from iop.reminders.sources import register_digest_source, register_reminder_source


def _section(request, client):
    current = client.episodes.order_by("-referral_date", "-id").first()
    summaries = list(
        DischargeSummary.objects.filter(episode__client=client).select_related(
            "episode", "author", "signed_by"
        )
    )
    addenda = selectors.summary_addenda(summaries)
    for summary in summaries:
        summary.addenda = addenda.get(summary.pk, [])
    clinician = request.user.has_role(roles.COUNSELOR, roles.SUPERVISOR)
    return {
        "client": client,
        "plan": selectors.plan_for_chart(client),
        "today": timezone.localdate(),
        "summaries": summaries,
        "can_step_down": clinician
        and current is not None
        and current.phase == Episode.Phase.INTENSIVE,
        "can_discharge": clinician
        and current is not None
        and current.phase in (Episode.Phase.INTENSIVE, Episode.Phase.AFTERCARE),
        "can_readmit": request.user.is_supervisor
        and current is not None
        and current.phase == Episode.Phase.DISCHARGED,
        "can_record": clinician,
        "addendum_form": AddendumForm() if clinician and summaries else None,
    }


def upcoming_check_ins(start, end):
    check_ins = CheckIn.objects.filter(
        status=CheckIn.Status.SCHEDULED,
        scheduled_at__gte=start,
        scheduled_at__lt=end,
        plan__episode__phase=Episode.Phase.AFTERCARE,
    ).select_related("client")
    for check_in in check_ins:
        # The location stays empty: a check-in is usually a phone call.
        yield {
            "appointment_key": f"checkin:{check_in.public_id}",
            "starts_at": check_in.scheduled_at,
            "location": "",
            "client": check_in.client,
        }


def digest_items(user) -> list[str]:
    """Counts only, within the access policy: an outreach task stays with the
    counselor it was opened for after the client is reassigned, and is not
    counted once they can no longer open the client."""
    lines = []
    visible = clients_visible_to(user)
    overdue = CheckIn.objects.filter(
        status=CheckIn.Status.SCHEDULED,
        due_on__lte=timezone.localdate(),
        plan__episode__primary_counselor=user,
        plan__episode__phase=Episode.Phase.AFTERCARE,
        client__in=visible,
    ).count()
    if overdue:
        lines.append(f"{overdue} aftercare check-in(s) due")
    outreach = OutreachTask.objects.filter(
        counselor=user,
        status=OutreachTask.Status.OPEN,
        check_in__plan__episode__phase=Episode.Phase.AFTERCARE,
        client__in=visible,
    ).count()
    if outreach:
        lines.append(f"{outreach} open outreach task(s)")
    return lines


def register() -> None:
    register_chart_section(
        ChartSection(
            key="aftercare",
            title="Aftercare and discharge",
            template="aftercare/includes/_chart_aftercare.html",
            context=_section,
            order=60,
        )
    )
    register_reminder_source("aftercare-check-ins", upcoming_check_ins)
    register_digest_source("aftercare", digest_items)
