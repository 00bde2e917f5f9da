import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """When the periodic heartbeat task last ran: proof that beat schedules
    and a worker executes. One row per beat entry name."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    last_run_at = models.DateTimeField(_("last run"))
    hostname = models.CharField(_("worker"), max_length=200, blank=True)
    runs = models.PositiveBigIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.name} at {self.last_run_at:%Y-%m-%d %H:%M:%S}"


class StaffNotification(models.Model):
    """An in-app message to one staff member (safety flags and other items
    that need a person's attention). Holds a record number, never a diagnosis."""

    recipient = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30)
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    message = models.CharField(_("message"), max_length=300)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("staff notification")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"


class Reminder(models.Model):
    """One message in the outbox: the database row is the source of truth,
    Celery only moves rows along (pending -> sending -> sent). A row per
    appointment (at a given start), recipient, channel and kind."""

    class Channel(models.TextChoices):
        SMS = "sms", _("Text message")
        EMAIL = "email", _("Email")
        IN_APP = "in_app", _("In-app (staff)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")
        SKIPPED = "skipped", _("Skipped")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # What the reminder is for, opaque to this app ("appointment:<uuid>",
    # "group-session:<uuid>", "digest:2026-11-27"): no clinical words.
    appointment_key = models.CharField(_("appointment"), max_length=120)
    appointment_starts_at = models.DateTimeField(_("appointment starts"), null=True, blank=True)
    location = models.CharField(_("where"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Family members (family app) are addressed by their own id and contact.
    family_member_id = models.BigIntegerField(null=True, blank=True)
    recipient_key = models.CharField(max_length=60)
    address = models.CharField(_("to"), max_length=254, blank=True)
    language = models.CharField(max_length=5, default="en")
    body = models.TextField(blank=True)
    send_at = models.DateTimeField(_("send at"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Why the row did not go out: a skip's reason, or a cancellation's
    # (reminders_cancel_for: "discharged", "consent_revoked", ...).
    skip_reason = models.CharField(max_length=60, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_message_id = models.CharField(max_length=120, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    skipped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        ordering = ["send_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "appointment_key",
                    "appointment_starts_at",
                    "recipient_key",
                    "channel",
                    "kind",
                ],
                name="reminder_once_per_appointment_channel_kind",
                # Digests have no appointment time: NULLs must still collide.
                nulls_distinct=False,
            ),
        ]
        indexes = [
            # The dispatcher's claim: due pending rows, oldest first.
            models.Index(
                fields=["send_at"], condition=models.Q(status="pending"), name="reminder_due_idx"
            ),
            models.Index(
                fields=["sending_at"],
                condition=models.Q(status="sending"),
                name="reminder_sending_idx",
            ),
            models.Index(fields=["appointment_key"], name="reminder_appointment_idx"),
        ]

    def __str__(self):
        return f"{self.channel} {self.kind} {self.appointment_key} ({self.status})"
