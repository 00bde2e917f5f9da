from django.db import migrations

CURRICULUM = ["track", "topic", "program", "programtrack", "recurringgroup"]
PERMISSIONS = {
    "Administrator": [
        f"{verb}_{model}" for model in CURRICULUM for verb in ("view", "add", "change")
    ],
    "Supervisor": [f"{verb}_recurringgroup" for verb in ("view", "add", "change")]
    + [f"view_{model}" for model in ("track", "topic", "program", "programtrack")],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("groups")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="groups", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(content_type__app_label="groups"):
        permission.group_set.clear()


class Migration(migrations.Migration):
    """Administrators edit tracks, topics and programs in the admin; supervisors
    set up recurring groups."""

    dependencies = [("groups", "0002_matrix_curriculum"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
