"""The FHIR API's clients, their tokens and the trail of their requests.

An API client is a recipient organization registered by an administrator
with one purpose; what it may read is decided per client record by the
consents in force (interop.api.gate), never by the client's scopes alone.
"""

import secrets
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from family.models import Consent


def new_client_id() -> str:
    return secrets.token_urlsafe(24)


class ApiClient(models.Model):
    class Purpose(models.TextChoices):
        """Why the recipient reads (42 CFR 2.31, 2.33, 2.52). Program-internal
        is the program's own system (its warehouse): a use within the
        program, not a disclosure."""

        TREATMENT = "treatment", _("Treatment")
        PAYMENT = "payment", _("Payment")
        OPERATIONS = "operations", _("Health care operations")
        RESEARCH = "research", _("Research (with an IRB or privacy board waiver)")
        INTERNAL = "internal", _("Program-internal (the program's own system)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The OAuth client_id the recipient puts in its assertions (iss and sub).
    client_id = models.CharField(
        _("client id"), max_length=64, unique=True, editable=False, default=new_client_id
    )
    name = models.CharField(_("system name"), max_length=200)
    # The recipient as consents name it (kind and organization name).
    organization = models.CharField(_("recipient organization"), max_length=200)
    recipient_kind = models.CharField(
        _("recipient kind"), max_length=12, choices=Consent.RecipientKind.choices
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    scopes = ArrayField(models.CharField(max_length=60), verbose_name=_("scopes"))
    # The recipient's public keys (RFC 7517 JWK Set) that sign its assertions.
    jwks = models.JSONField(_("public keys (JWKS)"))
    contact = models.CharField(_("technical contact"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def is_internal(self) -> bool:
        return self.purpose == self.Purpose.INTERNAL


class AccessToken(models.Model):
    """A short-lived bearer token; only its SHA-256 digest is kept."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    scopes = ArrayField(models.CharField(max_length=60))
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["client", "-issued_at"], name="token_client_time_idx")]

    def __str__(self):
        return f"{self.client} token issued {self.issued_at:%Y-%m-%d %H:%M}"


class UsedAssertion(models.Model):
    """The `jti` of every accepted client assertion, kept until it expires,
    so an assertion can be used once (RFC 7523 section 3, SMART Backend
    Services): the unique constraint refuses a replay even under a race."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="+")
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "jti"], name="assertion_used_once"),
        ]

    def __str__(self):
        return self.jti


class ApiRequest(models.Model):
    """One row per API request, answered or refused: who, which scope,
    what was returned (resource type and id), and the answer's status."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    client = models.ForeignKey(
        ApiClient, null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    # Parameter names only: a search's values can name a client.
    parameters = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    scope = models.CharField(max_length=500, blank=True)
    status = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=300, blank=True)
    # "Type/id" of every resource returned (bulk export: the counts instead).
    returned = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client", "-at"], name="apirequest_client_time_idx")]

    def __str__(self):
        return f"{self.method} {self.path} {self.status}"


class ExportJob(models.Model):
    """A bulk export (FHIR Bulk Data Access 2.0, `$export`): what a client
    asked for, and the NDJSON files the worker wrote for it (interop/export).
    The files live under FHIR_EXPORT_DIR/<public_id>/ until the job expires."""

    class Kind(models.TextChoices):
        SYSTEM = "system", _("System")
        GROUP = "group", _("Group")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        RUNNING = "running", _("Running")
        COMPLETE = "complete", _("Complete")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="exports")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # The RecurringGroup's public id (the FHIR Group id) of a group export.
    group_public_id = models.UUIDField(null=True, blank=True)
    types = ArrayField(models.CharField(max_length=60))
    since = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    requested_at = models.DateTimeField(default=timezone.now)
    # The manifest's transactionTime: rows changed after it wait for the next export.
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    request_url = models.TextField()
    # One item per file written: {"type", "file", "count"}.
    output = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=300, blank=True)
    progress = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            # The retention sweep reads jobs by expiry.
            models.Index(fields=["status", "expires_at"], name="exportjob_status_expiry_idx"),
        ]

    def __str__(self):
        return f"{self.kind} export {self.public_id} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.ACCEPTED, self.Status.RUNNING)
