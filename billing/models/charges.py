"""Charges drafted from documented services (DOMAIN.md section 13). Money is
never edited in place: a void or a correction is a new row that points at
the charge it replaces; only a charge's status moves forward."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from billing.codes import PROCEDURE_CODE_CHOICES, Modifier, PlaceOfService
from billing.models.authorizations import Authorization
from billing.models.coverage import Coverage
from billing.models.payers import Payer
from iop.clients.models import Client, Episode


class Charge(models.Model):
    class Status(models.TextChoices):
        DRAFTED = "drafted", _("Drafted")
        HELD = "held", _("Held")
        READY = "ready", _("Ready")
        BATCHED = "batched", _("In a claim batch")
        EXPORTED = "exported", _("Exported or sent")
        PAID = "paid", _("Paid")
        DENIED = "denied", _("Denied")
        VOIDED = "voided", _("Voided")

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Original")
        CORRECTION = "correction", _("Correction")
        VOID = "void", _("Void")

    class HoldReason(models.TextChoices):
        UNSIGNED = "unsigned", _("A service of the day is not signed")
        COSIGN = "cosign", _("A note awaits its co-signature")
        LATE = "late", _("A note was signed late")
        NO_COVERAGE = "no_coverage", _("No coverage on the date of service")
        NO_AUTHORIZATION = "no_authorization", _("Outside an active authorization")
        UNITS_EXHAUSTED = "units_exhausted", _("The authorization's units are used up")
        NO_RATE = "no_rate", _("No rate for the code on the date of service")
        NOT_ACCEPTED = "not_accepted", _("The payer does not accept the code")
        NO_DIAGNOSIS = "no_diagnosis", _("No confirmed diagnosis")
        CREDENTIAL = "credential", _("The rendering clinician's credential modifier is unknown")
        NO_NPI = "no_npi", _("The rendering clinician has no NPI recorded")
        REJECTED = "rejected", _("The claim was rejected; correct and resubmit")
        MANUAL = "manual", _("Held by billing staff")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="charges")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="charges")
    coverage = models.ForeignKey(
        Coverage, null=True, blank=True, on_delete=models.PROTECT, related_name="charges"
    )
    payer = models.ForeignKey(
        Payer, null=True, blank=True, on_delete=models.PROTECT, related_name="charges"
    )
    authorization = models.ForeignKey(
        Authorization, null=True, blank=True, on_delete=models.PROTECT, related_name="charges"
    )
    service_date = models.DateField(_("date of service"))
    code = models.CharField(_("code"), max_length=5, choices=PROCEDURE_CODE_CHOICES)
    modifiers = ArrayField(
        models.CharField(max_length=2, choices=Modifier.choices), default=list, blank=True
    )
    units = models.PositiveSmallIntegerField(_("units"))
    unit_rate = models.DecimalField(_("rate per unit"), max_digits=9, decimal_places=2, null=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2, null=True)
    place_of_service = models.CharField(
        _("place of service"), max_length=2, choices=PlaceOfService.choices
    )
    # ICD-10-CM codes in pointer order (the claim's diagnosis pointers 1-4).
    diagnosis_codes = ArrayField(models.CharField(max_length=8), default=list, blank=True)
    rendering_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    supervising_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    hold_reason = models.CharField(
        _("held because"), max_length=20, choices=HoldReason.choices, blank=True
    )
    hold_detail = models.CharField(_("detail"), max_length=255, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ORIGINAL)
    # A correction or void names the charge it replaces, and why.
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    # Set once a later row replaces it: the charge no longer counts.
    superseded = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("charge")
        ordering = ["-service_date", "client_id", "code", "id"]
        indexes = [
            models.Index(fields=["status", "service_date"], name="charge_status_date_idx"),
            # The worklist's default order, newest first: a page is read off
            # the index instead of sorting every charge.
            models.Index(fields=["-service_date", "id"], name="charge_date_idx"),
            models.Index(fields=["client", "service_date"], name="charge_client_date_idx"),
            models.Index(fields=["authorization"], name="charge_authorization_idx"),
        ]
        constraints = [
            # One live IOP per diem per client and day, whatever retries.
            models.UniqueConstraint(
                fields=["client", "service_date"],
                condition=models.Q(code="H0015", superseded=False, kind="original"),
                name="charge_one_live_per_diem_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.service_date} x{self.units}"


class ChargeEvidence(models.Model):
    """A documented service behind a charge: the facts billing may see (date,
    code, minutes, rendering clinician, signed or not), never the note text.
    `source` names the service ("groups.attendance:<pk>", "clients.note:<pk>")."""

    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="evidence")
    source = models.CharField(max_length=64)
    service_date = models.DateField()
    starts_at = models.DateTimeField()
    description = models.CharField(max_length=120)
    code = models.CharField(max_length=5, blank=True)
    minutes = models.PositiveSmallIntegerField()
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    signed = models.BooleanField()
    signed_late = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("charge evidence")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["source"], name="chargeevidence_source_idx")]

    def __str__(self):
        return f"{self.source} {self.service_date}"
