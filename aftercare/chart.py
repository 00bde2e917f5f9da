"""The aftercare section of the client chart: the aftercare plan, the
discharge summaries with their addenda, and what the viewer may do next."""

from django.utils import timezone

from aftercare import selectors
from aftercare.models import DischargeSummary
from iop.accounts import roles
from iop.clients.clinical_forms import AddendumForm
from iop.clients.models import Episode


def aftercare_section(request, client, *, printing=False):
    current = client.episodes.order_by("-referral_date", "-id").first()
    summaries = list(
        DischargeSummary.objects.filter(episode__client=client).select_related(
            "episode", "author", "signed_by"
        )
    )
    addenda = selectors.summary_addenda(summaries)
    for summary in summaries:
        summary.addenda = addenda.get(summary.pk, [])
    clinician = request.user.has_role(*roles.CLINICIANS)
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
        and current.phase in Episode.ACTIVE_PHASES,
        "can_readmit": request.user.is_supervisor
        and current is not None
        and current.phase == Episode.Phase.DISCHARGED,
        "can_record": clinician,
        "addendum_form": AddendumForm() if clinician and summaries else None,
    }
