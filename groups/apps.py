from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Matrix group tracks"

    def ready(self):
        from groups import chart, policy, reminders
        from groups.services.enrollment import on_admission
        from iop.audit.policy import register_counselor_scope
        from iop.clients.hooks import register_admission_hook

        register_counselor_scope("group", policy.facilitated_group_members)
        register_admission_hook(on_admission)
        chart.register()
        reminders.register()
