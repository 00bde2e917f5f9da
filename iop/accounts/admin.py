from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from iop import horizon
from iop.accounts.mfa.admin import mfa_reset_action
from iop.accounts.models import User
from iop.accounts.services import user_deactivate
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Staff management for administrators: accounts, roles (groups), in-training flag."""

    formfield_overrides = horizon.ADMIN_FORMFIELD_OVERRIDES

    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "roles",
        "in_training",
        "licensed_to_diagnose",
        "is_active",
    )
    list_filter = ("groups", "in_training", "licensed_to_diagnose", "is_active")
    actions = (mfa_reset_action,)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Clinical"),
            {
                "fields": (
                    "credentials",
                    "degree_level",
                    "npi",
                    "in_training",
                    "licensed_to_diagnose",
                    "mobile_phone",
                )
            },
        ),
    )

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all())

    def get_readonly_fields(self, request, obj=None):
        # Administrators manage staff through roles (groups); only a superuser
        # may grant superuser status or individual permissions.
        readonly = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            readonly = (*readonly, "is_superuser", "user_permissions")
        return readonly

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "licensed_to_diagnose" in form.changed_data:
            # Who may confirm diagnoses is part of the record's trail.
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.UPDATE,
                obj=obj,
                request=request,
                details={"licensed_to_diagnose": obj.licensed_to_diagnose},
            )
        if change and "is_active" in form.changed_data and not obj.is_active:
            # A deactivated account's open sessions end now, on every device,
            # and the deactivation is audited (the service does both).
            user_deactivate(user=obj, actor=request.user, request=request)
