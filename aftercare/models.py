"""One-year aftercare: the plan made at step-down, its check-ins, the
outreach that follows a missed check-in, and the discharge summary."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iop.clients import teds
from iop.clients.models import Client, Episode
from iop.clients.notes import SignableNote


class AftercarePlan(models.Model):
    """Made when the intensive phase ends; lasts 12 months (DOMAIN.md 7)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="aftercare")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="aftercare_plans")
    started_on = models.DateField(_("started on"))
    ends_on = models.DateField(_("ends on"))
    recovery_goals = models.TextField(_("recovery goals"))
    triggers = models.TextField(_("triggers"))
    warning_signs = models.TextField(_("warning signs"))
    coping_steps = models.TextField(_("coping steps"))
    people_to_call = models.TextField(_("people to call"))
    # Three missed check-ins in a row flag the client until one is completed.
    flagged_at = models.DateTimeField(_("flagged for missed check-ins"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aftercare plan")
        ordering = ["-started_on", "-id"]

    def __str__(self):
        return f"Aftercare {self.started_on:%Y-%m-%d} – {self.ends_on:%Y-%m-%d}"


class CheckIn(SignableNote):
    """A scheduled aftercare contact and, once it happened (or did not), its
    record, signed with the shared signing mechanism."""

    class Mode(models.TextChoices):
        PHONE = "phone", _("Phone")
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video")

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        MISSED = "missed", _("Missed")
        UNABLE_TO_REACH = "unable_to_reach", _("Unable to reach")

    class Risk(models.TextChoices):
        LOW = "low", _("Low")
        MODERATE = "moderate", _("Moderate")
        HIGH = "high", _("High")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        RECORDED = "recorded", _("Recorded")
        CANCELLED = "cancelled", _("Cancelled")

    class ReEngagement(models.TextChoices):
        NONE = "", _("None needed")
        EXTRA_SESSION = "extra_session", _("Extra individual session")
        RETURN_TO_INTENSIVE = "return_to_intensive", _("Return to the intensive phase")
        REFERRAL = "referral", _("Referral to another service")

    class Employment(models.TextChoices):
        EMPLOYED = "employed", _("Employed")
        UNEMPLOYED = "unemployed", _("Unemployed")
        NOT_IN_LABOR_FORCE = "not_in_labor_force", _("Not in labor force")

    class Housing(models.TextChoices):
        STABLE = "stable", _("Stable housing")
        UNSTABLE = "unstable", _("Unstable housing")
        HOMELESS = "homeless", _("Homeless")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(AftercarePlan, on_delete=models.PROTECT, related_name="check_ins")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="check_ins")
    number = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    scheduled_at = models.DateTimeField(_("scheduled for"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    contacted_on = models.DateField(_("date"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.PHONE)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    days_of_use = models.PositiveSmallIntegerField(_("days of use since last contact"), default=0)
    substances_used = models.CharField(_("substances used"), max_length=200, blank=True)
    mutual_help_meetings = models.PositiveSmallIntegerField(
        _("mutual-help meetings since last contact"), default=0
    )
    employment = models.CharField(
        _("employment"), max_length=20, choices=Employment.choices, blank=True
    )
    housing = models.CharField(_("housing"), max_length=10, choices=Housing.choices, blank=True)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=Risk.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    re_engagement = models.CharField(
        _("re-engagement"), max_length=20, choices=ReEngagement.choices, blank=True
    )
    re_engagement_detail = models.CharField(_("re-engagement detail"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("check-in")
        ordering = ["due_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="checkin_number_unique"),
        ]
        indexes = [
            # The Aftercare page: scheduled check-ins by due date.
            models.Index(
                fields=["due_on"], condition=Q(status="scheduled"), name="checkin_due_idx"
            ),
        ]

    def __str__(self):
        return f"Check-in {self.number} due {self.due_on:%Y-%m-%d}"

    @property
    def needs_re_engagement(self) -> bool:
        return self.outcome == self.Outcome.COMPLETED and (
            self.risk_level == self.Risk.HIGH or self.days_of_use > 0
        )


class OutreachTask(models.Model):
    """Made when a check-in is missed or the client cannot be reached: the
    primary counselor tries to reach them until the task is closed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    check_in = models.OneToOneField(CheckIn, on_delete=models.PROTECT, related_name="outreach")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="outreach_tasks")
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="outreach_tasks"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outreach task")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["counselor", "created_at"],
                condition=Q(status="open"),
                name="outreach_open_idx",
            ),
        ]

    def __str__(self):
        return f"Outreach for {self.check_in}"


class OutreachAttempt(models.Model):
    class Method(models.TextChoices):
        PHONE = "phone", _("Phone call")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("Email")
        LETTER = "letter", _("Letter")
        VISIT = "visit", _("Home or community visit")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NO_ANSWER = "no_answer", _("No answer")
        LEFT_MESSAGE = "left_message", _("Left a message")
        WRONG_NUMBER = "wrong_number", _("Wrong or disconnected number")

    task = models.ForeignKey(OutreachTask, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField(auto_now_add=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self):
        return f"{self.get_method_display()}: {self.get_outcome_display()}"


class DischargeSummary(SignableNote):
    """The TEDS discharge fields (their choice lists and codes:
    iop.clients.teds) and the discharge summary note."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="discharge_summary"
    )
    substances_at_discharge = models.CharField(
        _("substances used in the past 30 days"), max_length=200, blank=True
    )
    employment = models.CharField(_("employment"), max_length=20, choices=teds.Employment.choices)
    living_arrangement = models.CharField(
        _("living arrangement"), max_length=12, choices=teds.Living.choices
    )
    mutual_help = models.CharField(
        _("mutual-help attendance"), max_length=8, choices=teds.MutualHelp.choices
    )
    # TEDS-D FREQ1_D: use of the admission's primary substance in the 30 days
    # before discharge (blank for summaries written before it was asked).
    primary_frequency = models.CharField(
        _("use of the primary substance, past 30 days"),
        max_length=12,
        choices=teds.Frequency.choices,
        blank=True,
    )
    summary = models.TextField(_("discharge summary"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("discharge summary")
        verbose_name_plural = _("discharge summaries")

    def __str__(self):
        return f"Discharge summary of {self.episode}"
