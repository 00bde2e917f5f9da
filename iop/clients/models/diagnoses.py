"""Diagnoses of an episode of care: DSM-5-TR substance use disorders from the
criteria checklist, and co-occurring mental health diagnoses by ICD-10-CM
code (DOMAIN.md section 11). The rule and the vocabulary are in
iop.clients.diagnoses; the code list in iop.clients.icd10."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iop.clients.diagnoses import Criterion, Remission, Severity, SubstanceClass
from iop.clients.models.records import Client, Episode


class DiagnosisQuerySet(models.QuerySet):
    def current(self):
        """Not resolved: what the episode is treated for."""
        return self.filter(date_resolved__isnull=True)

    def primary(self):
        """The current primary diagnosis (at most one per episode)."""
        return self.current().filter(rank=1)


class Diagnosis(models.Model):
    """One diagnosis of an episode. `rank` orders the current ones: 1 is the
    primary diagnosis, 2, 3 ... the secondary ones. Made by a licensed
    clinician it is confirmed at once; by anyone else it is proposed until a
    licensed counselor or supervisor confirms it."""

    class Kind(models.TextChoices):
        SUD = "sud", _("Substance use disorder")
        MENTAL_HEALTH = "mental_health", _("Co-occurring mental health")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="diagnoses")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="diagnoses")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    icd10_code = models.CharField(_("ICD-10-CM code"), max_length=8)
    description = models.CharField(_("ICD-10-CM description"), max_length=255)
    rank = models.PositiveSmallIntegerField(_("rank"), default=1)

    # Substance use disorders: the checklist and what it gave.
    substance_class = models.CharField(
        _("substance class"), max_length=16, choices=SubstanceClass.choices, blank=True
    )
    criteria_met = ArrayField(
        models.CharField(max_length=24, choices=Criterion.choices),
        verbose_name=_("criteria met"),
        default=list,
        blank=True,
    )
    supervised_medication = models.BooleanField(
        _("tolerance/withdrawal only under medical supervision with prescribed medication"),
        default=False,
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    remission = models.CharField(
        _("remission"), max_length=10, choices=Remission.choices, blank=True
    )
    on_maintenance_therapy = models.BooleanField(_("on maintenance therapy"), default=False)
    in_controlled_environment = models.BooleanField(_("in a controlled environment"), default=False)

    date_made = models.DateField(_("date made"))
    date_resolved = models.DateField(_("date resolved"), null=True, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DiagnosisQuerySet.as_manager()

    class Meta:
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")
        ordering = ["episode_id", "date_resolved", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(rank=1, date_resolved__isnull=True),
                name="diagnosis_one_primary",
            ),
            models.CheckConstraint(
                condition=Q(date_resolved__isnull=True)
                | Q(date_resolved__gte=models.F("date_made")),
                name="diagnosis_resolved_after_made",
            ),
            models.CheckConstraint(
                condition=~Q(kind="sud") | ~Q(substance_class="") & ~Q(severity=""),
                name="diagnosis_sud_has_class_and_severity",
            ),
        ]
        indexes = [
            # The proposed diagnoses a licensed clinician confirms.
            models.Index(
                fields=["created_at"], condition=Q(status="proposed"), name="diagnosis_proposed_idx"
            ),
        ]

    def __str__(self):
        return f"{self.icd10_code} {self.label}"

    @property
    def is_primary(self) -> bool:
        return self.rank == 1 and self.date_resolved is None

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def label(self) -> str:
        """The DSM-5-TR name: "Opioid use disorder, moderate, in early
        remission, on maintenance therapy"; the ICD-10-CM description for
        other diagnoses."""
        if self.kind != self.Kind.SUD:
            return self.description
        parts = [
            _("%(substance)s use disorder")
            % {"substance": SubstanceClass(self.substance_class).label},
            Severity(self.severity).label.lower(),
        ]
        if self.remission:
            parts.append(Remission(self.remission).label.lower())
        if self.on_maintenance_therapy:
            parts.append(str(_("on maintenance therapy")))
        if self.in_controlled_environment:
            parts.append(str(_("in a controlled environment")))
        return ", ".join(str(part) for part in parts)
