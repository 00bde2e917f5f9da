"""Receiving a file from a clearinghouse or payer: the one way in for
uploads and the clearinghouse channel alike (inbound_receive).

Protocol, per file, in one transaction:
1. The content's SHA-256 is looked up: a copy of a file already received
   is refused with a ValidationError naming the day it came, and nothing
   is stored or posted (the unique content_sha256 also stops two
   simultaneous copies: the loser gets the same ValidationError).
2. The file is read and validated against its guide's map (pyx12); a file
   that does not read or is invalid is stored REFUSED with the reason.
3. It is dispatched by kind (999, 277CA, 835) inside a savepoint: a
   refusal found while applying it (an 835 for another provider, a trace
   already posted) rolls back everything it wrote; the file is stored
   REFUSED with the reason.
4. Every client touched gets one audit row."""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from billing.models import InboundFile
from billing.x12.inbound.reader import X12File, X12Refused, x12_read
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record, audit_record_many


@dataclass
class Outcome:
    """What applying a file did: its status, a message in plain words,
    and the clients whose records it changed."""

    status: str = InboundFile.Status.PROCESSED
    lines: list[str] = field(default_factory=list)
    clients: dict = field(default_factory=dict)

    def attention(self, line: str) -> None:
        self.status = InboundFile.Status.NEEDS_ATTENTION
        self.lines.append(line)

    def touch(self, client) -> None:
        self.clients[client.pk] = client


def _appliers():
    # Imported here: each applier imports the models and services it needs.
    from billing.services.acknowledgements import ack277_apply, ack999_apply
    from billing.services.remittances import remit835_apply

    return {"999": ack999_apply, "277CA": ack277_apply, "835": remit835_apply}


def _already_received(existing: InboundFile) -> ValidationError:
    day = formats.date_format(timezone.localtime(existing.received_at), "DATE_FORMAT")
    return ValidationError(
        _("This file was already received on %(date)s (%(name)s); nothing was posted again.")
        % {"date": day, "name": existing.name},
        code="duplicate",
    )


def _apply(inbound: InboundFile, x12: X12File, actor, request) -> Outcome:
    try:
        with transaction.atomic():
            return _appliers()[x12.kind](inbound=inbound, x12=x12, actor=actor, request=request)
    except X12Refused as refusal:
        return Outcome(status=InboundFile.Status.REFUSED, lines=[str(refusal)])


def inbound_receive(
    *, name: str, content: str, via: InboundFile.Via, actor=None, request=None
) -> InboundFile:
    """Store and apply one received file; see the module's protocol.
    Raises ValidationError (code "duplicate") for a copy of a file already
    received; otherwise returns the InboundFile, whose status and message
    say what happened (REFUSED with the reason, nothing posted)."""
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    existing = InboundFile.objects.filter(content_sha256=digest).first()
    if existing is not None:
        raise _already_received(existing)
    try:
        with transaction.atomic():
            return _receive(name, content, digest, via, actor, request)
    except IntegrityError as error:
        existing = InboundFile.objects.filter(content_sha256=digest).first()
        if existing is None:
            raise
        raise _already_received(existing) from error


def _receive(name, content, digest, via, actor, request) -> InboundFile:
    inbound = InboundFile.objects.create(
        name=name[:255],
        content=content,
        content_sha256=digest,
        via=via,
        received_by=actor if actor is not None and actor.is_authenticated else None,
        status=InboundFile.Status.PROCESSED,
    )
    try:
        x12 = x12_read(content)
    except X12Refused as refusal:
        outcome = Outcome(status=InboundFile.Status.REFUSED, lines=[str(refusal)])
    else:
        inbound.kind = x12.kind
        inbound.save(update_fields=["kind"])
        outcome = _apply(inbound, x12, actor, request)
    inbound.status = outcome.status
    inbound.message = "\n".join(outcome.lines)
    inbound.save(update_fields=["status", "message"])
    details = {"inbound_file": str(inbound.public_id), "kind": inbound.kind}
    if outcome.clients:
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            clients=outcome.clients.values(),
            obj=inbound,
            request=request,
            details=details,
        )
    else:
        audit_record(
            actor=actor, action=AuditEvent.Action.CREATE, obj=inbound, request=request,
            details={**details, "status": inbound.status},
        )  # fmt: skip
    return inbound
