"""Clients, episodes of care and caseload assignment."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Client(models.Model):
    """A person served by the program. Identifiers in URLs are `public_id`
    (random), never the primary key; `mrn` is the medical record number staff
    read and say aloud."""

    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        INTERSEX = "intersex", _("Intersex")
        UNKNOWN = "unknown", _("Unknown / not disclosed")

    class GenderIdentity(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        TRANS_WOMAN = "trans_woman", _("Transgender woman")
        TRANS_MAN = "trans_man", _("Transgender man")
        NON_BINARY = "non_binary", _("Non-binary")
        OTHER = "other", _("Another identity")
        DECLINED = "declined", _("Declined to answer")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mrn = models.CharField(_("record number"), max_length=12, unique=True, editable=False)

    legal_first_name = models.CharField(_("legal first name"), max_length=100)
    legal_last_name = models.CharField(_("legal last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex assigned at birth"), max_length=10, choices=Sex.choices)
    gender_identity = models.CharField(
        _("gender identity"), max_length=20, choices=GenderIdentity.choices, blank=True
    )

    phone = models.CharField(_("mobile phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address_line1 = models.CharField(_("address"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=50, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )

    # Contact consent per channel, with when it was given and the exact words
    # the client agreed to (reminders only use consented channels).
    sms_consent = models.BooleanField(_("consents to text messages"), default=False)
    sms_consent_at = models.DateTimeField(_("text consent given at"), null=True, blank=True)
    sms_consent_wording = models.TextField(_("text consent wording"), blank=True)
    email_consent = models.BooleanField(_("consents to email"), default=False)
    email_consent_at = models.DateTimeField(_("email consent given at"), null=True, blank=True)
    email_consent_wording = models.TextField(_("email consent wording"), blank=True)

    emergency_contact_name = models.CharField(_("emergency contact"), max_length=200, blank=True)
    emergency_contact_relationship = models.CharField(_("relationship"), max_length=100, blank=True)
    emergency_contact_phone = models.CharField(_("emergency phone"), max_length=32, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["legal_last_name", "legal_first_name", "id"]
        indexes = [
            # The client list sorts and searches by name, and by birth date.
            models.Index(fields=["legal_last_name", "legal_first_name"], name="client_name_idx"),
            models.Index(fields=["date_of_birth"], name="client_dob_idx"),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.mrn})"

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.legal_first_name
        return f"{first} {self.legal_last_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"


class LevelOfCare(models.TextChoices):
    """ASAM levels of care (numbering of the 3rd edition; DOMAIN.md section 4)."""

    OUTPATIENT = "1.0", _("1.0 Outpatient")
    INTENSIVE_OUTPATIENT = "2.1", _("2.1 Intensive outpatient")
    PARTIAL_HOSPITALIZATION = "2.5", _("2.5 Partial hospitalization")
    RESIDENTIAL_CLINICAL = "3.5", _("3.5 Clinically managed residential")
    RESIDENTIAL_MEDICAL = "3.7", _("3.7 Medically monitored residential")
    INPATIENT = "4", _("4 Medically managed inpatient")


class Episode(models.Model):
    """An episode of care, from referral through admission to discharge.

    A readmission is a new episode; a client has at most one open episode.
    """

    class Phase(models.TextChoices):
        SCREENING = "screening", _("Screening")
        INTENSIVE = "intensive", _("Intensive")
        AFTERCARE = "aftercare", _("Aftercare")
        DISCHARGED = "discharged", _("Discharged")

    # Admitted and not discharged: the phases in which a client attends
    # groups, is enrolled and may be discharged (DOMAIN.md section 5).
    ACTIVE_PHASES = (Phase.INTENSIVE, Phase.AFTERCARE)
    # Every phase but discharged: an open episode, as the dashboard counts them
    # (a client has at most one: episode_one_open_per_client).
    OPEN_PHASES = (Phase.SCREENING, Phase.INTENSIVE, Phase.AFTERCARE)

    class DischargeReason(models.IntegerChoices):
        # TEDS discharge reason codes (SAMHSA TEDS-D).
        COMPLETED = 1, _("Treatment completed")
        LEFT_AGAINST_ADVICE = 2, _("Left against professional advice (dropped out)")
        TERMINATED = 3, _("Terminated by facility")
        TRANSFERRED = 4, _("Transferred to another program or facility")
        INCARCERATED = 5, _("Incarcerated")
        DEATH = 6, _("Death")
        OTHER = 7, _("Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="episodes"
    )
    # The client's 1st, 2nd... episode: with the record number, the short
    # stable case id of the TEDS export. A trigger numbers each new row
    # (migration 0009), whoever inserts it; the placeholder 0 never stays.
    number = models.PositiveSmallIntegerField(_("episode number"), db_default=0, editable=False)
    phase = models.CharField(
        _("phase"), max_length=12, choices=Phase.choices, default=Phase.SCREENING
    )
    referral_date = models.DateField(_("referral date"))
    admission_date = models.DateField(_("admission date"), null=True, blank=True)
    level_of_care = models.CharField(
        _("level of care"), max_length=4, choices=LevelOfCare.choices, blank=True
    )
    primary_counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("primary counselor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="primary_episodes",
    )
    discharge_date = models.DateField(_("discharge date"), null=True, blank=True)
    discharge_reason = models.PositiveSmallIntegerField(
        _("discharge reason"), choices=DischargeReason.choices, null=True, blank=True
    )
    # Set from the primary diagnosis when the episode is discharged; editable.
    discharge_diagnosis = models.ForeignKey(
        "clients.Diagnosis",
        verbose_name=_("diagnosis at discharge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("episode of care")
        verbose_name_plural = _("episodes of care")
        ordering = ["-referral_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["client", "number"], name="episode_number_per_client"),
            models.UniqueConstraint(
                fields=["client"],
                condition=~Q(phase="discharged"),
                name="episode_one_open_per_client",
                violation_error_message=_("This client already has an open episode of care."),
            ),
            models.CheckConstraint(
                condition=Q(discharge_date__isnull=True)
                | Q(admission_date__isnull=True)
                | Q(discharge_date__gte=F("admission_date")),
                name="episode_discharge_after_admission",
            ),
            models.CheckConstraint(
                condition=Q(admission_date__isnull=True)
                | Q(admission_date__gte=F("referral_date")),
                name="episode_admission_after_referral",
            ),
        ]
        indexes = [
            # The access policy and caseload lists ask "open episodes of this counselor".
            models.Index(
                fields=["primary_counselor", "phase"],
                condition=~Q(phase="discharged"),
                name="episode_open_caseload_idx",
            ),
        ]

    def __str__(self):
        return f"{self.client.mrn} {self.get_phase_display()} ({self.referral_date:%Y-%m-%d})"

    @property
    def case_id(self) -> str:
        """The record number and the two-digit episode number: digits only,
        short, and the same in every export."""
        return f"{self.client.mrn}{self.number:02d}"

    @property
    def is_open(self) -> bool:
        return self.phase != self.Phase.DISCHARGED


class CaseloadAssignment(models.Model):
    """Who was an episode's primary counselor, from when to when."""

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("episode")
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caseload_assignments",
        verbose_name=_("counselor"),
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("caseload assignment")
        verbose_name_plural = _("caseload assignments")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(ended_at__isnull=True),
                name="caseload_one_current_per_episode",
            ),
        ]

    def __str__(self):
        return f"{self.counselor} from {self.started_at:%Y-%m-%d}"
