import uuid
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from iop.accounts import roles
from iop.accounts.npi import validate_npi


class DegreeLevel(models.TextChoices):
    # The highest degree of a clinician, which some payers (many Medicaid
    # plans) want on each claim line as a HCPCS modifier (billing.codes).
    DOCTORAL = "doctoral", _("Doctoral")
    MASTERS = "masters", _("Master's degree")
    BACHELORS = "bachelors", _("Bachelor's degree")
    BELOW_BACHELORS = "below_bachelors", _("Less than a bachelor's degree")


class User(AbstractUser):
    """A staff member. Clients and family members are not users."""

    # The opaque id other systems know a staff member by (the FHIR API's
    # Practitioner id): never the sequential primary key.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    credentials = models.CharField(
        _("credentials"), max_length=60, blank=True, help_text=_("e.g. LCDC, LPC-A, CADC")
    )
    degree_level = models.CharField(
        _("degree level"),
        max_length=16,
        choices=DegreeLevel.choices,
        blank=True,
        help_text=_(
            "The highest degree, for payers that want the degree-level modifier "
            "(HP, HO, HN, HM) on claims; a license title does not tell it."
        ),
    )
    # The individual (type 1) NPI, for claims that name the rendering
    # clinician (837P loop 2310B).
    npi = models.CharField(
        _("individual NPI"), max_length=10, blank=True, validators=[validate_npi]
    )
    # For the discreet staff text a safety flag sends where SAFETY_ALERT_SMS
    # is on (no client data in it); empty: alerts stay in the app.
    mobile_phone = models.CharField(
        _("mobile phone for alerts"),
        max_length=30,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9 ().-]{7,25}$", _("Enter a phone number, e.g. +1 555 555 0100.")
            )
        ],
        help_text=_("Receives a short text, with no client details, when a safety flag is raised."),
    )
    in_training = models.BooleanField(
        _("counselor in training"),
        default=False,
        help_text=_("Notes of counselors in training need a supervisor's co-signature."),
    )
    licensed_to_diagnose = models.BooleanField(
        _("licensed to diagnose"),
        default=False,
        help_text=_(
            "May make and confirm diagnoses; others' diagnoses stay proposed until "
            "a licensed counselor or supervisor confirms them."
        ),
    )

    class Meta:
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *names: str) -> bool:
        return bool(self.role_names.intersection(names))

    @property
    def is_intake(self) -> bool:
        return self.has_role(roles.INTAKE)

    @property
    def is_counselor(self) -> bool:
        return self.has_role(roles.COUNSELOR)

    @property
    def is_supervisor(self) -> bool:
        return self.has_role(roles.SUPERVISOR)

    @property
    def is_administrator(self) -> bool:
        return self.has_role(roles.ADMINISTRATOR)

    @property
    def is_billing(self) -> bool:
        return self.has_role(roles.BILLING)

    @property
    def sees_whole_program(self) -> bool:
        return self.has_role(*roles.PROGRAM_WIDE_ROLES)

    @property
    def sees_every_client(self) -> bool:
        """Every client of the program is in the access policy: the
        program-wide roles, and billing (whose views show billing facts only)."""
        return self.has_role(*roles.EVERY_CLIENT_ROLES)


class UserSession(models.Model):
    """A signed-in session of a user, so that signing out or being deactivated
    can end every session of that user, on every device."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self):
        return f"{self.user} · {self.created:%Y-%m-%d %H:%M}"
