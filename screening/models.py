"""Referrals, screening visits, instrument administrations, safety flags and
the editable level-of-care table. Scoring itself is in screening.instruments."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iop.clients import teds
from iop.clients.models import Client, Episode
from iop.clients.notes import SignableNote
from screening.instruments import DIMENSIONS, LEVEL_LABELS, flag_label

RATING_VALIDATORS = [MinValueValidator(0), MaxValueValidator(4)]

# Where a screening can send a client: the levels of care, the safety gates'
# services and "another service" (e.g. mental-health only).
DECISION_LEVEL_CHOICES = [
    *[
        (code, f"{code} {label}" if code[0].isdigit() else label)
        for code, label in LEVEL_LABELS.items()
    ],
    ("other", _("Another service")),
]
# Levels an IOP program admits to itself; anything else is a referral out.
ADMITTING_LEVELS = ("1.0", "2.1", "2.5")


class LevelOfCareRule(models.Model):
    """One row of the placement table: the highest rating of each dimension
    the level can safely serve (empty = any). Administrators edit it in the
    admin; the default rows come from data migration 0002 (DOMAIN.md section 4)."""

    edition = models.CharField(_("edition"), max_length=40, default="ASAM Criteria 3rd ed.")
    code = models.CharField(_("level"), max_length=4, unique=True)
    label = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), help_text=_("Least intensive first."))
    d1_max = models.PositiveSmallIntegerField(
        "D1 cap", null=True, blank=True, validators=RATING_VALIDATORS
    )
    d2_max = models.PositiveSmallIntegerField(
        "D2 cap", null=True, blank=True, validators=RATING_VALIDATORS
    )
    d3_max = models.PositiveSmallIntegerField(
        "D3 cap", null=True, blank=True, validators=RATING_VALIDATORS
    )
    d4_max = models.PositiveSmallIntegerField(
        "D4 cap", null=True, blank=True, validators=RATING_VALIDATORS
    )
    d5_max = models.PositiveSmallIntegerField(
        "D5 cap", null=True, blank=True, validators=RATING_VALIDATORS
    )
    d6_max = models.PositiveSmallIntegerField(
        "D6 cap", null=True, blank=True, validators=RATING_VALIDATORS
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("level-of-care rule")
        verbose_name_plural = _("level-of-care table")
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code} {self.label}"

    @property
    def caps(self) -> dict[str, int | None]:
        return {dimension: getattr(self, f"{dimension.lower()}_max") for dimension in DIMENSIONS}


class Referral(models.Model):
    """What is known when a referral arrives: the TEDS admission fields
    (their choice lists and codes: iop.clients.teds)."""

    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="referral")
    source = models.CharField(
        _("referral source"), max_length=20, choices=teds.ReferralSource.choices
    )
    source_detail = models.CharField(_("referred by"), max_length=200, blank=True)
    prior_episodes = models.PositiveSmallIntegerField(
        _("prior treatment episodes"), default=0, validators=[MaxValueValidator(99)]
    )
    planned_moud = models.BooleanField(
        _("medication for opioid use disorder planned"), default=False
    )
    employment = models.CharField(
        _("employment"), max_length=20, choices=teds.Employment.choices, blank=True
    )
    living_arrangement = models.CharField(
        _("living arrangement"), max_length=20, choices=teds.Living.choices, blank=True
    )
    education = models.CharField(
        _("education"), max_length=20, choices=teds.Education.choices, blank=True
    )
    veteran = models.BooleanField(_("veteran"), null=True, blank=True)
    pregnant = models.BooleanField(_("pregnant"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral")

    def __str__(self):
        return f"Referral of {self.episode}"


class ReferralSubstance(models.Model):
    """Primary, secondary and tertiary substance at referral (TEDS)."""

    class Rank(models.IntegerChoices):
        PRIMARY = 1, _("Primary")
        SECONDARY = 2, _("Secondary")
        TERTIARY = 3, _("Tertiary")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="substances")
    rank = models.PositiveSmallIntegerField(_("rank"), choices=Rank.choices)
    substance = models.CharField(_("substance"), max_length=20, choices=teds.Substance.choices)
    route = models.CharField(_("route"), max_length=12, choices=teds.Route.choices)
    frequency = models.CharField(_("frequency"), max_length=12, choices=teds.Frequency.choices)
    age_first_use = models.PositiveSmallIntegerField(
        _("age at first use"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "rank"], name="referral_substance_rank_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_rank_display()}: {self.get_substance_display()}"


class Screening(SignableNote):
    """A screening visit: instruments, the six dimension ratings, the
    recommendation and the decision. Completing it signs it through the shared
    signing mechanism (iop.clients.signing): the signer, the time, late after
    72 hours from the visit's start, a supervisor's co-signature for a screener
    in training; afterwards only addenda (NoteAddendum) may be added."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        COMPLETED = "completed", _("Completed")

    class Decision(models.TextChoices):
        ADMIT = "admit", _("Admit to the program")
        REFER = "refer", _("Refer to another level or service")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="screenings")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    complicated_withdrawal = models.BooleanField(
        _("complicated withdrawal (seizure, delirium or hallucinations)"), default=False
    )
    recommended_level = models.CharField(_("recommended level"), max_length=20, blank=True)
    recommendation_reasons = models.JSONField(default=list, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_level = models.CharField(
        _("decided level or service"), max_length=20, choices=DECISION_LEVEL_CHOICES, blank=True
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    share_results_in_letter = models.BooleanField(
        _("client consented to share screening results with the receiving provider"), default=False
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(status="draft"),
                name="screening_one_draft_per_episode",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(signed_at__isnull=False) & ~Q(decision="")),
                name="screening_completed_is_signed",
            ),
        ]

    def __str__(self):
        return f"Screening {self.started_at:%Y-%m-%d} ({self.get_status_display()})"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def recommended_label(self) -> str:
        return LEVEL_LABELS.get(self.recommended_level, "")

    @property
    def client(self) -> Client:
        return self.episode.client


