"""The family sections of the client chart: the family (members, their
consents in effect, Family Education progress) and the consents with the
accounting of disclosures; and consents on the timeline.

Both sections are parts of the record a group or a covered session does
not need: only those who hold the record see them (the primary counselor,
supervisors and administrators: iop.audit.policy.holds_record). Others do
not get the sections at all, nor the consents on the timeline, and the
family pages answer them 403 (client_view(..., whole_record=True))."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from family import selectors
from family.models import Consent
from iop.accounts import roles
from iop.audit.policy import holds_record
from iop.clients.chart import (
    ChartSection,
    TimelineEntry,
    register_chart_section,
    register_timeline_source,
)

CLINICIANS = (roles.COUNSELOR, roles.SUPERVISOR)


def _family(request, client):
    return {
        "client": client,
        "rows": selectors.client_family(client),
        "can_edit": request.user.has_role(*CLINICIANS),
    }


def _consents(request, client):
    now = timezone.now()
    return {
        "client": client,
        "states": selectors.consents_by_state(selectors.client_consents(client), now),
        "accounting": list(selectors.client_accounting(client, now=now)),
        "can_edit": request.user.has_role(*CLINICIANS),
        "can_export": request.user.has_role(roles.ADMINISTRATOR),
    }


def _timeline_entries(client, *, viewer):
    entries = []
    for consent in Consent.objects.filter(client=client):
        url = reverse("family:consent-detail", args=[client.public_id, consent.public_id])
        entries.append(
            TimelineEntry(
                when=consent.recorded_at,
                kind="consent",
                title=_("Consent to disclose to %s") % consent.recipient_name,
                detail=", ".join(consent.category_labels),
                url=url,
            )
        )
        if consent.revoked_at:
            entries.append(
                TimelineEntry(
                    when=consent.revoked_at,
                    kind="consent",
                    title=_("Consent to %s revoked") % consent.recipient_name,
                    url=url,
                )
            )
    return entries


def register() -> None:
    register_timeline_source("consents", _timeline_entries, section="consents")
    register_chart_section(
        ChartSection(
            key="family",
            title=gettext_lazy("Family"),
            template="family/includes/_chart_family.html",
            context=_family,
            order=55,
            visible=holds_record,
        )
    )
    register_chart_section(
        ChartSection(
            key="consents",
            title=gettext_lazy("Consents and disclosures (42 CFR Part 2)"),
            template="family/includes/_chart_consents.html",
            context=_consents,
            order=56,
            visible=holds_record,
        )
    )
