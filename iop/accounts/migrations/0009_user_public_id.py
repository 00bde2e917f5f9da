# A unique random public id for every staff user, in three steps: the
# column (nullable), a uuid4 per existing row, then unique and required.

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = list(User.objects.filter(public_id__isnull=True).only("pk"))
    for user in users:
        user.public_id = uuid.uuid4()
    User.objects.bulk_update(users, ["public_id"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0008_staff_mobile_phone"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
