"""What comes back from payers and clearinghouses (DOMAIN.md section 13):
acknowledgements (999, 277CA), remittances (835) and the money they post.

Every file received is kept as received (InboundFile), once: a file whose
content was already received is refused, so posting the same 835 twice
posts nothing. Posting writes ledger rows (Posting); money is never edited:
a reversal is a new row with the opposite amount."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from billing.models.charges import Charge
from billing.models.claims import Claim, ClaimBatch, ClaimLine
from billing.models.payers import Payer
from iop.clients.models import Client


class InboundFile(models.Model):
    class Kind(models.TextChoices):
        ACK_999 = "999", _("Implementation acknowledgement (999)")
        CLAIM_ACK_277CA = "277CA", _("Claim acknowledgement (277CA)")
        REMITTANCE_835 = "835", _("Remittance advice (835)")

    class Status(models.TextChoices):
        PROCESSED = "processed", _("Processed")
        NEEDS_ATTENTION = "attention", _("Processed; items wait for a person")
        REFUSED = "refused", _("Refused")

    class Via(models.TextChoices):
        UPLOAD = "upload", _("Uploaded")
        CHANNEL = "channel", _("Received through the clearinghouse channel")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=5, choices=Kind.choices, blank=True)
    name = models.CharField(_("file name"), max_length=255)
    content = models.TextField()
    # The same bytes are received once: a second upload is refused.
    content_sha256 = models.CharField(max_length=64, unique=True)
    via = models.CharField(max_length=10, choices=Via.choices)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    # What happened, in plain words (why refused, what was posted).
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("file received")
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return self.name


class ClaimStatusEvent(models.Model):
    """An acknowledgement's word on a batch or a claim (999, 277CA)."""

    inbound_file = models.ForeignKey(
        InboundFile, on_delete=models.PROTECT, related_name="status_events"
    )
    batch = models.ForeignKey(
        ClaimBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="status_events"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="status_events"
    )
    accepted = models.BooleanField()
    # The codes as received (999 IK5/AK9, IK3/IK4; 277CA STC category:status).
    codes = models.CharField(max_length=120, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("claim status")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{'accepted' if self.accepted else 'rejected'} {self.codes}"


class AdjustmentReason(models.Model):
    """The published code lists: Claim Adjustment Reason Codes (CARC) and
    Remittance Advice Remark Codes (RARC), loaded by data migration."""

    class Kind(models.TextChoices):
        CARC = "carc", _("Claim adjustment reason code")
        RARC = "rarc", _("Remittance advice remark code")

    kind = models.CharField(max_length=4, choices=Kind.choices)
    code = models.CharField(max_length=8)
    description = models.TextField()

    class Meta:
        verbose_name = _("adjustment reason code")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="adjustmentreason_once"),
        ]

    def __str__(self):
        return f"{self.code} {self.description[:60]}"


