"""Claims built from ready charges and the batches they leave in as ASC X12
837P files (DOMAIN.md section 13). A batch's file is generated once, stored
as sent, and never regenerated: what the validator checked is what leaves.
Claims are never edited after sending: a correction goes out as a
replacement (frequency 7) or void (frequency 8) claim naming the original."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from billing.codes import PROCEDURE_CODE_CHOICES, Modifier, PlaceOfService
from billing.models.authorizations import Authorization
from billing.models.charges import Charge
from billing.models.coverage import Coverage
from billing.models.payers import Payer
from iop.clients.models import Client, Episode


class ClaimBatch(models.Model):
    class Status(models.TextChoices):
        INVALID = "invalid", _("Has errors")
        VALID = "valid", _("Valid, ready to send")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted by the receiver")
        REJECTED = "rejected", _("Rejected by the receiver")
        DISCARDED = "discarded", _("Discarded")

    class SendMethod(models.TextChoices):
        DOWNLOAD = "download", _("Downloaded for upload to a clearinghouse")
        CHANNEL = "channel", _("Sent through the clearinghouse channel")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # ISA13 and GS06: one number of the sequence billing_x12_control_seq
    # (migration 0004) per batch, so a control number never repeats.
    control_number = models.PositiveIntegerField(unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # The 837P exactly as generated, validated and sent.
    content = models.TextField()
    content_sha256 = models.CharField(max_length=64)
    # pyx12's findings in plain words: [{"claim": ..., "segment": ..., "message": ...}].
    errors = models.JSONField(default=list, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    claim_count = models.PositiveIntegerField(default=0)
    total_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    send_method = models.CharField(max_length=10, choices=SendMethod.choices, blank=True)
    # The clearinghouse's id for the upload, when sent through the channel.
    channel_reference = models.CharField(max_length=80, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_detail = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("claim batch")
        verbose_name_plural = _("claim batches")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Batch {self.control_number:09d}"


class ClaimQuerySet(models.QuerySet):
    def live(self):
        """Claims that still stand: not discarded with their batch, not
        replaced or voided by a later claim."""
        return self.exclude(
            status__in=(Claim.Status.WITHDRAWN, Claim.Status.REPLACED, Claim.Status.VOIDED)
        )


class Claim(models.Model):
    # CLM05-3, Claim Frequency Type Code (NUBC type of bill, third digit),
    # as 005010X222A1 uses it: 1 original, 7 replacement, 8 void.
    class Frequency(models.TextChoices):
        ORIGINAL = "1", _("Original")
        REPLACEMENT = "7", _("Replacement")
        VOID = "8", _("Void")

    class Status(models.TextChoices):
        BATCHED = "batched", _("In a batch, not sent")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted by the payer")
        REJECTED = "rejected", _("Rejected")
        PAID = "paid", _("Paid")
        PARTIAL = "partial", _("Partly paid")
        DENIED = "denied", _("Denied")
        REPLACED = "replaced", _("Replaced")
        VOIDED = "voided", _("Voided")
        WITHDRAWN = "withdrawn", _("Withdrawn with its batch")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    batch = models.ForeignKey(ClaimBatch, on_delete=models.PROTECT, related_name="claims")
    # CLM01: our claim's number as the payer echoes it (277CA, 835 CLP01).
    patient_control_number = models.CharField(max_length=20, unique=True)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="claims")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="claims")
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="claims")
    coverage = models.ForeignKey(Coverage, on_delete=models.PROTECT, related_name="claims")
    authorization = models.ForeignKey(
        Authorization, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    rendering_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    frequency = models.CharField(max_length=1, choices=Frequency.choices)
    # The claim a replacement or void corrects; its payer claim number is
    # sent in REF*F8.
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    # The payer's claim control number, from the 277CA or the 835 (CLP07).
    payer_claim_number = models.CharField(max_length=50, blank=True)
    service_from = models.DateField()
    service_to = models.DateField()
    place_of_service = models.CharField(max_length=2, choices=PlaceOfService.choices)
    diagnosis_codes = ArrayField(models.CharField(max_length=8), default=list)
    total_amount = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # Why, in plain words (a rejection's or denial's reason).
    status_reason = models.CharField(max_length=255, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        ordering = ["batch_id", "id"]
        indexes = [
            models.Index(fields=["status", "service_from"], name="claim_status_date_idx"),
            models.Index(fields=["client", "service_from"], name="claim_client_date_idx"),
        ]

    def __str__(self):
        return self.patient_control_number


class ClaimLine(models.Model):
    """One service line (loop 2400) per charge."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting payment")
        PAID = "paid", _("Paid")
        PARTIAL = "partial", _("Partly paid")
        DENIED = "denied", _("Denied")

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="lines")
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="claim_lines")
    line_number = models.PositiveSmallIntegerField()
    service_date = models.DateField()
    code = models.CharField(max_length=5, choices=PROCEDURE_CODE_CHOICES)
    modifiers = ArrayField(
        models.CharField(max_length=2, choices=Modifier.choices), default=list, blank=True
    )
    units = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    # SV107: pointers (1-4) into the claim's HI diagnosis codes.
    diagnosis_pointers = ArrayField(models.PositiveSmallIntegerField(), default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("claim line")
        ordering = ["claim_id", "line_number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "line_number"], name="claimline_number_once"),
        ]
        indexes = [models.Index(fields=["charge"], name="claimline_charge_idx")]

    def __str__(self):
        return f"{self.claim} line {self.line_number}"
