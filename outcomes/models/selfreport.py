"""How a client answers a measure themselves: a one-time link, or the
clinic's tablet in kiosk mode."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from outcomes.models.plan import DueMeasure


class SelfReportLink(models.Model):
    """A one-time link to answer one due measure. The token is random and
    only its SHA-256 is stored; it is issued when the message is sent, so no
    usable link ever rests in the outbox or the database."""

    class Channel(models.TextChoices):
        SMS = "sms", "Text message"
        EMAIL = "email", "Email"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    due = models.ForeignKey(DueMeasure, on_delete=models.PROTECT, related_name="links")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    language = models.CharField(max_length=5, default="en")
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One live link per due measure and channel.
            models.UniqueConstraint(
                fields=["due", "channel"],
                condition=Q(
                    used_at__isnull=True, locked_at__isnull=True, cancelled_at__isnull=True
                ),
                name="selfreport_link_one_live",
            ),
        ]

    def __str__(self):
        return f"link {self.public_id} ({self.due})"


class KioskSession(models.Model):
    """One questionnaire handed to a client on a clinic device. The device's
    session holds nothing but this row's id until it ends."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    due = models.ForeignKey(
        DueMeasure, null=True, blank=True, on_delete=models.PROTECT, related_name="kiosk_sessions"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="kiosk_sessions"
    )
    instrument = models.CharField(max_length=10)
    language = models.CharField(max_length=5, default="en")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    # Ends at submission, on timeout or when staff sign in on the lock screen.
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"kiosk {self.public_id}"
