from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "iop.clients"
    label = "clients"
    verbose_name = "Clients and episodes of care"

    def ready(self):
        from iop.clients import extensions, panel

        extensions.register()
        panel.register_checks()
