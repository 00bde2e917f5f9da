from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One row per view, change, print, export or login touching the system.

    Append-only: a PostgreSQL trigger (migration 0002) rejects UPDATE and
    DELETE, so not even the application can rewrite history.

    Tamper-evident: when its transaction commits, each event is sealed into a
    hash chain (migration 0005, iop/audit/chain.py): chain_seq numbers the
    events in commit order without gaps and chain_hash is
    sha256(previous hash || the event's canonical payload), so a row changed
    or removed behind the triggers' back breaks the chain at that row.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("view")
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")
        EXPORT = "export", _("export")
        PRINT = "print", _("print")
        LOGIN = "login", _("login")
        LOGIN_FAILED = "login_failed", _("login failed")
        LOGOUT = "logout", _("logout")
        LOCKOUT = "lockout", _("login locked out")
        UNLOCK = "unlock", _("login unlocked")
        MFA_CHANGE = "mfa_change", _("MFA change")
        BREAK_GLASS = "break_glass", _("emergency access")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The username as it was, so the trail reads right even after a rename.
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    # Set once, by the database at commit (never by the application); the
    # unique index also finds the chain head for the next seal.
    chain_seq = models.BigIntegerField(_("chain position"), null=True, unique=True, editable=False)
    chain_hash = models.CharField(
        _("chain hash"), max_length=64, blank=True, db_default="", editable=False
    )

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The audit page filters by client or by user, newest first.
            models.Index(fields=["client", "-created_at"], name="audit_client_time_idx"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_time_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username or '-'} {self.action}"


class ChainVerification(models.Model):
    """One run of the audit chain verifier (nightly, or `manage.py verify_audit`).

    The head it saw (position and hash) is kept, so the next run also notices
    a chain cut short at its end, which the links alone cannot show.
    """

    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True, db_index=True)
    ok = models.BooleanField(_("intact"))
    rows_checked = models.BigIntegerField(_("events checked"), default=0)
    head_seq = models.BigIntegerField(_("head position"), null=True, blank=True)
    head_hash = models.CharField(_("head hash"), max_length=64, blank=True)
    problem = models.CharField(_("problem"), max_length=200, blank=True)
    broken_seq = models.BigIntegerField(_("first broken position"), null=True, blank=True)
    broken_event_id = models.BigIntegerField(_("first broken event"), null=True, blank=True)
    broken_event_at = models.DateTimeField(
        _("time of the first broken event"), null=True, blank=True
    )
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("audit chain verification")
        verbose_name_plural = _("audit chain verifications")
        ordering = ["-checked_at", "-id"]

    def __str__(self):
        return f"{self.checked_at:%Y-%m-%d %H:%M} {'intact' if self.ok else 'broken'}"


class EmergencyAccess(models.Model):
    """A break-glass grant: `user` may open `client` outside the access policy
    until `expires_at` (DOMAIN.md section 10). Granted by the service
    emergency_access_grant with a reason, and audited as a BREAK_GLASS event."""

    class Category(models.TextChoices):
        CLINICAL_EMERGENCY = "clinical_emergency", _("Clinical emergency")
        COVERING = "covering", _("Covering for an absent counselor")
        OTHER = "other", _("Other")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="emergency_accesses",
    )
    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField(_("reason category"), max_length=30, choices=Category.choices)
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(_("starts at"))
    expires_at = models.DateTimeField(_("expires at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-starts_at", "-id"]
        permissions = [
            ("break_glass", _("Can open a client's record in an emergency (break-glass)")),
        ]
        indexes = [
            # The access policy asks for a user's unexpired grants on every page.
            models.Index(fields=["user", "expires_at"], name="emergency_user_expiry_idx"),
            # The audit page and the digest list the latest grants.
            models.Index(fields=["-starts_at"], name="emergency_start_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} -> {self.client_id} until {self.expires_at:%Y-%m-%d %H:%M}"
