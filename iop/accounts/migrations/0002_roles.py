from django.contrib.auth.management import create_permissions
from django.db import migrations

# Role -> permissions ("app_label.codename"). Views check roles; these model
# permissions govern what each role may do in the Django admin.
ROLE_PERMISSIONS = {
    "Intake": [
        "clients.view_client",
        "clients.add_client",
        "clients.change_client",
        "clients.view_episode",
    ],
    "Counselor": [
        "clients.view_client",
        "clients.view_episode",
    ],
    "Supervisor": [
        "clients.view_client",
        "clients.add_client",
        "clients.change_client",
        "clients.view_episode",
        "clients.change_episode",
        "clients.view_caseloadassignment",
        "clients.add_caseloadassignment",
    ],
    "Administrator": [
        "clients.view_client",
        "clients.view_episode",
        "clients.view_caseloadassignment",
        "audit.view_auditevent",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "auth.view_group",
        "reminders.view_workerheartbeat",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so
    # the groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for dotted in perms:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("clients", "0001_initial"),
        ("audit", "0001_initial"),
        ("reminders", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