class Remittance(models.Model):
    """One 835 transaction: a payment (or a zero-pay advice) from a payer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inbound_file = models.ForeignKey(
        InboundFile, on_delete=models.PROTECT, related_name="remittances"
    )
    payer = models.ForeignKey(
        Payer, null=True, blank=True, on_delete=models.PROTECT, related_name="remittances"
    )
    payer_name = models.CharField(max_length=120)
    payer_identifier = models.CharField(max_length=80, blank=True)
    payee_tax_id = models.CharField(max_length=20, blank=True)
    # TRN02: the check or EFT trace number; with the payer, unique.
    trace_number = models.CharField(max_length=50)
    payment_method = models.CharField(max_length=3)
    payment_amount = models.DecimalField(max_digits=12, decimal_places=2)
    payment_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("remittance")
        ordering = ["-payment_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["payer_identifier", "trace_number"], name="remittance_trace_once"
            ),
        ]

    def __str__(self):
        return f"{self.payer_name} {self.trace_number}"


class ClaimPayment(models.Model):
    """A claim's payment in a remittance (835 loop 2100, CLP). Unmatched
    until its claim is known; posted once matched, by rule or by a person."""

    class Status(models.TextChoices):
        POSTED = "posted", _("Posted")
        UNMATCHED = "unmatched", _("Waiting to be matched")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    remittance = models.ForeignKey(
        Remittance, on_delete=models.PROTECT, related_name="claim_payments"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    patient_control_number = models.CharField(max_length=38)
    # CLP02, Claim Status Code (1 processed as primary, 4 denied, 22 reversal...).
    claim_status_code = models.CharField(max_length=2)
    charged = models.DecimalField(max_digits=10, decimal_places=2)
    paid = models.DecimalField(max_digits=10, decimal_places=2)
    patient_responsibility = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    payer_claim_number = models.CharField(max_length=50, blank=True)
    patient_name = models.CharField(max_length=120, blank=True)
    # The CLP loop as parsed (service lines, CAS, LQ), kept for posting by hand.
    detail = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices)
    unmatched_reason = models.CharField(max_length=255, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("claim payment")
        ordering = ["remittance_id", "id"]
        indexes = [models.Index(fields=["status"], name="claimpayment_status_idx")]

    def __str__(self):
        return f"{self.patient_control_number} {self.paid}"


class Posting(models.Model):
    """The receivables ledger: every amount that moves a charge's balance.
    A charge's payer balance is its amount less payments and adjustments;
    patient responsibility moves to the client's balance, which client
    payments reduce."""

    class Kind(models.TextChoices):
        PAYER_PAYMENT = "payer_payment", _("Payer payment")
        ADJUSTMENT = "adjustment", _("Adjustment")
        PATIENT_RESPONSIBILITY = "patient_resp", _("Patient responsibility")
        PATIENT_PAYMENT = "patient_payment", _("Client payment")

    # CAS01, Claim Adjustment Group Code (X12 element 1033).
    class Group(models.TextChoices):
        CO = "CO", _("CO Contractual obligation")
        PR = "PR", _("PR Patient responsibility")
        OA = "OA", _("OA Other adjustment")
        PI = "PI", _("PI Payer-initiated reduction")

    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="postings")
    claim_line = models.ForeignKey(
        ClaimLine, null=True, blank=True, on_delete=models.PROTECT, related_name="postings"
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="postings")
    payer = models.ForeignKey(
        Payer, null=True, blank=True, on_delete=models.PROTECT, related_name="postings"
    )
    claim_payment = models.ForeignKey(
        ClaimPayment, null=True, blank=True, on_delete=models.PROTECT, related_name="postings"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    group_code = models.CharField(max_length=2, choices=Group.choices, blank=True)
    reason_code = models.CharField(max_length=8, blank=True)
    remark_codes = ArrayField(models.CharField(max_length=8), default=list, blank=True)
    posted_on = models.DateField()
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("posting")
        ordering = ["posted_on", "id"]
        indexes = [
            models.Index(fields=["charge"], name="posting_charge_idx"),
            models.Index(fields=["client", "kind"], name="posting_client_kind_idx"),
            models.Index(fields=["kind", "posted_on"], name="posting_kind_date_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class Denial(models.Model):
    """A denied service line waiting for a person: the reason, the next
    action and its due date."""

    class NextAction(models.TextChoices):
        CORRECT_RESUBMIT = "resubmit", _("Correct and resubmit (replacement claim)")
        OBTAIN_AUTHORIZATION = "authorization", _("Obtain a retro authorization, then resubmit")
        APPEAL = "appeal", _("Appeal with documentation")
        VERIFY_COVERAGE = "coverage", _("Verify coverage, bill the right payer")
        BILL_CLIENT = "bill_client", _("Bill the client")
        WRITE_OFF = "write_off", _("Write off")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="denials")
    claim_line = models.ForeignKey(
        ClaimLine, null=True, blank=True, on_delete=models.PROTECT, related_name="denials"
    )
    claim_payment = models.ForeignKey(
        ClaimPayment, on_delete=models.PROTECT, related_name="denials"
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="denials")
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="denials")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    group_code = models.CharField(max_length=2, blank=True)
    reason_code = models.CharField(max_length=8)
    remark_codes = ArrayField(models.CharField(max_length=8), default=list, blank=True)
    next_action = models.CharField(max_length=16, choices=NextAction.choices)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField(max_length=255, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("denial")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="denial_status_due_idx")]

    def __str__(self):
        return f"{self.reason_code} {self.amount}"
