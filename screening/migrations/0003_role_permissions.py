from django.db import migrations

PERMISSIONS = {
    "Administrator": ["view_levelofcarerule", "change_levelofcarerule"],
    "Supervisor": ["view_levelofcarerule"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("screening")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="screening", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(
        content_type__app_label="screening", codename__endswith="levelofcarerule"
    ):
        permission.group_set.clear()


class Migration(migrations.Migration):
    """Administrators edit the placement table in the admin."""

    dependencies = [("screening", "0002_level_of_care_table"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
