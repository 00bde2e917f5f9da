"""Payers and what each pays for: accepted codes, rates with effective
dates, the IOP per diem's qualifying rule (DOMAIN.md section 13)."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from billing.codes import PROCEDURE_CODE_CHOICES, Modifier


class Payer(models.Model):
    class Kind(models.TextChoices):
        MEDICAID = "medicaid", _("Medicaid")
        MEDICARE = "medicare", _("Medicare")
        COMMERCIAL = "commercial", _("Commercial")
        MANAGED_CARE = "managed_care", _("Managed care")
        SELF_PAY = "self_pay", _("Self-pay")
        GRANT = "grant", _("Grant or state funded")

    # X12 837P loop 2000B SBR09, Claim Filing Indicator Code (data element
    # 1032), the whole list the 005010X222A1 guide allows; checked against
    # Stedi's claims code lists (stedi.com/docs/healthcare/claims-code-lists)
    # and the X12 element's code list. 11 is also what state-funded and grant
    # programs are filed under; ZZ is "mutually defined" with the payer.
    class FilingIndicator(models.TextChoices):
        OTHER_NON_FEDERAL = "11", _("11 Other non-federal programs")
        PPO = "12", _("12 Preferred provider organization (PPO)")
        POS = "13", _("13 Point of service (POS)")
        EPO = "14", _("14 Exclusive provider organization (EPO)")
        INDEMNITY = "15", _("15 Indemnity insurance")
        HMO_MEDICARE_RISK = "16", _("16 Health maintenance organization (HMO) Medicare risk")
        DMO = "17", _("17 Dental maintenance organization")
        AUTOMOBILE_MEDICAL = "AM", _("AM Automobile medical")
        BLUE_CROSS = "BL", _("BL Blue Cross/Blue Shield")
        CHAMPUS = "CH", _("CH CHAMPUS (TRICARE)")
        COMMERCIAL = "CI", _("CI Commercial insurance company")
        DISABILITY = "DS", _("DS Disability")
        FEDERAL_EMPLOYEES = "FI", _("FI Federal Employees Program")
        HMO = "HM", _("HM Health maintenance organization")
        LIABILITY_MEDICAL = "LM", _("LM Liability medical")
        MEDICARE_A = "MA", _("MA Medicare Part A")
        MEDICARE_B = "MB", _("MB Medicare Part B")
        MEDICAID = "MC", _("MC Medicaid")
        OTHER_FEDERAL = "OF", _("OF Other federal program")
        TITLE_V = "TV", _("TV Title V")
        VETERANS = "VA", _("VA Veterans Affairs plan")
        WORKERS_COMPENSATION = "WC", _("WC Workers' compensation health claim")
        MUTUALLY_DEFINED = "ZZ", _("ZZ Mutually defined")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    electronic_payer_id = models.CharField(_("electronic payer ID"), max_length=80, blank=True)
    address_line1 = models.CharField(_("address"), max_length=120, blank=True)
    address_line2 = models.CharField(_("address, line 2"), max_length=120, blank=True)
    city = models.CharField(_("city"), max_length=60, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    claim_filing_indicator = models.CharField(
        _("claim filing indicator"), max_length=2, choices=FilingIndicator.choices, blank=True
    )
    # What it accepts: an empty list accepts every code of the fee schedule.
    accepted_codes = ArrayField(
        models.CharField(max_length=5, choices=PROCEDURE_CODE_CHOICES),
        verbose_name=_("codes accepted"),
        default=list,
        blank=True,
    )
    # The IOP per diem (H0015) and its qualifying rule; on a day that does
    # not qualify, the day's services are billed by their component codes.
    pays_per_diem = models.BooleanField(_("pays the IOP per diem"), default=True)
    per_diem_minutes = models.PositiveSmallIntegerField(
        _("attended minutes that make a qualifying day"), default=180
    )
    per_diem_days_per_week = models.PositiveSmallIntegerField(
        _("qualifying days needed in the week"), default=3
    )
    group_code = models.CharField(
        _("group service billed as"),
        max_length=5,
        choices=[("H0005", "H0005"), ("90853", "90853")],
        default="H0005",
    )
    individual_code_basis = models.CharField(
        _("individual sessions billed as"),
        max_length=8,
        choices=[("H0004", _("H0004 per 15 minutes")), ("9083x", _("90832/90834/90837 by time"))],
        default="H0004",
    )
    requires_authorization = models.BooleanField(_("requires prior authorization"), default=False)
    credential_modifier = models.BooleanField(
        _("wants the rendering clinician's credential modifier"), default=False
    )
    # How charges become claims: one claim per date of service, or one per
    # calendar month of services (a payer's billing instructions say which).
    claim_span = models.CharField(
        _("one claim per"),
        max_length=5,
        choices=[("day", _("date of service")), ("month", _("calendar month"))],
        default="day",
    )
    # Days from the date of service within which the payer must receive the
    # claim (its contract's timely filing limit); the claims worklist warns.
    timely_filing_days = models.PositiveSmallIntegerField(
        _("timely filing limit (days)"), default=90
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payer")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def bills_clients(self) -> bool:
        """Self-pay and grant clients get charges at the program's rate, for
        statements and grant reporting, not claims."""
        return self.kind in (self.Kind.SELF_PAY, self.Kind.GRANT)


class FeeRate(models.Model):
    """The rate of a code (with its modifiers, sorted) from a date. A payer of
    None is the program's own rate (self-pay and grant clients). Rates are
    never edited: a new rate starts and the old one ends the day before."""

    payer = models.ForeignKey(
        Payer, null=True, blank=True, on_delete=models.PROTECT, related_name="rates"
    )
    code = models.CharField(_("code"), max_length=5, choices=PROCEDURE_CODE_CHOICES)
    modifiers = ArrayField(
        models.CharField(max_length=2, choices=Modifier.choices),
        verbose_name=_("modifiers"),
        default=list,
        blank=True,
    )
    amount = models.DecimalField(_("rate per unit"), max_digits=9, decimal_places=2)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fee rate")
        ordering = ["payer_id", "code", "effective_from"]
        indexes = [
            models.Index(fields=["payer", "code", "effective_from"], name="feerate_lookup_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="feerate_ends_after_start",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="feerate_not_negative"),
        ]

    def __str__(self):
        return f"{self.code} {'-'.join(self.modifiers)} {self.amount} from {self.effective_from}"
