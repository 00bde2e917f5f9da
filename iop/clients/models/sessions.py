"""Documentation of an individual, conjoint, orientation or assessment
session: attendance, the DAP note, the service code and its units."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from iop.clients.models.appointments import Appointment
from iop.clients.models.plans import Objective
from iop.clients.notes import SignableNote


class ServiceCode(models.TextChoices):
    # HCPCS codes recorded per service (DOMAIN.md section 5).
    H0001 = "H0001", _("H0001 Alcohol and/or drug assessment")
    H0004 = "H0004", _("H0004 Behavioral health counseling, per 15 minutes")


class SessionNote(SignableNote):
    """The DAP note of one appointment (Data, Assessment, Plan)."""

    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT, related_name="note")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data = models.TextField(_("Data"), blank=True)
    assessment = models.TextField(_("Assessment"), blank=True)
    plan = models.TextField(_("Plan"), blank=True)
    service_code = models.CharField(
        _("service code"), max_length=5, choices=ServiceCode.choices, default=ServiceCode.H0004
    )
    minutes = models.PositiveSmallIntegerField(_("minutes of service"), default=0)
    units = models.PositiveSmallIntegerField(_("units"), default=0)
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="session_notes", verbose_name=_("objectives addressed")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("session note")

    def __str__(self):
        return f"Note of {self.appointment}"
