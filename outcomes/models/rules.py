"""The "not on track" rules, as data: which kinds of rule exist is code
(outcomes.rules evaluates each kind), their thresholds and whether they are
in use are rows administrators edit (outcomes:rules, audited). The default
rows arrive with migration 0003_on_track_rules."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OnTrackRule(models.Model):
    """One rule. Each kind reads only the parameters it needs (the others are
    empty); outcomes.rules states the exact definitions."""

    class Kind(models.TextChoices):
        NO_IMPROVEMENT = "no_improvement", _("Symptom score not improved")
        USE_RUNNING = "use_running", _("Substance use reported on consecutive BAMs")
        RISK_RISING = "risk_rising", _("BAM Risk composite rising")
        MISSED_MEASURES = "missed_measures", _("Due measures not completed")

    # Instruments a no_improvement rule may watch: those with a validated total.
    SYMPTOM_INSTRUMENTS = (("PHQ-9", "PHQ-9"), ("GAD-7", "GAD-7"))

    key = models.SlugField(_("key"), max_length=40, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, editable=False)
    label = models.CharField(_("label shown on flags"), max_length=60)
    instrument = models.CharField(
        _("instrument"), max_length=10, blank=True, choices=SYMPTOM_INSTRUMENTS
    )
    weeks = models.PositiveSmallIntegerField(
        _("weeks"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    points = models.PositiveSmallIntegerField(
        _("points"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    percent = models.PositiveSmallIntegerField(
        _("percent"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    count = models.PositiveSmallIntegerField(
        _("times in a row"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("not-on-track rule")
        verbose_name_plural = _("not-on-track rules")
        ordering = ["kind", "instrument", "key"]
        constraints = [
            # The parameters each kind reads are always there.
            models.CheckConstraint(
                condition=~Q(kind="no_improvement")
                | (
                    Q(instrument__in=["PHQ-9", "GAD-7"])
                    & Q(weeks__isnull=False, points__isnull=False, percent__isnull=False)
                ),
                name="on_track_no_improvement_params",
            ),
            models.CheckConstraint(
                condition=~Q(kind="use_running") | Q(weeks__isnull=False),
                name="on_track_use_running_params",
            ),
            models.CheckConstraint(
                condition=~Q(kind="risk_rising") | Q(points__isnull=False),
                name="on_track_risk_rising_params",
            ),
            models.CheckConstraint(
                condition=~Q(kind="missed_measures") | Q(count__isnull=False),
                name="on_track_missed_measures_params",
            ),
        ]

    def __str__(self):
        return self.label

    # The parameters each kind reads, in the order the rules page shows them.
    PARAMETERS = {
        Kind.NO_IMPROVEMENT: ("weeks", "points", "percent"),
        Kind.USE_RUNNING: ("weeks",),
        Kind.RISK_RISING: ("points",),
        Kind.MISSED_MEASURES: ("count",),
    }

    @property
    def parameters(self) -> tuple[str, ...]:
        # A rule not yet given its kind (an unbound form) reads none.
        return self.PARAMETERS.get(self.kind, ())
