"""Prior authorizations and utilization review (DOMAIN.md section 13).

Both are append-only, like money: an authorization is never edited nor
deleted. Units a payer grants at a concurrent review are a new
Authorization row for the extension's period (`extends` names the one it
continues), the common payer practice of certifying each review period
with its own dates and units; a review's next review date is a fact of the
review row, and the authorization's next review is read from its latest
review (billing.selectors.authorizations.with_next_review)."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from billing.codes import PROCEDURE_CODE_CHOICES
from billing.models.coverage import Coverage
from family.models import DisclosureCategory
from iop.clients.models import LevelOfCare


class Authorization(models.Model):
    """Units of services a payer authorized for a coverage, between two dates.
    Units used are counted from the charges that draw on it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coverage = models.ForeignKey(Coverage, on_delete=models.PROTECT, related_name="authorizations")
    number = models.CharField(_("authorization number"), max_length=50)
    service_codes = ArrayField(
        models.CharField(max_length=5, choices=PROCEDURE_CODE_CHOICES),
        verbose_name=_("service codes"),
    )
    units_authorized = models.PositiveIntegerField(_("units authorized"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    level_of_care = models.CharField(
        _("level of care"), max_length=8, choices=LevelOfCare.choices, blank=True
    )
    reviewer_name = models.CharField(_("reviewer"), max_length=120, blank=True)
    reviewer_contact = models.CharField(_("reviewer's contact"), max_length=120, blank=True)
    next_review_on = models.DateField(_("next concurrent review"), null=True, blank=True)
    # The authorization a review's granted units continue (None: an initial one).
    extends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="extensions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("authorization")
        ordering = ["coverage_id", "starts_on"]
        indexes = [
            models.Index(fields=["coverage", "ends_on"], name="authorization_coverage_end_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="authorization_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(units_authorized__gte=1) & models.Q(service_codes__len__gte=1),
                name="authorization_units_and_codes",
            ),
        ]

    def __str__(self):
        return self.number


class UtilizationReview(models.Model):
    """A review with the payer's reviewer: what was sent, what was decided."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        PARTIAL = "partial", _("Partly approved")
        DENIED = "denied", _("Denied")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    authorization = models.ForeignKey(
        Authorization, on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField(_("date"))
    reviewer = models.CharField(_("reviewer"), max_length=120)
    information_sent = models.TextField(_("what was sent"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    units_granted = models.PositiveIntegerField(_("units granted"), default=0)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    # What of the record went to the payer: each one a disclosure category
    # the consent must cover; `disclosure` is its row in the family ledger.
    categories_sent = ArrayField(
        models.CharField(max_length=20, choices=DisclosureCategory.choices),
        verbose_name=_("information sent"),
        default=list,
        blank=True,
    )
    disclosure = models.ForeignKey(
        "family.Disclosure", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The authorization the granted units became (approved or partial).
    extension = models.OneToOneField(
        Authorization, null=True, blank=True, on_delete=models.PROTECT, related_name="granted_by"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("utilization review")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self):
        return f"{self.get_decision_display()} {self.reviewed_on}"
