"""The audit trail (DOMAIN.md section 10): append-only in PostgreSQL, written
for every chart view, change and sign-in, and readable by administrators only."""

import datetime
from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.utils import Error as DatabaseError
from django.urls import reverse
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.audit.views import EVENTS_PER_PAGE
from iop.clients import services
from iop.clients.forms import ClientForm
from iop.clients.models import Client, Episode
from tests.factories import ClientFactory, EpisodeFactory

PASSWORD = "correct-horse-battery-staple"  # the factories' password
AUDIT_URL = "/audit/"

# Every signed-in page: session, user, roles, the unread-notification badge
# of the layout, and the session save (SESSION_SAVE_EVERY_REQUEST: savepoint,
# update, release). Pins below are this plus the page's own queries.
LAYOUT_QUERIES = 7
# Audit page: user choices of the filter form, count, the page of events, the
# last chain verification and the emergency accesses to review.
AUDIT_PAGE_QUERIES = LAYOUT_QUERIES + 5


def _chart_url(client):
    return reverse("clients:client-detail", kwargs={"client_id": client.public_id})


def _event_at(when, **fields):
    """An event stamped at `when`: created_at is auto_now_add and the trail
    cannot be updated afterwards, so the clock is moved instead."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        return AuditEvent.objects.create(**fields)


def _days_ago(days):
    noon = datetime.datetime.combine(
        timezone.localdate() - datetime.timedelta(days=days), datetime.time(12)
    )
    return timezone.make_aware(noon)


def _listed(response):
    return list(response.context["page"].object_list)


def _form_data(client, **changes):
    data = {name: getattr(client, name) for name in ClientForm.Meta.fields}
    data.update(changes)
    return data


# --- append-only in the database -------------------------------------------------


@pytest.fixture
def event(db):
    return AuditEvent.objects.create(action=AuditEvent.Action.LOGIN, actor_username="someone")


def test_insert_into_audit_trail_works(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (created_at, actor_username, action, object_type,"
            " object_id, path, user_agent, details) VALUES (now(), 'raw', 'view', '', '', '',"
            " '', '{}') RETURNING id"
        )
        (event_id,) = cursor.fetchone()

    assert AuditEvent.objects.get(pk=event_id).actor_username == "raw"


def test_update_of_audit_event_fails_in_postgresql(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE audit_auditevent SET actor_username = 'tampered' WHERE id = %s", [event.pk]
        )

    event.refresh_from_db()
    assert event.actor_username == "someone"


def test_delete_of_audit_event_fails_in_postgresql(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_delete_of_whole_audit_trail_fails_in_postgresql(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent")

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_orm_save_of_existing_audit_event_fails(event):
    event.actor_username = "tampered"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()

    event.refresh_from_db()
    assert event.actor_username == "someone"


def test_orm_queryset_update_of_audit_trail_fails(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(action=AuditEvent.Action.VIEW)

    event.refresh_from_db()
    assert event.action == AuditEvent.Action.LOGIN


def test_orm_delete_of_audit_event_fails(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- what is written ---------------------------------------------------------------


def test_chart_get_writes_exactly_one_view_event(login, supervisor, client_of_counselor1):
    browser = login(supervisor)
    url = _chart_url(client_of_counselor1)

    response = browser.get(url, HTTP_USER_AGENT="TestBrowser/1.0", REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert event.actor == supervisor
    assert event.actor_username == "supervisor"
    assert event.client == client_of_counselor1
    assert event.path == url
    assert event.ip_address == "10.1.2.3"
    assert event.user_agent == "TestBrowser/1.0"


def test_view_event_behind_one_proxy_records_the_address_the_proxy_saw(
    login, supervisor, client_of_counselor1, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    browser = login(supervisor)

    # The left entry is whatever the client wrote; our proxy appended the right one.
    browser.get(
        _chart_url(client_of_counselor1),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7",
    )

    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert event.ip_address == "203.0.113.7"


def test_chart_get_by_outsider_writes_no_view_event(login, counselor2, client_of_counselor1):
    response = login(counselor2).get(_chart_url(client_of_counselor1))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_edit_page_refused_by_role_writes_no_view_event(login, counselor1, client_of_counselor1):
    url = reverse("clients:client-update", kwargs={"client_id": client_of_counselor1.public_id})

    response = login(counselor1).get(url)

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_login_writes_login_event(client, counselor1):
    response = client.post(
        reverse("accounts:login"),
        {"username": "counselor1", "password": PASSWORD},
        HTTP_USER_AGENT="TestBrowser/1.0",
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert event.actor == counselor1
    assert event.client is None
    assert event.path == reverse("accounts:login")
    assert event.ip_address == "127.0.0.1"
    assert event.user_agent == "TestBrowser/1.0"


def test_failed_login_writes_login_failed_with_username(client, counselor1):
    client.post(reverse("accounts:login"), {"username": "counselor1", "password": "wrong-guess-1"})

    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert event.actor is None
    assert event.details == {"username": "counselor1"}
    assert event.path == reverse("accounts:login")


def test_failed_login_keeps_no_password_anywhere(client, counselor1):
    client.post(reverse("accounts:login"), {"username": "counselor1", "password": "wrong-guess-1"})

    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    stored = " ".join(
        str(value)
        for value in AuditEvent.objects.filter(pk=event.pk).values().get().values()
        if value is not None
    )
    assert "wrong-guess-1" not in stored
    assert "password" not in event.details


def test_failed_login_for_unknown_username_is_recorded(client, db):
    client.post(reverse("accounts:login"), {"username": "ghost", "password": "wrong-guess-1"})

    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert event.details == {"username": "ghost"}


def test_logout_writes_logout_event(login, counselor1):
    browser = login(counselor1)

    browser.post(reverse("accounts:logout"))

    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGOUT)
    assert event.actor == counselor1
    assert event.path == reverse("accounts:logout")


def test_anonymous_logout_writes_no_event(client, db):
    client.post(reverse("accounts:logout"))

    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGOUT).exists()


def test_client_create_writes_one_create_event(intake):
    client = services.client_create(
        actor=intake,
        data={
            "legal_first_name": "Ada",
            "legal_last_name": "Quill",
            "date_of_birth": datetime.date(1980, 5, 1),
            "sex": Client.Sex.FEMALE,
        },
    )

    event = AuditEvent.objects.get()
    episode = client.episodes.get()
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == intake
    assert event.client == client
    assert event.object_type == "clients.client"
    assert event.object_id == str(client.public_id)
    assert event.details == {"episode": str(episode.public_id)}


def test_client_update_writes_one_update_event_naming_changed_fields(
    supervisor, client_of_counselor1
):
    data = _form_data(client_of_counselor1, city="Springfield", phone="+15555550199")

    services.client_update(actor=supervisor, client=client_of_counselor1, data=data)

    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.UPDATE
    assert event.actor == supervisor
    assert event.client == client_of_counselor1
    assert event.object_id == str(client_of_counselor1.public_id)
    assert event.details == {"fields": ["city", "phone"]}


def test_client_update_event_holds_field_names_not_values(supervisor, client_of_counselor1):
    data = _form_data(client_of_counselor1, phone="+15555550199")

    services.client_update(actor=supervisor, client=client_of_counselor1, data=data)

    assert "+15555550199" not in str(AuditEvent.objects.get().details)


def test_episode_assign_counselor_writes_one_update_event(
    supervisor, counselor2, client_of_counselor1
):
    episode = client_of_counselor1.episodes.get()

    services.episode_assign_counselor(actor=supervisor, episode=episode, counselor=counselor2)

    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.UPDATE
    assert event.actor == supervisor
    assert event.client == client_of_counselor1
    assert event.object_type == "clients.episode"
    assert event.object_id == str(episode.public_id)
    assert event.details == {"primary_counselor": "counselor2"}


def test_client_create_view_records_request_in_event(login, intake):
    browser = login(intake)
    data = {
        "legal_first_name": "Ada",
        "legal_last_name": "Quill",
        "date_of_birth": "1980-05-01",
        "sex": "female",
        "preferred_language": "en",
    }

    browser.post(reverse("clients:client-create"), data, HTTP_USER_AGENT="TestBrowser/1.0")

    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE)
    assert event.path == reverse("clients:client-create")
    assert event.ip_address == "127.0.0.1"
    assert event.user_agent == "TestBrowser/1.0"


# --- the audit page ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["counselor1", "supervisor", "intake"])
def test_audit_page_is_forbidden_to_non_administrators(request, login, role):
    user = request.getfixturevalue(role)

    response = login(user).get(AUDIT_URL)

    assert response.status_code == 403


def test_audit_page_redirects_anonymous_to_login(client, db):
    response = client.get(AUDIT_URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={AUDIT_URL}"


def test_audit_page_lists_events_for_administrator(login, administrator, client_of_counselor1):
    event = AuditEvent.objects.create(
        action=AuditEvent.Action.VIEW, client=client_of_counselor1, actor_username="x"
    )

    response = login(administrator).get(AUDIT_URL)

    assert response.status_code == 200
    assert event in _listed(response)
    assert client_of_counselor1.mrn in response.content.decode()


def test_audit_page_filters_by_period(login, administrator):
    old = _event_at(_days_ago(60), action=AuditEvent.Action.VIEW)
    inside = _event_at(_days_ago(30), action=AuditEvent.Action.VIEW)
    _event_at(_days_ago(10), action=AuditEvent.Action.VIEW)
    start = timezone.localdate() - datetime.timedelta(days=40)
    end = timezone.localdate() - datetime.timedelta(days=30)

    response = login(administrator).get(AUDIT_URL, {"start": start, "end": end})

    assert _listed(response) == [inside]
    assert old not in _listed(response)


def test_audit_period_end_day_is_inclusive(login, administrator):
    late = _days_ago(30).replace(hour=23, minute=59)
    event = _event_at(late, action=AuditEvent.Action.VIEW)
    day = timezone.localdate() - datetime.timedelta(days=30)

    response = login(administrator).get(AUDIT_URL, {"start": day, "end": day})

    assert _listed(response) == [event]


def test_audit_page_filters_by_user(login, administrator, counselor1, counselor2):
    mine = AuditEvent.objects.create(actor=counselor1, action=AuditEvent.Action.VIEW)
    AuditEvent.objects.create(actor=counselor2, action=AuditEvent.Action.VIEW)

    response = login(administrator).get(AUDIT_URL, {"user": counselor1.pk})

    assert _listed(response) == [mine]


def test_audit_page_filters_by_client_record_number(
    login, administrator, client_of_counselor1, client_of_counselor2
):
    wanted = AuditEvent.objects.create(client=client_of_counselor1, action=AuditEvent.Action.VIEW)
    AuditEvent.objects.create(client=client_of_counselor2, action=AuditEvent.Action.VIEW)

    response = login(administrator).get(AUDIT_URL, {"client": f" {client_of_counselor1.mrn} "})

    assert _listed(response) == [wanted]


def test_audit_page_filters_by_action(login, administrator):
    export = AuditEvent.objects.create(action=AuditEvent.Action.EXPORT)
    AuditEvent.objects.create(action=AuditEvent.Action.VIEW)

    response = login(administrator).get(AUDIT_URL, {"action": "export"})

    assert _listed(response) == [export]


def test_audit_page_lists_newest_first(login, administrator):
    older = _event_at(_days_ago(3), action=AuditEvent.Action.PRINT)
    newer = _event_at(_days_ago(2), action=AuditEvent.Action.PRINT)

    response = login(administrator).get(AUDIT_URL, {"action": "print"})

    assert _listed(response) == [newer, older]


def test_audit_end_before_start_shows_form_error(login, administrator):
    response = login(administrator).get(AUDIT_URL, {"start": "2026-03-10", "end": "2026-03-01"})

    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert "The end date is before the start date." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-13-45"},
        {"user": "999999"},
        {"user": "not-a-number"},
        {"action": "steal"},
        {"client": "x" * 40},
        {"page": "abc"},
        {"page": "99999"},
    ],
)
def test_audit_page_bad_filters_do_not_fail(login, administrator, query):
    response = login(administrator).get(AUDIT_URL, query)

    assert response.status_code == 200


def test_audit_page_paginates(login, administrator):
    AuditEvent.objects.bulk_create(
        AuditEvent(action=AuditEvent.Action.PRINT) for _ in range(EVENTS_PER_PAGE + 7)
    )
    browser = login(administrator)

    first = browser.get(AUDIT_URL, {"action": "print"})
    second = browser.get(AUDIT_URL, {"action": "print", "page": 2})

    assert len(_listed(first)) == EVENTS_PER_PAGE
    assert len(_listed(second)) == 7
    assert not set(_listed(first)) & set(_listed(second))
    assert "?action=print&amp;page=2" in first.content.decode()


def test_audit_page_query_count_does_not_grow_with_events(
    login, administrator, django_assert_num_queries
):
    def add_events(count):
        for _ in range(count):
            client = EpisodeFactory().client
            AuditEvent.objects.create(
                actor=administrator, client=client, action=AuditEvent.Action.VIEW
            )

    browser = login(administrator)
    add_events(3)
    with django_assert_num_queries(AUDIT_PAGE_QUERIES):
        browser.get(AUDIT_URL)
    add_events(30)
    with django_assert_num_queries(AUDIT_PAGE_QUERIES):
        browser.get(AUDIT_URL)


def test_audit_page_event_for_a_client_without_episode_renders(login, administrator):
    client = ClientFactory()
    AuditEvent.objects.create(client=client, action=AuditEvent.Action.VIEW)

    response = login(administrator).get(AUDIT_URL, {"client": client.mrn})

    assert response.status_code == 200
    assert len(_listed(response)) == 1


def test_episode_admit_writes_events_for_admission_and_assignment(
    supervisor, counselor1, screening_client
):
    episode = screening_client.episodes.get()

    services.episode_admit(
        actor=supervisor,
        episode=episode,
        admission_date=timezone.localdate(),
        level_of_care="2.1",
        counselor=counselor1,
    )

    details = [e.details for e in AuditEvent.objects.filter(client=screening_client)]
    assert {"phase": Episode.Phase.INTENSIVE, "level_of_care": "2.1"} in details
    assert {"primary_counselor": "counselor1"} in details
