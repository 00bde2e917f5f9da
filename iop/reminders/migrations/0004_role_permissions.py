from django.db import migrations


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("reminders")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Administrator")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="reminders", codename="view_reminder")
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(
        content_type__app_label="reminders", codename="view_reminder"
    ):
        permission.group_set.clear()


class Migration(migrations.Migration):
    """Administrators read the outbox in the admin."""

    dependencies = [("reminders", "0003_reminder_outbox"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
