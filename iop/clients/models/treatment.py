"""Drug tests, medications for addiction treatment and mutual-help meetings."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from iop.clients.models.records import Client


class Substance(models.TextChoices):
    """The drug-test panel (DOMAIN.md section 5)."""

    AMPHETAMINE = "amphetamine", _("Amphetamine")
    METHAMPHETAMINE = "methamphetamine", _("Methamphetamine")
    COCAINE = "cocaine", _("Cocaine")
    OPIATES = "opiates", _("Opiates")
    OXYCODONE = "oxycodone", _("Oxycodone")
    FENTANYL = "fentanyl", _("Fentanyl")
    BUPRENORPHINE = "buprenorphine", _("Buprenorphine")
    METHADONE = "methadone", _("Methadone")
    BENZODIAZEPINES = "benzodiazepines", _("Benzodiazepines")
    CANNABIS = "cannabis", _("Cannabis (THC)")
    ALCOHOL_ETG = "alcohol_etg", _("Alcohol (EtG)")
    BREATH_ALCOHOL = "breath_alcohol", _("Breath alcohol")


class DrugTest(models.Model):
    class Specimen(models.TextChoices):
        URINE = "urine", _("Urine")
        ORAL_FLUID = "oral_fluid", _("Oral fluid")
        BREATH = "breath", _("Breath")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="drug_tests")
    collected_on = models.DateField(_("collected on"))
    specimen = models.CharField(_("specimen"), max_length=12, choices=Specimen.choices)
    observed = models.BooleanField(_("observed collection"), default=False)
    random_selection = models.BooleanField(_("random weekly test"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("drug test")
        ordering = ["-collected_on", "-id"]
        indexes = [
            models.Index(fields=["client", "-collected_on"], name="drugtest_client_date_idx")
        ]

    def __str__(self):
        return f"{self.get_specimen_display()} {self.collected_on:%Y-%m-%d}"

    @property
    def has_unexpected_positive(self) -> bool:
        """Whether any result is an unexpected positive; reads the results
        as prefetched (the chart prefetches them)."""
        return any(result.unexpected_positive for result in self.results.all())


class DrugTestResult(models.Model):
    class Result(models.TextChoices):
        NEGATIVE = "negative", _("Negative")
        POSITIVE = "positive", _("Positive")
        INVALID = "invalid", _("Invalid")
        REFUSED = "refused", _("Refused")

    test = models.ForeignKey(DrugTest, on_delete=models.CASCADE, related_name="results")
    substance = models.CharField(_("substance"), max_length=20, choices=Substance.choices)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    # A positive for a medication the client is prescribed is expected, not a
    # relapse signal (DOMAIN.md section 5).
    expected = models.BooleanField(_("expected (prescribed)"), default=False)

    class Meta:
        ordering = ["test", "substance"]
        constraints = [
            models.UniqueConstraint(fields=["test", "substance"], name="drugtest_one_result_each"),
        ]
        indexes = [
            # The few results that make a test not negative (an unexpected
            # positive, an invalid specimen, a refusal): the dashboards ask
            # of every test whether it has one.
            models.Index(
                fields=["test"],
                condition=models.Q(result="positive", expected=False)
                | models.Q(result__in=["invalid", "refused"]),
                name="drugresult_flagged_idx",
            ),
        ]

    def __str__(self):
        return f"{self.substance}: {self.result}"

    @property
    def unexpected_positive(self) -> bool:
        return self.result == self.Result.POSITIVE and not self.expected


class Medication(models.Model):
    """Medication for addiction treatment (MAT), often prescribed outside."""

    class Drug(models.TextChoices):
        BUPRENORPHINE = "buprenorphine", _("Buprenorphine")
        METHADONE = "methadone", _("Methadone (opioid treatment program)")
        NALTREXONE_ORAL = "naltrexone_oral", _("Naltrexone, oral")
        NALTREXONE_XR = "naltrexone_xr", _("Naltrexone, extended-release injection")
        ACAMPROSATE = "acamprosate", _("Acamprosate")
        DISULFIRAM = "disulfiram", _("Disulfiram")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="medications")
    drug = models.CharField(_("medication"), max_length=20, choices=Drug.choices)
    other_name = models.CharField(_("name, if other"), max_length=100, blank=True)
    dose = models.CharField(_("dose"), max_length=60)
    schedule = models.CharField(_("schedule"), max_length=100)
    prescriber_name = models.CharField(_("prescriber"), max_length=120)
    prescriber_internal = models.BooleanField(_("prescriber is on staff"), default=False)
    prescriber_contact = models.CharField(_("prescriber contact"), max_length=200, blank=True)
    start_date = models.DateField(_("started"))
    stop_date = models.DateField(_("stopped"), null=True, blank=True)
    next_injection_due = models.DateField(_("next injection due"), null=True, blank=True)
    # For "other" medications that show on a drug test (e.g. prescribed
    # oxycodone): results for this substance are then expected.
    expected_substance = models.CharField(
        _("shows on drug tests as"), max_length=20, choices=Substance.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("medication")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stop_date__isnull=True) | Q(stop_date__gte=F("start_date")),
                name="medication_stop_after_start",
            ),
        ]

    def __str__(self):
        return self.other_name or self.get_drug_display()


class MutualHelpMeeting(models.Model):
    class Kind(models.TextChoices):
        AA = "aa", _("Alcoholics Anonymous")
        NA = "na", _("Narcotics Anonymous")
        CA = "ca", _("Cocaine Anonymous")
        SMART = "smart", _("SMART Recovery")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="meetings")
    attended_on = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    meeting_name = models.CharField(_("meeting"), max_length=150, blank=True)
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Signed sheet or contact; otherwise self-report.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mutual-help meeting")
        ordering = ["-attended_on", "-id"]
        indexes = [models.Index(fields=["client", "attended_on"], name="meeting_client_date_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.attended_on:%Y-%m-%d}"
