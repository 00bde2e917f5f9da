"""Appointments: individual, conjoint, orientation and assessment sessions."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from iop.clients.models.records import Client, Episode


class Appointment(models.Model):
    """A scheduled individual, conjoint, orientation or assessment session.

    Admission books the orientation session; the sessions feature documents
    appointments; reminders are scheduled from them.
    """

    class Kind(models.TextChoices):
        ORIENTATION = "orientation", _("Orientation")
        INDIVIDUAL = "individual", _("Individual session")
        CONJOINT = "conjoint", _("Conjoint session")
        ASSESSMENT = "assessment", _("Assessment")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED_CLIENT = "cancelled_client", _("Cancelled by client")
        CANCELLED_PROGRAM = "cancelled_program", _("Cancelled by program")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="appointments")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="appointments")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=50)
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("counselor"),
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Why a scheduled appointment did not take place: what the cancel action
    # asks (a no-show only once its time has come).
    CANCEL_REASONS = (Status.CANCELLED_CLIENT, Status.CANCELLED_PROGRAM, Status.NO_SHOW)

    class Meta:
        verbose_name = _("appointment")
        ordering = ["starts_at", "id"]
        indexes = [
            # "My day" and the chart list a counselor's or a client's appointments by time.
            models.Index(fields=["counselor", "starts_at"], name="appointment_counselor_time_idx"),
            models.Index(fields=["client", "starts_at"], name="appointment_client_time_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"
