"""A client's coverages and their verification (DOMAIN.md section 13)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from billing.models.payers import Payer
from billing.storage import private_storage
from iop.clients.models import Client


class CoverageQuerySet(models.QuerySet):
    def on(self, day):
        """In force on `day` (one query, in order: primary first)."""
        return (
            self.filter(effective_from__lte=day)
            .filter(models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=day))
            .order_by("order", "effective_from")
        )


class Coverage(models.Model):
    class Order(models.IntegerChoices):
        PRIMARY = 1, _("Primary")
        SECONDARY = 2, _("Secondary")
        TERTIARY = 3, _("Tertiary")

    # X12 837P Individual Relationship Code (data element 1069), as the
    # 005010X222A1 guide uses it: 18 in loop 2000B SBR02 when the client is
    # the subscriber; otherwise PAT01 in loop 2000C, which allows 01, 19, 20,
    # 21, 39, 40, 53 and G8 (the donor codes 39 and 40 have no use in an
    # outpatient program and are left out). Checked against the X12 element
    # 1069 code list (doc.chinlinktech.com/x12/003050/element/1069) and the
    # CMS HIPAA individual relationship codes (CMS transmittal R9MSP).
    class Relationship(models.TextChoices):
        SELF = "18", _("Self")
        SPOUSE = "01", _("Spouse")
        CHILD = "19", _("Child")
        EMPLOYEE = "20", _("Employee")
        UNKNOWN = "21", _("Unknown")
        LIFE_PARTNER = "53", _("Life partner")
        OTHER = "G8", _("Other relationship")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="coverages")
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="coverages")
    plan_name = models.CharField(_("plan"), max_length=120, blank=True)
    member_id = models.CharField(_("member ID"), max_length=40, blank=True)
    group_number = models.CharField(_("group number"), max_length=40, blank=True)
    subscriber_name = models.CharField(_("subscriber"), max_length=120, blank=True)
    subscriber_relationship = models.CharField(
        _("client's relationship to the subscriber"), max_length=2, choices=Relationship.choices
    )
    subscriber_birth_date = models.DateField(_("subscriber's date of birth"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), choices=Order.choices)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    # The card's images: stored under PRIVATE_MEDIA_ROOT, never under a
    # public URL; served only by a view that applies the access policy.
    card_front = models.FileField(
        _("card, front"), upload_to="coverage-cards/", storage=private_storage, blank=True
    )
    card_back = models.FileField(
        _("card, back"), upload_to="coverage-cards/", storage=private_storage, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CoverageQuerySet.as_manager()

    class Meta:
        verbose_name = _("coverage")
        ordering = ["client_id", "order", "effective_from"]
        indexes = [
            models.Index(
                fields=["client", "order", "effective_from"], name="coverage_client_order_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="coverage_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.payer} ({self.get_order_display()})"


class CoverageVerification(models.Model):
    """Eligibility checked with the payer: when, by whom, how, what it said."""

    class Method(models.TextChoices):
        PORTAL = "portal", _("Payer's web portal")
        PHONE = "phone", _("Telephone")
        ELIGIBILITY_270 = "x12_270", _("Electronic eligibility inquiry (270/271)")
        CARD = "card", _("Card seen")

    class Result(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        UNABLE = "unable", _("Could not be verified")

    coverage = models.ForeignKey(Coverage, on_delete=models.PROTECT, related_name="verifications")
    verified_on = models.DateField(_("verified on"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coverage verification")
        ordering = ["-verified_on", "-id"]

    def __str__(self):
        return f"{self.get_result_display()} {self.verified_on}"
