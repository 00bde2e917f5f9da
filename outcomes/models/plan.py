"""The program's measurement plan and the measures it makes due."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iop.clients.models import Client, Episode

# Instruments a plan may schedule: progress measures a client can answer
# themselves (screening's registry holds their definitions and scoring).
PLAN_INSTRUMENTS = (("BAM", "BAM"), ("PHQ-9", "PHQ-9"), ("GAD-7", "GAD-7"))


class Method(models.TextChoices):
    LINK = "link", _("Self-report link (text or email)")
    KIOSK = "kiosk", _("In clinic, on the clinic tablet")
    STAFF = "staff", _("In clinic, with staff")
    PHONE = "phone", _("By phone, with staff")


class MeasurePlanEntry(models.Model):
    """One line of the plan: an instrument at a moment of the episode, and
    how it is given. Program data: administrators edit it."""

    class Moment(models.TextChoices):
        ADMISSION = "admission", _("At admission")
        EVERY = "every", _("Every N days during the intensive phase")
        STEP_DOWN = "step_down", _("At step-down to aftercare")
        DISCHARGE = "discharge", _("At discharge")
        AFTERCARE = "aftercare", _("In aftercare month N")

    instrument = models.CharField(_("instrument"), max_length=10, choices=PLAN_INSTRUMENTS)
    moment = models.CharField(_("when"), max_length=12, choices=Moment.choices)
    # EVERY: the interval in days; AFTERCARE: the month after step-down.
    every_days = models.PositiveSmallIntegerField(_("every (days)"), null=True, blank=True)
    aftercare_month = models.PositiveSmallIntegerField(_("aftercare month"), null=True, blank=True)
    method = models.CharField(_("how"), max_length=8, choices=Method.choices, default=Method.LINK)
    # Days after the due date that the measure may still be completed.
    window_days = models.PositiveSmallIntegerField(_("days to complete"), default=7)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("measurement plan entry")
        verbose_name_plural = _("measurement plan")
        ordering = ["moment", "aftercare_month", "instrument", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(moment="every") | Q(every_days__gte=7, every_days__lte=180),
                name="plan_every_days_range",
            ),
            models.CheckConstraint(
                condition=~Q(moment="aftercare")
                | Q(aftercare_month__gte=1, aftercare_month__lte=12),
                name="plan_aftercare_month_range",
            ),
            models.UniqueConstraint(
                fields=["instrument", "moment", "every_days", "aftercare_month"],
                condition=Q(active=True),
                nulls_distinct=False,
                name="plan_entry_once",
            ),
        ]

    def __str__(self):
        return f"{self.instrument} {self.when}"

    @property
    def when(self) -> str:
        if self.moment == self.Moment.EVERY:
            return _("every %(days)s days in the intensive phase") % {"days": self.every_days}
        if self.moment == self.Moment.AFTERCARE:
            return _("aftercare month %(month)s") % {"month": self.aftercare_month}
        return self.get_moment_display()


class DueMeasure(models.Model):
    """A measure the plan (or a counselor) made due for one episode: one row
    per episode, instrument and occasion, so planning twice is harmless."""

    class Status(models.TextChoices):
        OPEN = "open", _("Due")
        COMPLETED = "completed", _("Completed")
        MISSED = "missed", _("Not completed")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="due_measures")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="due_measures")
    plan_entry = models.ForeignKey(
        MeasurePlanEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    instrument = models.CharField(_("instrument"), max_length=10)
    # "admission", "every-28-3" (the third 28-day measure), "step_down",
    # "discharge", "aftercare-6", "request-<date>" (asked by a counselor).
    occasion = models.CharField(max_length=30)
    method = models.CharField(_("how"), max_length=8, choices=Method.choices)
    due_on = models.DateField(_("due"))
    closes_on = models.DateField(_("open until"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    administration = models.ForeignKey(
        "screening.InstrumentAdministration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "instrument", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "instrument", "occasion"], name="due_measure_once"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("due_on")), name="due_measure_window"
            ),
        ]
        indexes = [
            # My day, the chart and the roster markers read open measures by client.
            models.Index(
                fields=["client", "due_on"], condition=Q(status="open"), name="due_measure_open_idx"
            ),
        ]

    def __str__(self):
        return f"{self.instrument} due {self.due_on:%Y-%m-%d}"
