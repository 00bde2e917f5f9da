from django.contrib import admin
from django.db.models import Count
from django.utils import timezone

from iop.reminders.models import Reminder, WorkerHeartbeat
from iop.reminders.services.dispatch import oldest_due_pending_age


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "last_run_at", "hostname", "runs")
    readonly_fields = ("name", "last_run_at", "hostname", "runs")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The outbox, read-only: rows move only through the dispatcher."""

    list_display = (
        "send_at",
        "status",
        "channel",
        "kind",
        "appointment_key",
        "attempts",
        "skip_reason",
        "last_error",
    )
    list_filter = ("status", "channel", "kind", "skip_reason")
    search_fields = ("appointment_key", "provider_message_id")
    date_hierarchy = "send_at"
    # The address and body are contact data: list rows without them.
    exclude = ("address", "body")
    readonly_fields = [
        field.name for field in Reminder._meta.fields if field.name not in ("address", "body")
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        counts = dict(
            Reminder.objects.values_list("status").annotate(n=Count("id")).order_by("status")
        )
        extra_context = {
            **(extra_context or {}),
            "status_counts": sorted(counts.items()),
            "oldest_due_age": oldest_due_pending_age(now=timezone.now()),
        }
        return super().changelist_view(request, extra_context=extra_context)
