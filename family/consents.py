"""The one place that decides whether information about a client may leave
the program, and the ledger every allowed disclosure is written to.

42 CFR Part 2 (2.31, 2.32, 2.13): a disclosure needs a written consent that
names the recipient, covers the information, is in effect (signed, not
expired, not revoked) at the moment of the disclosure; each disclosure is
recorded and carries the prohibition notice. Every disclosure path of
OpenIOP (the Family Education roster, conjoint-session notes, the release of
information export, family reminders) calls disclosure_decision and writes
through disclosures_record, which decides again and refuses what is not
allowed: no ledger row exists without a consent that allowed it.

Boundaries: a consent is in effect from the moment it was recorded in
OpenIOP (never before the start of its signature date, program time zone)
through the end of its expiry date; revocation and an expiry event take
effect at the recorded instant, so at that instant the answer is already
"no". A consent recorded after a disclosure's moment does not cover it,
whatever date it bears: a back-dated signature cannot make an earlier
disclosure look allowed (the signature date itself is kept between the
client's first referral and the day it is recorded, see
family.services.consents). Each path decides at the moment its disclosure
happens: now for the roster and the release of information, the session's
start for a conjoint session, the moment of sending for a reminder.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from family.models import Consent, Disclosure, DisclosureCategory, FamilyMember
from iop.clients.models import Client
from iop.exports import PART2_NOTICE

# 42 CFR 2.32 (2024 wording, as DOMAIN.md section 6 quotes it): on every
# disclosed document and at the head of every export.
NOTICE = PART2_NOTICE


# Which uses each consent scope covers, for a recipient that states its
# purpose (an API client). 42 CFR 2.33(b) and 2.31(a)(4)(i), 2024 rule: a
# single consent for treatment, payment and health care operations covers
# all three; a payment consent covers payment; a consent for a specific
# purpose covers treatment by the recipient it names, and research only
# under such a specific consent (never under a TPO consent).
USES = ("treatment", "payment", "operations", "research")
SCOPES_COVERING = {
    "treatment": (Consent.Scope.TPO, Consent.Scope.SPECIFIC),
    "payment": (Consent.Scope.TPO, Consent.Scope.PAYMENT),
    "operations": (Consent.Scope.TPO,),
    "research": (Consent.Scope.SPECIFIC,),
}


class ConsentState:
    ACTIVE = "active"
    NOT_YET = "not_yet"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class Recipient:
    """Who would receive the information: a family member (by id), or an
    outside party named on a consent (kind and name)."""

    kind: str
    name: str
    member_id: int | None = None
    # An organization (an API client's): named by a consent's organization
    # or, where the consent names the entity itself, its recipient name.
    organization: bool = False

    @classmethod
    def entity(cls, kind: str, organization: str) -> "Recipient":
        return cls(kind=kind, name=organization, organization=True)

    @classmethod
    def family(cls, member: FamilyMember) -> "Recipient":
        return cls(kind=Consent.RecipientKind.FAMILY, name=member.name, member_id=member.pk)

    @classmethod
    def of(cls, consent: Consent) -> "Recipient":
        return cls(
            kind=consent.recipient_kind,
            name=consent.recipient_name,
            member_id=consent.recipient_member_id,
        )

    def named_by(self, consent: Consent) -> bool:
        if self.member_id is not None:
            return consent.recipient_member_id == self.member_id
        if consent.recipient_kind != self.kind:
            return False
        if self.organization and _same_name(consent.recipient_organization, self.name):
            return True
        return _same_name(consent.recipient_name, self.name)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    consent: Consent | None
    reason: str


@dataclass(frozen=True)
class Entry:
    """One disclosure to record with disclosures_record."""

    client: Client
    recipient: Recipient
    categories: list[str]
    description: str
    reference: str = ""
    at: datetime | None = None
    consent: Consent | None = None  # only this consent may allow it
    use: str | None = None  # the recipient's stated purpose (USES)
    # Who the client is, with no category of their treatment information (a
    # FHIR Patient resource alone): any consent in force for the recipient.
    identity: bool = False


def _same_name(left: str, right: str) -> bool:
    return " ".join(left.split()).casefold() == " ".join(right.split()).casefold()


def _day(value) -> str:
    return formats.date_format(value, "Y-m-d")


def _category_label(category: str) -> str:
    return str(dict(DisclosureCategory.choices)[category])


def consent_state(consent: Consent, at: datetime | None = None) -> str:
    """Whether a consent is in effect at `at` (now by default)."""
    at = at or timezone.now()
    if consent.revoked_at is not None and at >= consent.revoked_at:
        return ConsentState.REVOKED
    if consent.event_occurred_at is not None and at >= consent.event_occurred_at:
        return ConsentState.EXPIRED
    day = timezone.localdate(at)
    if consent.expires_on is not None and day > consent.expires_on:
        return ConsentState.EXPIRED
    if day < consent.signed_on or (consent.recorded_at is not None and at < consent.recorded_at):
        return ConsentState.NOT_YET
    return ConsentState.ACTIVE


def consent_refusal(consent: Consent, state: str) -> str:
    """Why a consent that is not in effect cannot allow a disclosure."""
    signed = _day(consent.signed_on)
    if state == ConsentState.REVOKED:
        return _("The consent signed %(signed)s was revoked on %(date)s.") % {
            "signed": signed,
            "date": _day(timezone.localtime(consent.revoked_at)),
        }
    if state == ConsentState.EXPIRED and consent.event_occurred_at is not None:
        return _(
            "The consent signed %(signed)s ended with its expiry event (%(event)s) on %(date)s."
        ) % {
            "signed": signed,
            "event": consent.expiry_event,
            "date": _day(timezone.localtime(consent.event_occurred_at)),
        }
    if state == ConsentState.EXPIRED:
        return _("The consent signed %(signed)s expired on %(date)s.") % {
            "signed": signed,
            "date": _day(consent.expires_on),
        }
    recorded = formats.date_format(timezone.localtime(consent.recorded_at), "Y-m-d H:i")
    return _(
        "The consent signed %(signed)s was recorded on %(recorded)s, after this disclosure."
    ) % {"signed": signed, "recorded": recorded}


def consents_in_force(
    *, recipient: Recipient, category: str | None, use: str, at: datetime | None = None
) -> Q:
    """The consents (a Q on Consent) that would let `category` (None: any
    category) go to `recipient` for `use` at `at`: the same rules as
    disclosure_decision, as SQL, so a list can be narrowed to the clients
    it may name before a page is cut. The decision itself still decides
    each row; this only keeps the refused out of the count and the page."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    name = " ".join(recipient.name.split())
    named = Q(recipient_name__iexact=name)
    if recipient.organization:
        named |= Q(recipient_organization__iexact=name)
    in_force = (
        Q(recipient_kind=recipient.kind)
        & named
        & Q(scope__in=SCOPES_COVERING.get(use, ()))
        & (Q(revoked_at__isnull=True) | Q(revoked_at__gt=at))
        & (Q(event_occurred_at__isnull=True) | Q(event_occurred_at__gt=at))
        & (Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        & Q(signed_on__lte=day, recorded_at__lte=at)
    )
    return in_force & Q(categories__contains=[category]) if category else in_force


def _candidates(client: Client, recipient: Recipient, consents) -> list[Consent]:
    if consents is None:
        consents = Consent.objects.filter(client=client)
        if recipient.member_id is not None:
            consents = consents.filter(recipient_member_id=recipient.member_id)
        else:
            consents = consents.filter(recipient_kind=recipient.kind)
    return [c for c in consents if c.client_id == client.pk and recipient.named_by(c)]


def disclosure_decision(
    *,
    client: Client,
    category: str | None,
    recipient: Recipient | FamilyMember,
    at: datetime | None = None,
    consent: Consent | None = None,
    consents: Iterable[Consent] | None = None,
    use: str | None = None,
) -> Decision:
    """May `category` of `client`'s information go to `recipient` at `at`?

    Allowed when a consent of the client names the recipient, covers the
    category and is in effect; the newest such consent is returned. `consent`
    restricts the answer to that one consent (a release of information made
    under it); `consents` passes the client's consents already read, so a page
    deciding for many family members makes one query, not one each. `use`
    (a recipient that states its purpose: USES) counts only the consents
    whose scope covers that use (SCOPES_COVERING). `category` None asks
    about the client's identity alone: any consent naming the recipient.
    """
    at = at or timezone.now()
    if isinstance(recipient, FamilyMember):
        recipient = Recipient.family(recipient)
    if category is not None and category not in DisclosureCategory.values:
        return Decision(
            False,
            None,
            _("“%(category)s” is not a category of information that can be disclosed.")
            % {"category": category},
        )
    candidates = [consent] if consent is not None else _candidates(client, recipient, consents)
    candidates = [c for c in candidates if c.client_id == client.pk and recipient.named_by(c)]
    label = _category_label(category) if category else _("who the client is")
    if use is not None:
        candidates = [c for c in candidates if c.scope in SCOPES_COVERING.get(use, ())]
        if not candidates:
            return Decision(
                False,
                None,
                _("No consent of the client lets %(recipient)s use it for %(use)s.")
                % {"recipient": recipient.name, "use": use},
            )
    if not candidates:
        return Decision(
            False,
            None,
            _("No consent of the client names %(recipient)s as a recipient.")
            % {"recipient": recipient.name},
        )
    covering = sorted(
        (c for c in candidates if category is None or category in c.categories),
        key=lambda c: (c.signed_on, c.pk),
        reverse=True,
    )
    if not covering:
        return Decision(
            False,
            None,
            _("No consent to %(recipient)s covers %(category)s.")
            % {"recipient": recipient.name, "category": label.lower()},
        )
    states = [(c, consent_state(c, at)) for c in covering]
    for candidate, state in states:
        if state == ConsentState.ACTIVE:
            return Decision(True, candidate, "")
    candidate, state = states[0]
    return Decision(False, candidate, consent_refusal(candidate, state))


def disclosures_record(
    *, entries: list[Entry], path: str, actor=None, consents: Iterable[Consent] | None = None
) -> list[Disclosure]:
    """Decide every entry, then write one ledger row each in one insert.

    Refuses (ValidationError with the reasons, nothing written) if any entry
    is not allowed. An entry whose `reference` was recorded before is the
    same disclosure and adds no row. The caller holds the transaction.
    """
    if path not in Disclosure.Path.values:
        raise ValidationError(_("Unknown disclosure path."))
    consents = list(consents) if consents is not None else None
    rows, refusals = [], []
    for entry in entries:
        at = entry.at or timezone.now()
        allowed_by = None
        if not entry.categories and not entry.identity:
            refusals.append(_("Say what is disclosed."))
            continue
        for category in entry.categories or [None]:
            decision = disclosure_decision(
                client=entry.client,
                category=category,
                recipient=entry.recipient,
                at=at,
                consent=entry.consent,
                consents=consents,
                use=entry.use,
            )
            if not decision.allowed:
                refusals.append(decision.reason)
                break
            allowed_by = allowed_by or decision.consent
        else:
            rows.append(
                Disclosure(
                    client=entry.client,
                    consent=allowed_by,
                    disclosed_at=at,
                    recipient_name=entry.recipient.name,
                    recipient_kind=entry.recipient.kind,
                    family_member_id=entry.recipient.member_id,
                    categories=list(entry.categories),
                    description=entry.description[:300],
                    purpose=allowed_by.purpose,
                    path=path,
                    user=actor if actor is not None and actor.is_authenticated else None,
                    reference=entry.reference[:120],
                )
            )
    if refusals:
        raise ValidationError(refusals)
    if not rows:
        return []
    return Disclosure.objects.bulk_create(rows, ignore_conflicts=True)


def disclosure_record(
    *,
    client: Client,
    recipient: Recipient | FamilyMember,
    categories: list[str],
    description: str,
    path: str,
    actor=None,
    reference: str = "",
    at: datetime | None = None,
    consent: Consent | None = None,
) -> Disclosure:
    """Record one disclosure (see disclosures_record); refused without consent."""
    if isinstance(recipient, FamilyMember):
        recipient = Recipient.family(recipient)
    entry = Entry(
        client=client,
        recipient=recipient,
        categories=list(categories),
        description=description,
        reference=reference,
        at=at,
        consent=consent,
    )
    (row,) = disclosures_record(entries=[entry], path=path, actor=actor)
    return row
