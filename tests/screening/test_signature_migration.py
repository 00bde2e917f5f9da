"""The migrations that move screening onto the shared signing mechanism
(0004 adds the shared fields, 0005 copies, 0006 drops the screening's own)
keep every signature, time and addendum, and going back restores them. Rows
are made with the historical models of 0004, before the copy."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from iop.clients.models import Episode
from iop.clients.notes import NoteAddendum
from screening.models import Screening
from tests.factories import EpisodeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_COPY = [("screening", "0004_screening_signable_note")]
AFTER_DROP = [("screening", "0006_drop_screening_own_signature")]
DAY = datetime.timedelta(days=1)


def _migrate(targets):
    """Migrate to `targets`; the historical models there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_copy():
    """The database as it was before the copy, and back to the latest after."""
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    yield _migrate(BEFORE_COPY)
    _migrate(latest)


@pytest.fixture
def old_rows(before_copy):
    """Screenings signed on time and late, a draft, and three addenda, as the
    screening's own fields and ScreeningAddendum held them."""
    OldScreening = before_copy.get_model("screening", "Screening")
    OldAddendum = before_copy.get_model("screening", "ScreeningAddendum")
    screener, supervisor = UserFactory(), UserFactory()
    episode = EpisodeFactory(phase=Episode.Phase.SCREENING, admission_date=None)
    now = timezone.now().replace(microsecond=0)

    def screening(started_at, completed_at=None):
        completion = (
            {"completed_by_id": screener.pk, "completed_at": completed_at, "decision": "refer"}
            if completed_at
            else {}
        )
        row = OldScreening.objects.create(
            episode_id=episode.pk,
            started_by_id=screener.pk,
            status="completed" if completed_at else "draft",
            **completion,
        )
        # started_at is auto_now_add: the visit's own time is set after.
        OldScreening.objects.filter(pk=row.pk).update(started_at=started_at)
        return row

    def addendum(on, author, text, signed_at):
        row = OldAddendum.objects.create(screening_id=on.pk, author_id=author.pk, text=text)
        OldAddendum.objects.filter(pk=row.pk).update(signed_at=signed_at)
        return row

    on_time = screening(now - 10 * DAY, completed_at=now - 10 * DAY + datetime.timedelta(hours=2))
    late = screening(now - 9 * DAY, completed_at=now - 5 * DAY)
    draft = screening(now - DAY)
    addenda = [
        (on_time, supervisor, "Client called back: works nights.", now - 8 * DAY),
        (late, screener, "Collateral from the referring court.", now - 4 * DAY),
        (on_time, screener, "Corrected the secondary substance.", now - 3 * DAY),
    ]
    for on, author, text, signed_at in addenda:
        addendum(on, author, text, signed_at)
    return {
        "screener": screener,
        "client": episode.client,
        "on_time": on_time,
        "late": late,
        "draft": draft,
        "addenda": [(on.pk, author.pk, text, when) for on, author, text, when in addenda],
    }


def _copied_addenda():
    copies = NoteAddendum.objects.filter(
        content_type__app_label="screening", content_type__model="screening"
    ).order_by("signed_at", "id")
    return [(a.object_id, a.client_id, a.author_id, a.text, a.signed_at) for a in copies]


def test_the_copy_keeps_every_signature_and_its_time(old_rows):
    _migrate(AFTER_DROP)

    rows = {row.pk: row for row in Screening.objects.all()}
    for name in ("on_time", "late"):
        old, new = old_rows[name], rows[old_rows[name].pk]
        assert (new.signed_by_id, new.signed_at) == (old.completed_by_id, old.completed_at)
        assert (new.cosign_required, new.cosigned_at) == (False, None)
    draft = rows[old_rows["draft"].pk]
    assert (draft.signed_by_id, draft.signed_at) == (None, None)


def test_the_copy_marks_late_a_screening_signed_over_72_hours_after_its_visit(old_rows):
    _migrate(AFTER_DROP)

    late = Screening.objects.filter(signed_late=True).values_list("pk", flat=True)
    assert list(late) == [old_rows["late"].pk]


def test_the_copy_moves_every_addendum_with_its_author_text_time_and_client(old_rows):
    _migrate(AFTER_DROP)

    client = old_rows["client"].pk
    assert _copied_addenda() == [
        (screening, client, author, text, signed_at)
        for screening, author, text, signed_at in old_rows["addenda"]
    ]


def test_going_back_restores_the_screening_s_own_signature_and_addenda(old_rows):
    _migrate(AFTER_DROP)

    apps = _migrate(BEFORE_COPY)

    OldScreening = apps.get_model("screening", "Screening")
    OldAddendum = apps.get_model("screening", "ScreeningAddendum")
    for name in ("on_time", "late", "draft"):
        old = old_rows[name]
        back = OldScreening.objects.get(pk=old.pk)
        assert (back.completed_by_id, back.completed_at) == (old.completed_by_id, old.completed_at)
    restored = OldAddendum.objects.order_by("signed_at", "id")
    assert [(a.screening_id, a.author_id, a.text, a.signed_at) for a in restored] == old_rows[
        "addenda"
    ]
    assert _copied_addenda() == []
