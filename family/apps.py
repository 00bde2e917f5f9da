from django.apps import AppConfig


class FamilyConfig(AppConfig):
    name = "family"
    verbose_name = "Family involvement"

    def ready(self):
        from family import chart, integration, reminders
        from groups.extensions import register_session_section
        from iop.clients.note_sections import register_session_note_section

        chart.register()
        reminders.register()
        register_session_section("family", integration.session_family_section)
        register_session_note_section("family", integration.conjoint_note_section)
