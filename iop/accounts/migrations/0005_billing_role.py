from django.db import migrations

# Billing staff work in OpenIOP's billing pages only; they hold no Django
# admin permission (the admin shows client records whole).
ROLE = "Billing"


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ROLE)


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_user_licensed_to_diagnose")]

    operations = [migrations.RunPython(create_role, remove_role)]
