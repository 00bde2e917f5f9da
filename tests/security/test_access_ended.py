"""Work that outlives access names nobody. On top of the shared world,
counselor B:

- was client X's primary counselor: wrote and signed the discharge summary of
  X's first episode long ago (beyond the recent-discharge period), held X's
  second episode into aftercare, drafted notes of two sessions with X, had a
  session with X cancelled, an outreach task for X's missed check-in and a
  notification about X; then a supervisor reassigned X to counselor A;
- facilitates a group in which client Y was enrolled until more than 14 days
  ago and last attended then.

X and Y have reminders in the outbox (sessions booked with A). B can open
neither any more (the access policy). Every route B's role can GET is then
requested, list pages with their filters, filled both with the ids of B's own
objects and with those pointing at X and Y: no answer may name X or Y (name
or record number), nor hold their ids (so no link to their pages). The same
pages, read by a supervisor, do name X: the objects are there to be found.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from aftercare.models import OutreachTask
from aftercare.services import aftercare_start, episode_discharge_with_summary
from iop.audit.policy import clients_visible_to
from iop.clients.models import Appointment
from iop.clients.services import appointment_schedule, episode_assign_counselor
from iop.clients.services.sessions import appointment_cancel, session_document
from iop.reminders.models import Reminder
from iop.reminders.services import staff_notify
from tests.aftercare.factories import PLAN_TEXT, missed, numbered, record
from tests.factories import ClientFactory, EpisodeFactory
from tests.groups.factories import (
    AttendanceFactory,
    EnrollmentFactory,
    GroupSessionFactory,
    RecurringGroupFactory,
)
from tests.groups.factories import track as track_of
from tests.security.test_route_access import ACCESS, APP_ROUTES, COUNSELOR, POST_ONLY, _url

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
SUMMARY = {
    "substances_at_discharge": "",
    "employment": "full_time",
    "living_arrangement": "independent",
    "mutual_help": "4_7",
    "summary": "Completed the intensive phase and aftercare.",
}


@dataclass
class Scenario:
    b: object
    x: object  # reassigned from B to A
    y: object  # A's client, formerly in B's group
    values: dict  # URL parameters pointing at B's own objects
    x_values: dict  # URL parameters pointing at X's and Y's records
    attended: object  # the public id of the session of B's group Y last attended


def _consenting(first, last):
    return ClientFactory(
        legal_first_name=first,
        legal_last_name=last,
        sms_consent=True,
        sms_consent_at=timezone.now() - 300 * DAY,
        phone="+15555550142",
    )


def _build(world) -> Scenario:
    a, b = world.users["counselor_a"], world.users["counselor_b"]
    supervisor = world.users["supervisor"]
    today = timezone.localdate()
    now = timezone.now()

    x = _consenting("Quillon", "Xanthorrhoea")
    first = EpisodeFactory(
        client=x,
        primary_counselor=b,
        referral_date=today - 320 * DAY,
        admission_date=today - 300 * DAY,
    )
    episode_discharge_with_summary(
        actor=b, episode=first, discharge_date=today - 150 * DAY, reason=1, summary=SUMMARY
    )
    episode = EpisodeFactory(
        client=x,
        primary_counselor=b,
        referral_date=today - 130 * DAY,
        admission_date=today - 120 * DAY,
    )
    plan = aftercare_start(actor=b, episode=episode, plan=PLAN_TEXT, started_on=today - 28 * DAY)
    check_in = numbered(plan, 1)
    record(b, check_in, missed(check_in))
    task = OutreachTask.objects.get(check_in=check_in)
    drafts = []
    for days in (5, 9):
        appointment = appointment_schedule(
            actor=b,
            episode=episode,
            kind=Appointment.Kind.INDIVIDUAL,
            starts_at=now - days * DAY,
            counselor=b,
        )
        session_document(
            actor=b, appointment=appointment, status=Appointment.Status.ATTENDED, minutes=50
        )
        drafts.append(appointment)
    cancelled = appointment_schedule(
        actor=supervisor,
        episode=episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=now + 2 * DAY,
        counselor=b,
    )
    appointment_cancel(actor=supervisor, appointment=cancelled, reason="cancelled_program")
    staff_notify(
        recipients=[b],
        kind="outreach",
        client=x,
        message=f"Client {x.mrn} missed a check-in.",
        link=reverse("clients:client-detail", args=[x.public_id]),
    )
    episode_assign_counselor(actor=supervisor, episode=episode, counselor=a)

    y = _consenting("Yvaine", "Ypsilanthorpe")
    y_episode = EpisodeFactory(
        client=y,
        primary_counselor=a,
        referral_date=today - 70 * DAY,
        admission_date=today - 60 * DAY,
    )
    group = RecurringGroupFactory(facilitator=b, track=track_of("social"), name="B's Tuesday")
    EnrollmentFactory(
        group=group, episode=y_episode, start_date=today - 60 * DAY, end_date=today - 20 * DAY
    )
    attended = GroupSessionFactory(group=group, starts_at=now - 20 * DAY)
    AttendanceFactory(session=attended, episode=y_episode)
    latest = GroupSessionFactory(group=group, starts_at=now - 2 * DAY)

    for booked in (episode, y_episode):
        appointment_schedule(
            actor=a,
            episode=booked,
            kind=Appointment.Kind.INDIVIDUAL,
            starts_at=now + 3 * DAY,
            counselor=a,
        )
    assert Reminder.objects.filter(client__in=[x, y], status=Reminder.Status.PENDING).count() >= 2
    assert not clients_visible_to(b).filter(pk__in=[x.pk, y.pk]).exists()

    values = {"group_id": group.public_id, "session_id": latest.public_id}
    x_values = {
        "client_id": x.public_id,
        "episode_id": episode.public_id,
        "appointment_id": drafts[0].public_id,
        "check_in_id": check_in.public_id,
        "task_id": task.public_id,
        "group_id": group.public_id,
        "session_id": latest.public_id,
    }
    return Scenario(b=b, x=x, y=y, values=values, x_values=x_values, attended=attended.public_id)


@pytest.fixture(scope="module")
def scenario(world, django_db_blocker):
    # Inside the world's module transaction, rolled back with it.
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build(world)
        yield built
        transaction.set_rollback(True)


# The list pages and their filters, with the text typed where a search helps.
def _list_urls(scenario) -> list[str]:
    x = scenario.x
    clients = reverse("clients:client-list")
    session = scenario.values["session_id"]
    search = reverse("groups:session-drop-in-search", args=[session])
    return [
        reverse("dashboard:home"),
        reverse("dashboard:home") + "?sort=flags",
        reverse("dashboard:my-day"),
        reverse("dashboard:worklists"),
        reverse("dashboard:worklists") + "?reviews_page=2",
        reverse("reminders:notification-list"),
        reverse("aftercare:worklist"),
        clients,
        f"{clients}?q={x.legal_last_name}",
        f"{clients}?q={x.mrn}",
        f"{clients}?q={x.date_of_birth:%Y-%m-%d}",
        f"{clients}?mine=on",
        f"{clients}?phase=aftercare",
        f"{clients}?counselor={x.episodes.order_by('-pk').first().primary_counselor_id}",
        reverse("groups:group-list"),
        reverse("groups:session-drop-in-picker", args=[session]),
        f"{search}?q={x.legal_last_name[:5]}",
        f"{search}?q={scenario.y.legal_last_name[:5]}",
        f"{search}?q={x.mrn[:4]}",
    ]


def _counselor_routes():
    for route in APP_ROUTES:
        access = ACCESS.get(route.name)
        if access is not None and COUNSELOR in access.roles and access.get != POST_ONLY:
            yield route


def _urls(world, scenario) -> list[str]:
    urls = []
    for route in _counselor_routes():
        urls.append(_url(world, route))
        own = {k: v for k, v in scenario.values.items() if k in route.kwargs}
        urls.append(route.url(**{**world.values, **own}))
        urls.append(route.url(**{**world.values, **scenario.x_values}))
    return list(dict.fromkeys(urls + _list_urls(scenario)))


def _named(content: str, client) -> list[str]:
    marks = (client.legal_first_name, client.legal_last_name, client.mrn, str(client.public_id))
    return [mark for mark in marks if mark in content]


def _shown(response) -> str:
    """The page, less the search text the user typed (echoed in the field)."""
    content = response.content.decode(errors="replace")
    typed = response.wsgi_request.GET.get("q")
    return content.replace(f'value="{typed}"', "") if typed else content


def test_no_page_names_a_client_whose_access_ended(world, scenario, client):
    client.force_login(scenario.b)
    leaks = []

    for url in _urls(world, scenario):
        response = client.get(url)
        assert response.status_code != 500, url
        content = _shown(response)
        found = _named(content, scenario.x) + _named(content, scenario.y)
        if found:
            leaks.append(f"{url} ({response.status_code}): {found}")

    assert not leaks, "\n".join(leaks)


def test_the_former_counselor_is_told_of_the_work_without_the_client(world, scenario, client):
    client.force_login(scenario.b)

    to_do = client.get(reverse("dashboard:worklists")).content.decode()
    notifications = client.get(reverse("reminders:notification-list")).content.decode()

    assert to_do.count("for a client no longer in your care") == 2
    assert "A notification about a client you can no longer open" in notifications


def test_a_supervisor_finds_what_the_former_counselor_no_longer_sees(world, scenario, client):
    client.force_login(world.users["supervisor"])

    to_do = client.get(reverse("dashboard:worklists")).content.decode()
    aftercare = client.get(reverse("aftercare:worklist")).content.decode()

    assert scenario.x.display_name in to_do  # the drafts B can no longer open
    assert scenario.x.display_name in aftercare  # the outreach task, still open


def test_a_past_session_page_does_not_name_a_former_member(world, scenario, client):
    client.force_login(scenario.b)

    response = client.get(reverse("groups:session-detail", args=[scenario.attended]))

    assert response.status_code == 200
    assert not _named(_shown(response), scenario.y)
