"""The family sections of the client chart: the family (members, their
consents in effect, Family Education progress) and the consents with the
accounting of disclosures; and consents on the timeline.

Both sections are parts of the record a group or a covered session does
not need: only those who hold the record see them (the primary counselor,
supervisors and administrators: iop.audit.policy.holds_record). Others do
not get the sections at all, nor the consents on the timeline, and the
family pages answer them 403 (client_view(..., whole_record=True))."""

from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from family import selectors
from family.models import Consent
from iop.accounts import roles
from iop.clients.chart import newest, newest_entries
from iop.extensions import TimelineEntry


def family_section(request, client, *, printing=False):
    return {
        "client": client,
        "rows": selectors.client_family(client),
        "can_edit": request.user.has_role(*roles.CLINICIANS),
    }


def consents_section(request, client, *, printing=False):
    now = timezone.now()
    return {
        "client": client,
        "states": selectors.consents_by_state(selectors.client_consents(client), now),
        "accounting": list(selectors.client_accounting(client, now=now)),
        "can_edit": request.user.has_role(*roles.CLINICIANS),
        "can_export": request.user.has_role(roles.ADMINISTRATOR),
    }


def timeline_entries(client, *, viewer, limit=None):
    entries = []
    consents = Consent.objects.filter(client=client).order_by(
        Greatest("recorded_at", Coalesce("revoked_at", "recorded_at")).desc(), "-pk"
    )
    for consent in newest(consents, limit):
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
    return newest_entries(entries, limit)
