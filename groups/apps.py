from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Matrix group tracks"

    def ready(self):
        from groups import extensions

        extensions.register()
