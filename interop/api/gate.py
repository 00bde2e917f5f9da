"""The consent gate between the record and an API client.

A program-internal client (the program's own warehouse) reads the whole
program; every client record it receives is audited. Any other client is a
recipient outside the program (42 CFR Part 2): for each client record it
receives only what a consent in force allows for that recipient and its
stated purpose. The SQL narrowing (family.consents.consents_in_force)
keeps the refused out of counts and pages; the one disclosure decision
(family.consents.disclosure_decision) then decides each resource of the
page, and family.consents.disclosures_record decides once more and writes
one ledger row per client record disclosed in the request.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from family.consents import Entry, Recipient, consents_in_force, disclosure_decision
from family.consents import disclosures_record as ledger_write
from family.models import Consent, Disclosure
from interop.api.registry import IDENTITY, Source
from interop.models import ApiClient
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record_many
from iop.clients.models import Client


@dataclass(frozen=True)
class ApiActor:
    """The audit trail's actor for a request by an API client: not a staff
    user (no account), named in the trail as `api:<client id>`."""

    client: ApiClient
    is_authenticated: bool = False

    @property
    def username(self) -> str:
        return f"api:{self.client.client_id}"[:150]


@dataclass
class Gate:
    client: ApiClient
    at: object = field(default_factory=timezone.now)
    # client pk -> categories disclosed (None for identity), for the ledger.
    disclosed: dict = field(default_factory=lambda: defaultdict(set))
    clients: dict = field(default_factory=dict)

    @property
    def recipient(self) -> Recipient:
        return Recipient.entity(self.client.recipient_kind, self.client.organization)

    def narrow(self, queryset: QuerySet, source: Source) -> QuerySet:
        """The rows of `source` this client may receive, before paging."""
        if source.client_path is None or self.client.is_internal:
            return queryset
        category = None if source.category == IDENTITY else source.category
        allowed = Consent.objects.filter(
            consents_in_force(
                recipient=self.recipient, category=category, use=self.client.purpose, at=self.at
            )
        ).values("client_id")
        return queryset.filter(**{f"{source.client_path}__in": allowed})

    def admit(self, rows: list, source: Source, client_ids: list[int | None]) -> list:
        """The rows the disclosure decision allows, one decision per row;
        remembers what each client record disclosed, for the ledger."""
        if source.client_path is None:
            return rows
        if self.client.is_internal:
            for client_id in client_ids:
                self.disclosed[client_id].add(None)
            return rows
        consents = self._consents({cid for cid in client_ids if cid is not None})
        category = None if source.category == IDENTITY else source.category
        admitted = []
        for row, client_id in zip(rows, client_ids, strict=True):
            decision = disclosure_decision(
                client=self._client(client_id),
                category=category,
                recipient=self.recipient,
                at=self.at,
                consents=consents.get(client_id, []),
                use=self.client.purpose,
            )
            if decision.allowed:
                admitted.append(row)
                self.disclosed[client_id].add(category)
        return admitted

    def _client(self, client_id: int) -> Client:
        # The decision reads only the client's id; no query for the row.
        return self.clients.setdefault(client_id, Client(pk=client_id))

    def _consents(self, client_ids: set[int]) -> dict[int, list[Consent]]:
        by_client = defaultdict(list)
        if client_ids:
            consents = Consent.objects.filter(
                client_id__in=client_ids,
                recipient_kind=self.client.recipient_kind,
            )
            for consent in consents:
                by_client[consent.client_id].append(consent)
        return by_client

    def record(self, *, request, reference: str, description: str) -> None:
        """The ledger rows (outside the program) and the audit events of the
        client records this request returned: one of each per client."""
        if not self.disclosed:
            return
        actor = ApiActor(self.client)
        if not self.client.is_internal:
            entries = [
                Entry(
                    client=self._client(client_id),
                    recipient=self.recipient,
                    categories=sorted(c for c in categories if c),
                    identity=True,
                    description=description,
                    reference=f"{reference}:{client_id}",
                    at=self.at,
                    use=self.client.purpose,
                )
                for client_id, categories in self.disclosed.items()
            ]
            ledger_write(entries=entries, path=Disclosure.Path.API, consents=self._all_consents())
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.EXPORT
            if not self.client.is_internal
            else AuditEvent.Action.VIEW,
            clients=[self._client(client_id) for client_id in self.disclosed],
            request=request,
            details={"api_client": str(self.client.public_id), "request": reference},
        )

    def _all_consents(self) -> list[Consent]:
        return [c for cs in self._consents(set(self.disclosed)).values() for c in cs]
