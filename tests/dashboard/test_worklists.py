"""The worklists page (To do): on a large program a supervisor's plan reviews
come a page at a time, with their total, and the page's queries do not grow;
within the access policy, a draft whose client its author can no longer open
is listed without the client, supervisors see such drafts by name, and each
client named is audited as seen on the list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.clients.models import Appointment, SessionNote, TreatmentPlan
from iop.clients.services import appointment_schedule, episode_assign_counselor
from iop.clients.services.sessions import session_document
from iop.dashboard.views import REVIEWS_PER_PAGE
from tests.factories import EpisodeFactory
from tests.outcomes.helpers import give, install_default_rules

URL = reverse("dashboard:worklists")

# Every signed-in page 7; unsigned session notes, unsigned group sessions,
# the reviews' count and page, the random-test candidates; for a supervisor
# the two co-signature queues and the drafts their author can no longer open;
# the authorization alerts of one's own clients; the clients not on track
# (their active episodes, the rules, the administrations, the due measures);
# one insert of the view events of the clients named.
SUPERVISOR_WORKLISTS_QUERIES = 7 + 6 + 3 + 4 + 1


def _due_plans(count, counselor):
    for days in range(count):
        client = EpisodeFactory(primary_counselor=counselor).client
        TreatmentPlan.objects.create(
            client=client,
            episode=client.episodes.get(),
            author=counselor,
            status=TreatmentPlan.Status.ACTIVE,
            signed_by=counselor,
            signed_at=timezone.now() - datetime.timedelta(days=40),
            next_review_due=timezone.localdate() - datetime.timedelta(days=days),
        )


def test_supervisor_reviews_come_a_page_at_a_time(login, supervisor, counselor1):
    _due_plans(REVIEWS_PER_PAGE + 5, counselor1)
    browser = login(supervisor)

    first = browser.get(URL)
    second = browser.get(URL, {"reviews_page": 2})

    assert len(first.context["reviews_due"]) == REVIEWS_PER_PAGE
    assert len(second.context["reviews_due"]) == 5
    # Oldest first, across the pages.
    dues = [plan.next_review_due for plan in first.context["reviews_due"]]
    assert dues == sorted(dues)
    assert max(dues) <= min(plan.next_review_due for plan in second.context["reviews_due"])
    content = first.content.decode()
    assert f'data-testid="reviews-count">{REVIEWS_PER_PAGE + 5}<' in content
    assert "reviews_page=2" in content


def test_a_page_past_the_end_shows_the_last_one(login, supervisor, counselor1):
    _due_plans(3, counselor1)

    response = login(supervisor).get(URL, {"reviews_page": 99})

    assert response.status_code == 200
    assert len(response.context["reviews_due"]) == 3


def test_counselor_reviews_stay_their_own(login, counselor1, counselor2):
    _due_plans(2, counselor1)
    _due_plans(3, counselor2)

    response = login(counselor1).get(URL)

    assert len(response.context["reviews_due"]) == 2
    assert response.context["reviews_page"].paginator.count == 2


@pytest.mark.django_db
def test_supervisor_worklists_query_count_does_not_grow_with_reviews(
    login, supervisor, counselor1, django_assert_num_queries
):
    browser = login(supervisor)
    _due_plans(3, counselor1)
    with django_assert_num_queries(SUPERVISOR_WORKLISTS_QUERIES):
        browser.get(URL)

    _due_plans(60, counselor1)
    with django_assert_num_queries(SUPERVISOR_WORKLISTS_QUERIES):
        response = browser.get(URL)
    assert len(response.context["reviews_due"]) == REVIEWS_PER_PAGE


def test_reviews_due_the_same_day_each_appear_on_exactly_one_page(login, supervisor, counselor1):
    # Many plans share a review date; the pages must still split them
    # without repeating one and dropping another.
    count = 2 * REVIEWS_PER_PAGE + 10
    for _ in range(count):
        client = EpisodeFactory(primary_counselor=counselor1).client
        TreatmentPlan.objects.create(
            client=client,
            episode=client.episodes.get(),
            author=counselor1,
            status=TreatmentPlan.Status.ACTIVE,
            signed_by=counselor1,
            signed_at=timezone.now() - datetime.timedelta(days=40),
            next_review_due=timezone.localdate() - datetime.timedelta(days=1),
        )
    # Rows updated since move in the table: its order is no longer theirs.
    plans = TreatmentPlan.objects.order_by("pk")
    for plan in plans[::3]:
        plan.save()
    browser = login(supervisor)

    shown = [
        plan.pk
        for number in (1, 2, 3)
        for plan in browser.get(URL, {"reviews_page": number}).context["reviews_due"]
    ]

    assert len(shown) == count
    assert len(set(shown)) == count
    # Ties in a fixed order (the plan's id), the same for every page's query.
    assert shown == sorted(shown)


# --- drafts whose client the author can no longer open ---------------------------------


def _draft(author, client, *, days_ago=5):
    """A drafted note of an individual session `author` held `days_ago` days ago."""
    appointment = appointment_schedule(
        actor=author,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - datetime.timedelta(days=days_ago),
        counselor=author,
    )
    return session_document(
        actor=author,
        appointment=appointment,
        status=Appointment.Status.ATTENDED,
        minutes=50,
        data="d",
    )


def _reassign(client, *, to, by):
    episode_assign_counselor(actor=by, episode=client.episodes.get(), counselor=to)


def _document_url(note):
    appointment = note.appointment
    return reverse(
        "clients:session-document", args=[appointment.client.public_id, appointment.public_id]
    )


def test_drafts_of_a_client_reassigned_away_are_listed_without_the_client(
    login, supervisor, counselor1, counselor2, client_of_counselor2
):
    note = _draft(counselor2, client_of_counselor2)
    _reassign(client_of_counselor2, to=counselor1, by=supervisor)

    response = login(counselor2).get(URL)

    content = response.content.decode()
    day = timezone.localtime(note.appointment.starts_at).date().isoformat()
    assert (
        f"Draft note of {day} (individual session) for a client no longer in your care"
        " — a supervisor can help"
    ) in content
    assert client_of_counselor2.legal_last_name not in content
    assert client_of_counselor2.mrn not in content
    assert str(client_of_counselor2.public_id) not in content
    # The draft stays its author's: nothing is deleted or moved.
    assert SessionNote.objects.get(pk=note.pk).author == counselor2


def test_drafts_of_a_client_still_in_care_are_named_and_linked(
    login, counselor1, client_of_counselor1
):
    note = _draft(counselor1, client_of_counselor1)

    content = login(counselor1).get(URL).content.decode()

    assert client_of_counselor1.display_name in content
    assert _document_url(note) in content
    assert 'data-testid="draft-out-of-care"' not in content


def test_supervisors_see_the_drafts_their_author_can_no_longer_open(
    login, supervisor, counselor1, counselor2, client_of_counselor2, client_of_counselor1
):
    stranded = _draft(counselor2, client_of_counselor2)
    _reassign(client_of_counselor2, to=counselor1, by=supervisor)
    _draft(counselor1, client_of_counselor1)  # the primary counselor's own draft
    recent = _draft(counselor2, client_of_counselor1, days_ago=1)  # still covering

    response = login(supervisor).get(URL)

    assert response.context["stranded_drafts"] == [stranded]
    assert recent not in response.context["stranded_drafts"]
    content = response.content.decode()
    assert "Draft notes their author can no longer open" in content
    assert client_of_counselor2.display_name in content
    assert _document_url(stranded) in content
    assert f"draft by {counselor2}" in content


def test_counselors_have_no_list_of_other_authors_drafts(
    login, supervisor, counselor1, counselor2, client_of_counselor2
):
    _draft(counselor2, client_of_counselor2)
    _reassign(client_of_counselor2, to=counselor1, by=supervisor)

    response = login(counselor1).get(URL)

    assert response.context["stranded_drafts"] == []
    assert "Draft notes their author can no longer open" not in response.content.decode()


def test_to_do_audits_a_view_of_each_client_it_names_and_none_it_does_not(
    login, supervisor, counselor1, counselor2, client_of_counselor1, client_of_counselor2
):
    _draft(counselor2, client_of_counselor2)
    _draft(counselor2, client_of_counselor2, days_ago=6)
    _reassign(client_of_counselor2, to=counselor1, by=supervisor)
    _due_plans(1, counselor2)

    login(counselor2).get(URL)

    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW)
    assert events.count() == 1
    event = events.get()
    assert event.client != client_of_counselor2
    assert event.details == {"list": "worklists"}


def test_supervisor_to_do_audits_each_client_once_however_often_named(
    login, supervisor, counselor1, counselor2, client_of_counselor2
):
    _draft(counselor2, client_of_counselor2)
    _draft(counselor2, client_of_counselor2, days_ago=6)
    _reassign(client_of_counselor2, to=counselor1, by=supervisor)

    login(supervisor).get(URL)

    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW)
    assert (event.client, event.actor) == (client_of_counselor2, supervisor)


@pytest.mark.django_db
def test_supervisor_worklists_query_count_does_not_grow_with_stranded_drafts(
    login, supervisor, counselor1, counselor2, django_assert_num_queries
):
    def add_stranded(count):
        for _ in range(count):
            client = EpisodeFactory(primary_counselor=counselor2).client
            _draft(counselor2, client)
            _reassign(client, to=counselor1, by=supervisor)

    browser = login(supervisor)
    _due_plans(1, counselor1)  # a review due, so the reviews' page is read too
    add_stranded(2)
    with django_assert_num_queries(SUPERVISOR_WORKLISTS_QUERIES):
        browser.get(URL)

    add_stranded(20)
    with django_assert_num_queries(SUPERVISOR_WORKLISTS_QUERIES):
        response = browser.get(URL)
    assert len(response.context["stranded_drafts"]) == 22


def _stuck(counselor):
    """An episode whose PHQ-9 has not moved in nine weeks."""
    episode = EpisodeFactory(
        primary_counselor=counselor,
        referral_date=timezone.localdate() - datetime.timedelta(days=80),
        admission_date=timezone.localdate() - datetime.timedelta(days=70),
    )
    give(episode.client, "PHQ-9", 65, total=18)
    give(episode.client, "PHQ-9", 1, total=17)
    return episode.client


def test_to_do_lists_my_clients_not_on_track_audited(login, counselor1, counselor2):
    install_default_rules()
    mine, theirs = _stuck(counselor1), _stuck(counselor2)

    response = login(counselor1).get(URL)

    assert [item.client for item in response.context["not_on_track"]] == [mine]
    page = response.content.decode()
    assert "Not on track: PHQ-9 not improving" in page
    assert theirs.mrn not in page
    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, actor=counselor1)
    assert list(events.values_list("client", flat=True)) == [mine.pk]


def test_a_supervisors_to_do_lists_the_program_not_on_track(
    login, supervisor, counselor1, counselor2
):
    install_default_rules()
    flagged = {_stuck(counselor1), _stuck(counselor2)}

    response = login(supervisor).get(URL)

    assert {item.client for item in response.context["not_on_track"]} == flagged
