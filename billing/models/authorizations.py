"""Prior authorizations and utilization review (DOMAIN.md section 13)."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from billing.codes import PROCEDURE_CODE_CHOICES
from billing.models.coverage import Coverage


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
    level_of_care = models.CharField(_("level of care"), max_length=8, blank=True)
    reviewer_name = models.CharField(_("reviewer"), max_length=120, blank=True)
    reviewer_contact = models.CharField(_("reviewer's contact"), max_length=120, blank=True)
    next_review_on = models.DateField(_("next concurrent review"), null=True, blank=True)
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
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("utilization review")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self):
        return f"{self.get_decision_display()} {self.reviewed_on}"
