"""Reads of the family app. Every read starts from one client (or one
session's roster of clients) and goes through FamilyLink, so a family member
linked to two clients shows each client only their own relationship,
consents, attendance and disclosures. Each function makes a fixed number of
queries, whatever the number of family members, consents or rows."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, F, Func, Q, QuerySet, Value
from django.utils import timezone

from family.consents import ConsentState, Decision, consent_state, disclosure_decision
from family.models import (
    ConjointAttendee,
    Consent,
    Disclosure,
    DisclosureCategory,
    FamilyAttendance,
    FamilyLink,
    FamilyMember,
)
from groups.models import GroupSession, ProgramTrack
from iop.audit.policy import clients_visible_to
from iop.clients.models import Appointment, Client

# Family Education is 12 weekly sessions (DOMAIN.md section 2); the default
# program's own figure wins where it says otherwise.
FAMILY_EDUCATION_SESSIONS = 12
# The accounting of disclosures a client may ask for covers three years
# (42 CFR 2.24 as amended in 2024, after HIPAA 164.528 for TPO disclosures).
ACCOUNTING_YEARS = 3

# Linking a person already known to the program: how specific a search must
# be, and how many people it shows at most.
SEARCH_MIN_LETTERS = 2
SEARCH_MIN_DIGITS = 10
SEARCH_LIMIT = 10

# Family Education participation discloses that the client attends the
# program; a conjoint session discusses the client's progress.
ROSTER_CATEGORY = DisclosureCategory.ATTENDANCE
CONJOINT_CATEGORY = DisclosureCategory.PROGRESS


def client_links(client: Client) -> list[FamilyLink]:
    return list(FamilyLink.objects.filter(client=client).select_related("member"))


def client_consents(client: Client) -> list[Consent]:
    return list(
        Consent.objects.filter(client=client)
        .select_related("recipient_member", "recorded_by", "revoked_by")
        .order_by("-signed_on", "-id")
    )


def family_consents(clients) -> list[Consent]:
    """The consents of these clients that name a family member."""
    return list(Consent.objects.filter(client__in=clients, recipient_member__isnull=False))


def consents_by_state(consents: list[Consent], at: datetime | None = None) -> dict:
    at = at or timezone.now()
    states = {state: [] for state in ("active", "not_yet", "expired", "revoked")}
    for consent in consents:
        states[consent_state(consent, at)].append(consent)
    return states


def education_required() -> int:
    required = (
        ProgramTrack.objects.filter(program__is_default=True, track__for_family=True)
        .values_list("sessions_required", flat=True)
        .first()
    )
    return required or FAMILY_EDUCATION_SESSIONS


def education_progress(client: Client) -> dict[int, dict]:
    """Per family member: Family Education sessions attended for this client
    and the topic numbers covered. One query."""
    rows = (
        FamilyAttendance.objects.filter(
            client=client,
            status=FamilyAttendance.Status.PRESENT,
            session__status=GroupSession.Status.SCHEDULED,
            session__group__track__for_family=True,
        )
        .values("family_member_id")
        .annotate(
            attended=Count("session", distinct=True),
            topics=ArrayAgg(
                "session__topic__number",
                distinct=True,
                filter=Q(session__topic__isnull=False),
                default=[],
            ),
        )
        .order_by()
    )
    return {row["family_member_id"]: row for row in rows}


def client_family(client: Client, *, at: datetime | None = None) -> list[dict]:
    """The chart's family rows: member, relationship, the consents in effect
    that name them, and Family Education progress. Four queries."""
    at = at or timezone.now()
    links = client_links(client)
    consents = list(Consent.objects.filter(client=client, recipient_member__isnull=False))
    progress = education_progress(client)
    required = education_required()
    rows = []
    for link in links:
        active = [
            consent
            for consent in consents
            if consent.recipient_member_id == link.member_id
            and consent_state(consent, at) == ConsentState.ACTIVE
        ]
        attended = progress.get(link.member_id, {}).get("attended", 0)
        rows.append(
            {
                "link": link,
                "member": link.member,
                "consents": active,
                "attended": attended,
                "required": required,
                "percent": min(100, round(100 * attended / required)) if required else 0,
                "topics": sorted(progress.get(link.member_id, {}).get("topics", [])),
            }
        )
    return rows


def client_accounting(client: Client, *, now: datetime | None = None) -> QuerySet[Disclosure]:
    """The accounting of disclosures: the last three years, newest first."""
    now = now or timezone.now()
    since = now - timedelta(days=365 * ACCOUNTING_YEARS + 1)
    return (
        Disclosure.objects.filter(client=client, disclosed_at__gte=since)
        .select_related("consent", "user")
        .order_by("-disclosed_at", "-id")
    )


def program_ledger(*, since: datetime, until: datetime) -> QuerySet[Disclosure]:
    return (
        Disclosure.objects.filter(disclosed_at__gte=since, disclosed_at__lt=until)
        .select_related("client", "consent", "user")
        .order_by("-disclosed_at", "-id")
    )


def linkable_members(user, client: Client) -> QuerySet[FamilyMember]:
    """People already family of another client this user may see (a sibling
    in treatment), not yet linked to `client`: linking never reaches beyond
    the user's own access. Never listed whole: searched (below), and checked
    against when a choice is posted."""
    return (
        FamilyMember.objects.filter(links__client__in=clients_visible_to(user))
        .exclude(links__client=client)
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


@dataclass
class MemberSearch:
    query: str
    members: list[FamilyMember]
    specific: bool  # the query was specific enough to run
    more: bool  # more people match than are shown: say so, ask for more


def linkable_members_search(user, client: Client, query: str) -> MemberSearch:
    """linkable_members matching a query specific enough not to list the
    program's relatives: a name's first letters (at least two, every word
    matching the start of the first or last name), a whole email address, or
    a phone number's digits (at least ten, a whole national number, matching
    the stored number's end whatever its punctuation or country code). One
    query, at most SEARCH_LIMIT people."""
    query = " ".join((query or "").split())
    letters = [char for char in query if char.isalpha()]
    digits = re.sub(r"\D", "", query)
    members = linkable_members(user, client)
    if "@" in query:
        members = members.filter(email__iexact=query)
    elif len(digits) >= SEARCH_MIN_DIGITS and not letters:
        members = members.annotate(
            phone_digits=Func(
                F("phone"), Value(r"\D"), Value(""), Value("g"), function="regexp_replace"
            )
        ).filter(phone_digits__endswith=digits)
    elif len(letters) >= SEARCH_MIN_LETTERS:
        for word in query.split():
            members = members.filter(
                Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
            )
    else:
        return MemberSearch(query=query, members=[], specific=False, more=False)
    found = list(members[: SEARCH_LIMIT + 1])
    return MemberSearch(
        query=query, members=found[:SEARCH_LIMIT], specific=True, more=len(found) > SEARCH_LIMIT
    )


@dataclass
class RosterRow:
    """A family member on a Family Education session, for one client."""

    link: FamilyLink
    attendance: FamilyAttendance | None
    client_status: str  # the client's own attendance at the session, or ""
    decision: Decision

    @property
    def key(self) -> str:
        return f"{self.link.member.public_id}:{self.link.client.public_id}"


def _roster_order(link: FamilyLink) -> tuple:
    return (link.client.legal_last_name, link.client_id, link.member.last_name, link.pk)


def session_family_roster(
    session: GroupSession, client_status: dict[int, str], *, at: datetime | None = None
) -> tuple[list[RosterRow], list[RosterRow]]:
    """The family members of the clients on a Family Education session's
    roster (`client_status`: client id -> their attendance), split into those
    whose consent allows their participation to be disclosed and those
    refused (with the reason). Three queries."""
    at = at or timezone.now()
    recorded = {
        (row.family_member_id, row.client_id): row
        for row in FamilyAttendance.objects.filter(session=session)
    }
    client_ids = set(client_status) | {client_id for _, client_id in recorded}
    links = FamilyLink.objects.filter(client_id__in=client_ids).select_related("member", "client")
    consents = family_consents(client_ids)
    allowed, refused = [], []
    for link in sorted(links, key=_roster_order):
        decision = disclosure_decision(
            client=link.client,
            category=ROSTER_CATEGORY,
            recipient=link.member,
            at=at,
            consents=consents,
        )
        row = RosterRow(
            link=link,
            attendance=recorded.get((link.member_id, link.client_id)),
            client_status=client_status.get(link.client_id, ""),
            decision=decision,
        )
        (allowed if decision.allowed else refused).append(row)
    return allowed, refused


def conjoint_roster(appointment: Appointment) -> list[dict]:
    """The client's family members for a conjoint session: whether each
    attended, and whether a consent allowed discussing the client's progress
    with them at the time of the session. Three queries."""
    client = appointment.client
    attended = set(
        ConjointAttendee.objects.filter(appointment=appointment).values_list(
            "family_member_id", flat=True
        )
    )
    consents = family_consents([client.pk])
    rows = []
    for link in client_links(client):
        decision = disclosure_decision(
            client=client,
            category=CONJOINT_CATEGORY,
            recipient=link.member,
            at=appointment.starts_at,
            consents=consents,
        )
        rows.append({"link": link, "attended": link.member_id in attended, "decision": decision})
    return rows
