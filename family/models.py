"""Family members, 42 CFR Part 2 consents, the disclosure ledger, Family
Education attendance and conjoint-session attendees (DOMAIN.md section 6).

A family member is a third party: nothing about a client reaches them (or
anyone outside the program) without a consent that names them, covers the
category of information and is neither expired nor revoked. The decision is
made in one place, family.consents.disclosure_decision.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from iop.clients.models import Client


class DisclosureCategory(models.TextChoices):
    """What a consent may allow to be disclosed: the issue's closed list."""

    ATTENDANCE = "attendance", _("Attendance")
    PROGRESS = "progress", _("Progress in treatment")
    SCREENING = "screening", _("Screening results")
    DRUG_TESTS = "drug_tests", _("Drug test results")
    MEDICATIONS = "medications", _("Medications")
    TREATMENT_PLAN = "treatment_plan", _("Treatment plan")
    DISCHARGE = "discharge", _("Discharge summary")


class FamilyMember(models.Model):
    """A person in a client's family or circle. One person may be linked to
    several clients (siblings in treatment) through FamilyLink; every read
    goes through the link of the client being viewed, so one client's page
    never shows another's relationship, consents or attendance."""

    # What staff record and edit about the person (the form and the services).
    DETAILS = (
        "first_name",
        "last_name",
        "phone",
        "email",
        "preferred_language",
        "sms_consent",
        "email_consent",
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("mobile phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=Client.Language.choices,
        default=Client.Language.ENGLISH,
    )
    # The family member's own agreement to be contacted (reminders), per channel.
    sms_consent = models.BooleanField(_("agrees to text messages"), default=False)
    email_consent = models.BooleanField(_("agrees to email"), default=False)
    contact_consent_at = models.DateTimeField(_("contact agreed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("family member")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(first_name="") & ~Q(last_name=""), name="family_member_named"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def may_contact(self) -> bool:
        return bool((self.sms_consent and self.phone) or (self.email_consent and self.email))


class FamilyLink(models.Model):
    """That a person is family of one client, and how."""

    class Relationship(models.TextChoices):
        PARTNER = "partner", _("Spouse or partner")
        PARENT = "parent", _("Parent")
        CHILD = "child", _("Child")
        SIBLING = "sibling", _("Sibling")
        GRANDPARENT = "grandparent", _("Grandparent")
        RELATIVE = "relative", _("Other relative")
        FRIEND = "friend", _("Friend")
        OTHER = "other", _("Other")

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="family_links")
    member = models.ForeignKey(FamilyMember, on_delete=models.PROTECT, related_name="links")
    relationship = models.CharField(_("relationship"), max_length=12, choices=Relationship.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("family link")
        ordering = ["member__last_name", "member__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["client", "member"], name="family_link_once"),
        ]

    def __str__(self):
        return f"{self.member} ({self.get_relationship_display()})"


class Consent(models.Model):
    """A written consent to disclose under 42 CFR 2.31, with every required
    element. The database refuses a row missing one (the check constraints
    below); the service says which one in words first."""

    class RecipientKind(models.TextChoices):
        FAMILY = "family", _("A family member")
        PROBATION = "probation", _("Probation or parole officer")
        EAP = "eap", _("Employee assistance program")
        PRESCRIBER = "prescriber", _("Prescriber")
        OTHER = "other", _("Other outside party")
        # A health plan paying for the treatment (utilization review, claims).
        PAYER = "payer", _("Health plan or payer")

    class Scope(models.TextChoices):
        """Which uses the consent is for. The 2024 Part 2 rule (42 CFR
        2.31(a)(4)(i) and 2.33(b), DOMAIN.md section 13) lets a single
        consent cover all future uses and disclosures for treatment, payment
        and health care operations; a payment consent covers what a payer
        needs to pay (utilization review)."""

        SPECIFIC = "specific", _("The purpose described below")
        PAYMENT = "payment", _("Payment")
        TPO = "tpo", _("Treatment, payment and health care operations")

    class SignatureMethod(models.TextChoices):
        DRAWN = "drawn", _("Drawn signature")
        CONFIRMED = "confirmed", _("Typed name confirmed as electronic signature")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="consents")
    discloser = models.CharField(_("who may disclose"), max_length=200)
    # ArrayField, not a join table: the categories are a closed list always
    # read with the consent, so no second query or table is needed; the check
    # constraint below keeps every value in the list.
    categories = ArrayField(
        models.CharField(max_length=20, choices=DisclosureCategory.choices),
        verbose_name=_("categories of information"),
    )
    description = models.TextField(_("specific description of what may be disclosed"))
    recipient_kind = models.CharField(_("recipient"), max_length=12, choices=RecipientKind.choices)
    recipient_member = models.ForeignKey(
        FamilyMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("family member"),
    )
    # For a family member, their name as it was when the consent was signed.
    recipient_name = models.CharField(_("recipient's name"), max_length=200)
    recipient_organization = models.CharField(_("organization"), max_length=200, blank=True)
    recipient_contact = models.CharField(
        _("recipient's address or contact"), max_length=300, blank=True
    )
    purpose = models.TextField(_("purpose of the disclosure"))
    scope = models.CharField(
        _("uses covered"), max_length=10, choices=Scope.choices, default=Scope.SPECIFIC
    )
    revocation_instructions = models.TextField(_("right to revoke and how"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    expiry_event = models.CharField(_("or expires on the event"), max_length=200, blank=True)
    event_occurred_at = models.DateTimeField(_("expiry event occurred at"), null=True, blank=True)
    signed_on = models.DateField(_("date signed"))
    signature_name = models.CharField(_("signed by (typed name)"), max_length=200)
    signature_method = models.CharField(
        _("signature"), max_length=10, choices=SignatureMethod.choices
    )
    signature_drawing = models.TextField(_("drawn signature (PNG data URL)"), blank=True)
    signature_confirmed = models.BooleanField(_("signer confirmed the typed name"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_note = models.CharField(_("how the client revoked"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("consent to disclose")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(categories__len__gte=1)
                & Q(categories__contained_by=DisclosureCategory.values),
                name="consent_categories_listed",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=False) | ~Q(expiry_event=""),
                name="consent_has_expiry",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("signed_on")),
                name="consent_expires_after_signing",
            ),
            models.CheckConstraint(
                condition=~Q(discloser="")
                & ~Q(description="")
                & ~Q(recipient_name="")
                & ~Q(purpose="")
                & ~Q(revocation_instructions="")
                & ~Q(signature_name=""),
                name="consent_elements_present",
            ),
            models.CheckConstraint(
                condition=Q(recipient_kind="family", recipient_member__isnull=False)
                | (~Q(recipient_kind="family") & Q(recipient_member__isnull=True)),
                name="consent_family_recipient_named",
            ),
            models.CheckConstraint(
                condition=(Q(signature_method="drawn") & ~Q(signature_drawing=""))
                | Q(signature_method="confirmed", signature_confirmed=True),
                name="consent_signed",
            ),
        ]
        indexes = [
            # The decision reads one client's consents to one family member.
            models.Index(fields=["client", "recipient_member"], name="consent_client_member_idx"),
        ]

    def __str__(self):
        return f"Consent {self.signed_on:%Y-%m-%d} to {self.recipient_name}"

    @property
    def category_labels(self) -> list[str]:
        labels = dict(DisclosureCategory.choices)
        return [str(labels.get(value, value)) for value in self.categories]


class Disclosure(models.Model):
    """The disclosure ledger: one row per disclosure made through OpenIOP
    (42 CFR 2.24/2.31: date, recipient, what, purpose, consent, user).
    Append-only: a trigger (migration 0002) rejects UPDATE and DELETE."""

    class Path(models.TextChoices):
        ROSTER = "roster", _("Family Education roster")
        CONJOINT = "conjoint", _("Conjoint session")
        EXPORT = "export", _("Release of information")
        REMINDER = "reminder", _("Family reminder")
        REVIEW = "review", _("Utilization review with a payer")
        API = "api", _("FHIR API")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="disclosures")
    disclosed_at = models.DateTimeField(_("date"))
    recipient_name = models.CharField(_("recipient"), max_length=200)
    recipient_kind = models.CharField(max_length=12, choices=Consent.RecipientKind.choices)
    family_member = models.ForeignKey(
        FamilyMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    categories = ArrayField(
        models.CharField(max_length=20, choices=DisclosureCategory.choices),
        verbose_name=_("what"),
    )
    description = models.CharField(_("what, in words"), max_length=300)
    purpose = models.TextField(_("purpose"))
    path = models.CharField(_("how"), max_length=10, choices=Path.choices)
    # None: the system (reminders sent by the worker).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What makes a repeated disclosure the same one (a roster shown twice,
    # the second reminder of a session): one row per reference.
    reference = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("disclosure")
        ordering = ["-disclosed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="disclosure_reference_once"
            ),
        ]
        indexes = [
            # The accounting of disclosures: one client, newest first.
            models.Index(fields=["client", "-disclosed_at"], name="disclosure_client_time_idx"),
        ]

    def __str__(self):
        return f"{self.disclosed_at:%Y-%m-%d} to {self.recipient_name}"

    @property
    def category_labels(self) -> list[str]:
        labels = dict(DisclosureCategory.choices)
        return [str(labels.get(value, value)) for value in self.categories]


class FamilyAttendance(models.Model):
    """A family member at a Family Education session, for one client
    (with or without the client). Clients' own attendance is groups.Attendance."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    session = models.ForeignKey(
        "groups.GroupSession", on_delete=models.PROTECT, related_name="family_attendance"
    )
    family_member = models.ForeignKey(
        FamilyMember, on_delete=models.PROTECT, related_name="attendance"
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("family attendance")
        verbose_name_plural = _("family attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "family_member", "client"], name="family_attendance_once"
            ),
        ]
        indexes = [
            # A family member's progress on a client's chart.
            models.Index(fields=["client", "family_member"], name="family_att_client_member_idx"),
        ]

    def __str__(self):
        return f"{self.family_member_id} {self.status} at {self.session_id}"


class ConjointAttendee(models.Model):
    """A family member who took part in a conjoint session."""

    appointment = models.ForeignKey(
        "clients.Appointment", on_delete=models.PROTECT, related_name="family_attendees"
    )
    family_member = models.ForeignKey(
        FamilyMember, on_delete=models.PROTECT, related_name="conjoint_sessions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conjoint session attendee")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "family_member"], name="conjoint_attendee_once"
            ),
        ]

    def __str__(self):
        return f"{self.family_member_id} at {self.appointment_id}"
