"""Treatment plans: problems -> goals -> measurable objectives with target
dates -> interventions. Reviewed at least every 30 days; a new version keeps
the previous ones readable (DOMAIN.md section 5)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iop.clients.models.records import Client, Episode
from iop.clients.notes import SignableNote

# Plans are reviewed at least every 30 days.
REVIEW_INTERVAL_DAYS = 30


class TreatmentPlan(SignableNote):
    """One version of an episode's plan. A draft is edited; signing by the
    counselor makes it the active version and supersedes the previous one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        SUPERSEDED = "superseded", _("Superseded")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="treatment_plans")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="treatment_plans")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    effective_date = models.DateField(_("effective from"), null=True, blank=True)
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)
    client_agreed_on = models.DateField(_("client agreed on"), null=True, blank=True)
    client_agreement_note = models.CharField(_("how the client agreed"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("treatment plan")
        ordering = ["-version", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "version"], name="plan_version_unique"),
            models.UniqueConstraint(
                fields=["episode"], condition=Q(status="active"), name="plan_one_active"
            ),
            models.UniqueConstraint(
                fields=["episode"], condition=Q(status="draft"), name="plan_one_draft"
            ),
        ]
        indexes = [
            # Overdue reviews for a counselor's caseload.
            models.Index(
                fields=["next_review_due"], condition=Q(status="active"), name="plan_review_due_idx"
            ),
        ]

    def __str__(self):
        return f"Plan v{self.version} ({self.get_status_display()})"


class Problem(models.Model):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="problems")
    number = models.PositiveSmallIntegerField(_("number"))
    statement = models.TextField(_("problem"))
    # The episode's diagnoses this problem addresses.
    diagnoses = models.ManyToManyField(
        "clients.Diagnosis", verbose_name=_("diagnoses"), blank=True, related_name="problems"
    )

    class Meta:
        ordering = ["plan", "number"]

    def __str__(self):
        return f"Problem {self.number}"


class Goal(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(_("number"))
    statement = models.TextField(_("goal"))

    class Meta:
        ordering = ["problem", "number"]

    def __str__(self):
        return f"Goal {self.problem.number}.{self.number}"


class Objective(models.Model):
    """A measurable step toward a goal, with its target date."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MET = "met", _("Met")
        REVISED = "revised", _("Revised")
        DISCONTINUED = "discontinued", _("Discontinued")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField(_("number"))
    statement = models.TextField(_("measurable objective"))
    target_date = models.DateField(_("target date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        ordering = ["goal", "number"]

    def __str__(self):
        return f"Objective {self.goal.problem.number}.{self.goal.number}.{self.number}"

    @property
    def label(self) -> str:
        return f"{self.goal.problem.number}.{self.goal.number}.{self.number} {self.statement}"


class Intervention(models.Model):
    """What the program does for an objective: who, how and how often."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="interventions")
    description = models.TextField(_("intervention"))
    responsible = models.CharField(_("who"), max_length=120)
    frequency = models.CharField(_("how often"), max_length=120)

    class Meta:
        ordering = ["objective", "id"]

    def __str__(self):
        return self.description[:60]
