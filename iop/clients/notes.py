"""The one signing mechanism for every kind of clinical note.

A note model inherits SignableNote; iop.clients.signing signs it, co-signs it
and adds addenda. Signing locks the note: services refuse to change a signed
note (note_ensure_unsigned), and after signing only a NoteAddendum can follow.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

# A note signed later than this after its service is marked late (DOMAIN.md 5).
LATE_AFTER_HOURS = 72


class SignableNote(models.Model):
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_late = models.BooleanField(_("signed late"), default=False)
    # Counselors in training: a supervisor co-signs after them.
    cosign_required = models.BooleanField(_("co-signature required"), default=False)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("co-signed by"),
    )
    cosigned_at = models.DateTimeField(_("co-signed at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def awaits_cosignature(self) -> bool:
        return self.cosign_required and self.cosigned_at is None


class NoteAddendum(models.Model):
    """An addition to a signed note of any kind, signed by its author when added."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    note = GenericForeignKey("content_type", "object_id")
    client = models.ForeignKey(
        "clients.Client",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="note_addenda",
    )
    text = models.TextField(_("addendum"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("note addendum")
        verbose_name_plural = _("note addenda")
        ordering = ["signed_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="addendum_note_idx")]

    def __str__(self):
        return f"Addendum {self.signed_at:%Y-%m-%d %H:%M}"
