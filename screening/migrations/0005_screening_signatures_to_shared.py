"""Copy every screening's signature into the shared signature fields and every
ScreeningAddendum into NoteAddendum (the note being the screening), keeping
signer, times, authors and text. Reversible: going back copies them home and
removes the copies."""

from datetime import timedelta

from django.db import migrations
from django.db.models import Case, F, When

# iop.clients.notes.LATE_AFTER_HOURS when this was written (DOMAIN.md section 5:
# a note signed more than 72 hours after the service is marked late). A
# screening's service began when its visit was opened (started_at).
LATE_AFTER = timedelta(hours=72)
BATCH = 1000


def _screening_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="screening", model="screening")[0]


def _copy_addenda(rows, make, model):
    """Create `make(row)` for each row, then set each copy's signed_at to its
    original's: signed_at is auto_now_add, so create() would stamp it now."""
    copies = model.objects.bulk_create([make(row) for row in rows], batch_size=BATCH)
    for copy, row in zip(copies, rows, strict=True):
        copy.signed_at = row.signed_at
    model.objects.bulk_update(copies, ["signed_at"], batch_size=BATCH)


def forward(apps, schema_editor):
    Screening = apps.get_model("screening", "Screening")
    ScreeningAddendum = apps.get_model("screening", "ScreeningAddendum")
    NoteAddendum = apps.get_model("clients", "NoteAddendum")
    # Completed screenings were signed by who completed them, when they did.
    # Nobody co-signed a screening before: none is marked as awaiting one.
    Screening.objects.filter(completed_at__isnull=False).update(
        signed_by=F("completed_by"),
        signed_at=F("completed_at"),
        signed_late=Case(
            When(completed_at__gt=F("started_at") + LATE_AFTER, then=True), default=False
        ),
        cosign_required=False,
    )
    rows = list(
        ScreeningAddendum.objects.select_related("screening__episode").order_by("signed_at", "id")
    )
    if not rows:
        return
    content_type = _screening_type(apps)
    _copy_addenda(
        rows,
        lambda row: NoteAddendum(
            content_type=content_type,
            object_id=row.screening_id,
            client_id=row.screening.episode.client_id,
            text=row.text,
            author_id=row.author_id,
        ),
        NoteAddendum,
    )


def backward(apps, schema_editor):
    Screening = apps.get_model("screening", "Screening")
    ScreeningAddendum = apps.get_model("screening", "ScreeningAddendum")
    NoteAddendum = apps.get_model("clients", "NoteAddendum")
    Screening.objects.filter(signed_at__isnull=False).update(
        completed_by=F("signed_by"), completed_at=F("signed_at")
    )
    copies = NoteAddendum.objects.filter(content_type=_screening_type(apps))
    rows = list(copies.order_by("signed_at", "id"))
    if rows:
        _copy_addenda(
            rows,
            lambda row: ScreeningAddendum(
                screening_id=row.object_id, text=row.text, author_id=row.author_id
            ),
            ScreeningAddendum,
        )
        copies.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0004_note_addendum"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("screening", "0004_screening_signable_note"),
    ]

    operations = [migrations.RunPython(forward, backward)]
