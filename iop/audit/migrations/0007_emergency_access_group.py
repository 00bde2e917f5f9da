from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Emergency access"


def create_group(apps, schema_editor):
    # Permissions are normally made after all migrations; make audit's now so
    # the group can hold break_glass on a fresh database.
    app_config = apps.get_app_config("audit")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="audit", codename="break_glass")
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    """A group that holds the break-glass permission and nothing else: it is
    not a role, and administrators (who manage staff through groups, not
    individual permissions) designate users by adding them to it."""

    dependencies = [
        ("audit", "0006_chain_seal_prelock"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