class DimensionRating(models.Model):
    """One of the six dimensions rated 0-4 with the screener's justification."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.CharField(max_length=2, choices=list(DIMENSIONS.items()))
    rating = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    justification = models.TextField()

    class Meta:
        ordering = ["dimension"]
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "dimension"], name="rating_one_per_dimension"
            ),
            models.CheckConstraint(condition=Q(rating__lte=4), name="rating_0_to_4"),
        ]

    def __str__(self):
        return f"{self.dimension}={self.rating}"


class InstrumentAdministration(models.Model):
    """One instrument given once: the answers as asked and the score they gave.
    Given within a screening visit or on its own later (re-administration),
    by staff or answered by the client (self-report link, clinic tablet)."""

    class Source(models.TextChoices):
        STAFF = "staff", _("By staff")
        PHONE = "phone", _("By staff, by phone")
        LINK = "link", _("Self-report link")
        KIOSK = "kiosk", _("Clinic tablet")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="administrations")
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="administrations"
    )
    screening = models.ForeignKey(
        Screening, null=True, blank=True, on_delete=models.PROTECT, related_name="administrations"
    )
    code = models.CharField(_("instrument"), max_length=10)
    version = models.CharField(max_length=40)
    answers = models.JSONField()
    sex_used = models.CharField(max_length=10, blank=True)
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    band = models.CharField(max_length=30)
    band_label = models.CharField(max_length=100)
    flags = models.JSONField(default=list, blank=True)
    # Composite sums (BAM: use, risk, protective); empty for most instruments.
    subscales = models.JSONField(default=dict, blank=True)
    source = models.CharField(
        _("answered"), max_length=12, choices=Source.choices, default=Source.STAFF
    )
    # The language the client read the questions in (self-report and kiosk).
    language = models.CharField(max_length=5, default="en")
    # Who gave it, or who started the kiosk; None for a client's own answer
    # through a link, which no staff member administered.
    administered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    administered_at = models.DateTimeField()

    class Meta:
        ordering = ["-administered_at", "-id"]
        indexes = [
            # The chart's scores-over-time reads one client's results per instrument.
            models.Index(
                fields=["client", "code", "administered_at"], name="admin_client_code_time_idx"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.total} ({self.band})"

    @property
    def flag_labels(self) -> list[str]:
        return [flag_label(key) for key in self.flags]


class SafetyFlag(models.Model):
    """A suicide-risk answer that must be acted on. Open until the staff member
    records the action taken; an open flag blocks completing the screening."""

    class Action(models.TextChoices):
        SAFETY_PLAN = "safety_plan", _("Safety plan completed with the client")
        SAME_DAY_EVALUATION = "same_day_evaluation", _("Same-day evaluation arranged")
        EMERGENCY_REFERRAL = "emergency_referral", _("Emergency referral (crisis line, ED, 911)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="safety_flags")
    administration = models.ForeignKey(
        InstrumentAdministration, on_delete=models.PROTECT, related_name="safety_flags"
    )
    kind = models.CharField(max_length=30, default="suicide_risk")
    reason = models.CharField(_("why"), max_length=200)
    raised_at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(_("action taken"), max_length=30, choices=Action.choices, blank=True)
    action_note = models.TextField(_("what was done"), blank=True)
    addressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    addressed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(
                fields=["client"],
                condition=Q(addressed_at__isnull=True),
                name="safety_flag_open_idx",
            ),
        ]

    def __str__(self):
        return f"{self.kind}: {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.addressed_at is None

    @property
    def kind_label(self) -> str:
        """The flag's kind in plain words, as staff read it."""
        return flag_label(self.kind)
