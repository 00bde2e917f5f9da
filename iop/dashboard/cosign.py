"""The supervisor's co-signature queue: every kind of note that a counselor
in training signed and that awaits a supervisor's co-signature (session
notes, group notes, screenings, treatment plans, aftercare check-ins,
discharge summaries), in one list obeying the access policy.

A note is co-signed from the queue only once the supervisor has read it
there: opening it in the queue writes an audited view of the record with
details {"cosign_read": true} on the note (its type and id), and the bulk
co-signature accepts only the notes with such an event by the same
supervisor. The trail is the record of the reading, so nothing else keeps it.

The queue reads everything, like the rest of iop.dashboard; each kind's
co-signature goes through its own app's service (lock, validate, audit).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.models import CheckIn, DischargeSummary
from aftercare.services import check_in_cosign, discharge_summary_cosign
from groups.models import Attendance, GroupSession
from groups.services.sessions import session_cosign
from iop.audit.models import AuditEvent
from iop.clients.models import Client, SessionNote, TreatmentPlan
from iop.clients.services.plans import plan_cosign
from iop.clients.services.sessions import session_note_cosign
from screening.models import Screening
from screening.services import screening_cosign

READ_MARK = "cosign_read"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    # Notes of this kind awaiting a co-signature, of clients in `visible`.
    pending: Callable[[QuerySet[Client]], QuerySet]
    client: Callable[[object], Client | None]
    subject: Callable[[object], str]
    url: Callable[[object], str]
    cosign: Callable[..., object]
    template: str


def _awaiting(queryset: QuerySet) -> QuerySet:
    return queryset.filter(
        cosign_required=True, cosigned_at__isnull=True, signed_at__isnull=False
    ).select_related("signed_by")


def _client_url(name: str, client: Client, **kwargs) -> str:
    return reverse(name, kwargs={"client_id": client.public_id, **kwargs})


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            key="session",
            label=gettext_lazy("Session note"),
            pending=lambda visible: (
                _awaiting(SessionNote.objects)
                .filter(appointment__client__in=visible)
                .select_related("appointment__client")
            ),
            client=lambda note: note.appointment.client,
            subject=lambda note: note.appointment.client.display_name,
            url=lambda note: _client_url(
                "clients:session-document",
                note.appointment.client,
                appointment_id=note.appointment.public_id,
            ),
            cosign=lambda *, actor, note, request: session_note_cosign(
                actor=actor, note=note, request=request
            ),
            template="dashboard/includes/_cosign_session.html",
        ),
        Kind(
            key="group",
            label=gettext_lazy("Group note"),
            # A group note names no one client: it is listed when a client
            # the supervisor may see attended it.
            pending=lambda visible: (
                _awaiting(GroupSession.objects)
                .filter(
                    Exists(Attendance.objects.filter(session=OuterRef("pk"), client__in=visible))
                )
                .select_related("group")
            ),
            client=lambda note: None,
            subject=lambda note: note.group.name,
            url=lambda note: reverse("groups:session-detail", args=[note.public_id]),
            cosign=lambda *, actor, note, request: session_cosign(
                actor=actor, session=note, request=request
            ),
            template="dashboard/includes/_cosign_group.html",
        ),
        Kind(
            key="screening",
            label=gettext_lazy("Screening"),
            pending=lambda visible: (
                _awaiting(Screening.objects)
                .filter(episode__client__in=visible)
                .select_related("episode__client")
            ),
            client=lambda note: note.episode.client,
            subject=lambda note: note.episode.client.display_name,
            url=lambda note: _client_url(
                "screening:screening-detail", note.episode.client, screening_id=note.public_id
            ),
            cosign=lambda *, actor, note, request: screening_cosign(
                actor=actor, screening=note, request=request
            ),
            template="dashboard/includes/_cosign_screening.html",
        ),
        Kind(
            key="plan",
            label=gettext_lazy("Treatment plan"),
            pending=lambda visible: (
                _awaiting(TreatmentPlan.objects).filter(client__in=visible).select_related("client")
            ),
            client=lambda note: note.client,
            subject=lambda note: note.client.display_name,
            url=lambda note: _client_url("clients:plan-detail", note.client),
            cosign=lambda *, actor, note, request: plan_cosign(
                actor=actor, plan=note, request=request
            ),
            template="dashboard/includes/_cosign_plan.html",
        ),
        Kind(
            key="check-in",
            label=gettext_lazy("Aftercare check-in"),
            pending=lambda visible: (
                _awaiting(CheckIn.objects).filter(client__in=visible).select_related("client")
            ),
            client=lambda note: note.client,
            subject=lambda note: note.client.display_name,
            url=lambda note: reverse(
                "aftercare:check-in", args=[note.client.public_id, note.public_id]
            ),
            cosign=lambda *, actor, note, request: check_in_cosign(
                actor=actor, check_in=note, request=request
            ),
            template="dashboard/includes/_cosign_check_in.html",
        ),
        Kind(
            key="discharge",
            label=gettext_lazy("Discharge summary"),
            pending=lambda visible: (
                _awaiting(DischargeSummary.objects)
                .filter(episode__client__in=visible)
                .select_related("episode__client")
            ),
            client=lambda note: note.episode.client,
            subject=lambda note: note.episode.client.display_name,
            url=lambda note: _client_url("clients:client-detail", note.episode.client),
            cosign=lambda *, actor, note, request: discharge_summary_cosign(
                actor=actor, summary=note, request=request
            ),
            template="dashboard/includes/_cosign_discharge.html",
        ),
    )
}


def note_ident(note) -> str:
    """The id the audit trail gives the note (iop.audit.services)."""
    return str(getattr(note, "public_id", None) or note.pk)


@dataclass
class QueueItem:
    kind: Kind
    note: object
    read: bool = False

    @property
    def ident(self) -> str:
        return note_ident(self.note)

    @property
    def key(self) -> str:
        return f"{self.kind.key}:{self.ident}"

    @property
    def client(self) -> Client | None:
        return self.kind.client(self.note)

    @property
    def subject(self) -> str:
        return self.kind.subject(self.note)

    @property
    def url(self) -> str:
        return self.kind.url(self.note)

    @property
    def signed_at(self) -> datetime:
        return self.note.signed_at

    @property
    def author(self):
        return self.note.signed_by

    def describe(self) -> str:
        return f"{self.kind.label} · {self.subject} · {self.note.signed_at:%Y-%m-%d}"


def cosign_queue(
    user,
    visible: QuerySet[Client],
    *,
    counselor=None,
    signed_from: date | None = None,
    signed_to: date | None = None,
) -> list[QueueItem]:
    """The notes awaiting `user`'s co-signature, oldest signature first,
    each marked read when `user` opened it in the queue. One query per kind
    and one for the readings, whatever the number of notes."""
    filters = {}
    if counselor is not None:
        filters["signed_by"] = counselor
    if signed_from is not None:
        filters["signed_at__date__gte"] = signed_from
    if signed_to is not None:
        filters["signed_at__date__lte"] = signed_to
    items = [
        QueueItem(kind=kind, note=note)
        for kind in KINDS.values()
        # One does not co-sign one's own note (iop.clients.signing).
        for note in kind.pending(visible).filter(**filters).exclude(signed_by=user)
    ]
    if items:
        read = set(
            AuditEvent.objects.filter(
                actor=user,
                action=AuditEvent.Action.VIEW,
                object_id__in={item.ident for item in items},
                **{f"details__{READ_MARK}": True},
            ).values_list("object_type", "object_id")
        )
        for item in items:
            item.read = (item.note._meta.label_lower, item.ident) in read
    items.sort(key=lambda item: item.signed_at)
    return items


def cosign_queue_item(user, visible: QuerySet[Client], kind_key: str, ident: str) -> QueueItem:
    """One note of the queue; LookupError when it is not there (not awaiting,
    not visible to `user`, or `user`'s own)."""
    kind = KINDS.get(kind_key)
    if kind is None:
        raise LookupError(kind_key)
    lookup = "pk" if kind.key == "session" else "public_id"
    if lookup == "pk" and not (ident.isascii() and ident.isdigit()):
        raise LookupError(ident)
    pending = kind.pending(visible).exclude(signed_by=user)
    try:
        note = pending.get(**{lookup: ident})
    except (pending.model.DoesNotExist, ValidationError, ValueError) as error:
        raise LookupError(ident) from error
    return QueueItem(kind=kind, note=note)


def cosign_queue_sign(*, actor, visible: QuerySet[Client], keys: list[str], request=None) -> int:
    """Co-sign the chosen notes of the queue at once, all or none: each must
    still await `actor`'s co-signature and have been read by `actor` in the
    queue. Returns how many were co-signed."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        raise ValidationError(_("Choose the notes to co-sign."))
    queue = {item.key: item for item in cosign_queue(actor, visible)}
    gone = [key for key in wanted if key not in queue]
    if gone:
        raise ValidationError(
            _("%(count)s of the chosen notes no longer await your co-signature: reload the queue.")
            % {"count": len(gone)}
        )
    unread = [queue[key] for key in wanted if not queue[key].read]
    if unread:
        raise ValidationError(
            _("Read each note before co-signing it; nothing was co-signed. Not read yet: %s.")
            % "; ".join(item.describe() for item in unread)
        )
    with transaction.atomic():
        for key in wanted:
            item = queue[key]
            item.kind.cosign(actor=actor, note=item.note, request=request)
    return len(wanted)
