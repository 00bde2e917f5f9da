"""The demographic and social items of an episode, as TEDS asks them at
admission (and arrests again at discharge): their lists and codes are in
iop.clients.teds. Per episode, because TEDS reports them per admission and a
readmission asks them again."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from iop.clients.models.records import Client, Episode
from iop.clients.teds import demographics as teds
from iop.clients.teds.lists import Employment, MutualHelp


class Demographics(models.Model):
    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="demographics", verbose_name=_("episode")
    )
    race = ArrayField(
        models.CharField(max_length=20, choices=teds.Race.choices),
        verbose_name=_("race (one or more)"),
        default=list,
        blank=True,
    )
    ethnicity = models.CharField(
        _("ethnicity"), max_length=20, choices=teds.Ethnicity.choices, blank=True
    )
    marital_status = models.CharField(
        _("marital status"), max_length=20, choices=teds.MaritalStatus.choices, blank=True
    )
    health_insurance = models.CharField(
        _("health insurance"), max_length=20, choices=teds.HealthInsurance.choices, blank=True
    )
    payment_source = models.CharField(
        _("primary source of payment"),
        max_length=20,
        choices=teds.PaymentSource.choices,
        blank=True,
    )
    income_source = models.CharField(
        _("primary source of income"), max_length=24, choices=teds.IncomeSource.choices, blank=True
    )
    not_in_labor_force = models.CharField(
        _("not in labor force: detail"),
        max_length=20,
        choices=teds.NotInLaborForce.choices,
        blank=True,
    )
    arrests_admission = models.CharField(
        _("arrests in the 30 days before admission"),
        max_length=12,
        choices=teds.Arrests.choices,
        blank=True,
    )
    arrests_discharge = models.CharField(
        _("arrests in the 30 days before discharge"),
        max_length=12,
        choices=teds.Arrests.choices,
        blank=True,
    )
    self_help_admission = models.CharField(
        _("self-help (mutual-help) attendance in the 30 days before admission"),
        max_length=8,
        choices=MutualHelp.choices,
        blank=True,
    )
    pregnant = models.CharField(
        _("pregnant at admission"), max_length=8, choices=teds.YesNo.choices, blank=True
    )
    veteran = models.CharField(_("veteran"), max_length=8, choices=teds.YesNo.choices, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    # The items every admission needs answered, or recorded as declined or
    # unknown, before a screening admits (TEDS Minimum and Supplemental Data
    # Sets as OpenIOP collects them). Pregnancy is asked of female clients,
    # the "not in labor force" detail of clients not in the labor force.
    REQUIRED_AT_ADMISSION = (
        "race",
        "ethnicity",
        "marital_status",
        "health_insurance",
        "payment_source",
        "income_source",
        "arrests_admission",
        "self_help_admission",
        "veteran",
    )
    CHOICE_FIELDS = (
        "ethnicity",
        "marital_status",
        "health_insurance",
        "payment_source",
        "income_source",
        "not_in_labor_force",
        "arrests_admission",
        "arrests_discharge",
        "self_help_admission",
        "pregnant",
        "veteran",
    )
    FIELDS = ("race", *CHOICE_FIELDS)
    # What a readmission's form starts from, the previous episode's answer
    # (staff confirm it by saving): items that seldom change.
    CARRIED_TO_READMISSION = ("race", "ethnicity", "veteran")

    class Meta:
        verbose_name = _("demographics")
        verbose_name_plural = _("demographics")

    def __str__(self):
        return f"Demographics of {self.episode_id}"

    @classmethod
    def required_fields(cls, *, sex: str, employment: str = "") -> list[str]:
        fields = list(cls.REQUIRED_AT_ADMISSION)
        if sex == Client.Sex.FEMALE:
            fields.append("pregnant")
        if employment == Employment.NOT_IN_LABOR_FORCE:
            fields.append("not_in_labor_force")
        return fields

    def missing(self, *, sex: str, employment: str = "") -> list[str]:
        """The required items neither answered nor recorded declined/unknown."""
        return [
            name
            for name in self.required_fields(sex=sex, employment=employment)
            if not getattr(self, name)
        ]

    @property
    def race_display(self) -> str:
        labels = dict(teds.Race.choices)
        return ", ".join(str(labels.get(value, value)) for value in self.race)

    @classmethod
    def verbose(cls, name: str) -> str:
        return str(cls._meta.get_field(name).verbose_name)
