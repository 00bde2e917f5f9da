from django.contrib import admin

from iop.reminders.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "last_run_at", "hostname", "runs")
    readonly_fields = ("name", "last_run_at", "hostname", "runs")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
