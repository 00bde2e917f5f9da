"""Signing, co-signing and addenda: one mechanism for every note model that
inherits iop.clients.notes.SignableNote (group notes, session notes, ...)."""

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from iop.clients.notes import LATE_AFTER_HOURS, NoteAddendum, SignableNote

SIGNATURE_FIELDS = ["signed_by", "signed_at", "signed_late", "cosign_required"]


def note_ensure_unsigned(note: SignableNote) -> None:
    """Every service that edits a note calls this first: a signed note is
    locked, whatever the user interface shows."""
    if note.is_signed:
        raise ValidationError(_("This note is signed and locked; add an addendum instead."))


def signature_fields(*, actor, service_started_at: datetime, now: datetime | None = None) -> dict:
    """The values that sign a note now: signer, time, late flag and whether a
    supervisor must co-sign. Used to sign one note or many in one update."""
    now = now or timezone.now()
    return {
        "signed_by": actor,
        "signed_at": now,
        "signed_late": now > service_started_at + timedelta(hours=LATE_AFTER_HOURS),
        "cosign_required": bool(getattr(actor, "in_training", False)),
    }


def note_sign(*, note: SignableNote, actor, service_started_at: datetime) -> SignableNote:
    """Sign one note. The caller holds the transaction and writes the audit row."""
    note_ensure_unsigned(note)
    for name, value in signature_fields(actor=actor, service_started_at=service_started_at).items():
        setattr(note, name, value)
    note.save(update_fields=SIGNATURE_FIELDS)
    return note


def note_cosign(*, note: SignableNote, actor) -> SignableNote:
    """A supervisor co-signs a note of a counselor in training."""
    if not note.is_signed:
        raise ValidationError(_("The author signs before the supervisor co-signs."))
    if not note.cosign_required:
        raise ValidationError(_("This note does not need a co-signature."))
    if note.cosigned_at is not None:
        raise ValidationError(_("This note is already co-signed."))
    if not actor.is_supervisor:
        raise ValidationError(_("Only a supervisor can co-sign."))
    if note.signed_by_id == actor.pk:
        raise ValidationError(_("The co-signer must be someone other than the author."))
    note.cosigned_by = actor
    note.cosigned_at = timezone.now()
    note.save(update_fields=["cosigned_by", "cosigned_at"])
    return note


def note_addendum_add(*, note: SignableNote, actor, text: str, client=None) -> NoteAddendum:
    """Add a signed addendum to a signed note."""
    if not note.is_signed:
        raise ValidationError(_("Edit the note itself until it is signed."))
    if not text.strip():
        raise ValidationError({"text": _("Write the addendum.")})
    return NoteAddendum.objects.create(
        content_type=ContentType.objects.get_for_model(note),
        object_id=note.pk,
        client=client,
        text=text.strip(),
        author=actor,
    )


def note_addenda(note: models.Model):
    return NoteAddendum.objects.filter(
        content_type=ContentType.objects.get_for_model(note), object_id=note.pk
    ).select_related("author")
