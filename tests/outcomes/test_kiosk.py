"""Kiosk mode: a counselor hands a clinic device to one client for one
questionnaire; the device reaches nothing else, and locks on submission,
after ten idle minutes, or until staff sign in."""

import pytest
from django.conf import settings
from django.urls import reverse

from iop.audit.models import AuditEvent
from outcomes import middleware
from outcomes.models import DueMeasure, KioskSession
from screening.models import InstrumentAdministration, SafetyFlag
from tests.outcomes.shortcuts import bam, due_measure, phq9

pytestmark = pytest.mark.django_db

KIOSK = reverse("outcomes:kiosk")
LOCK = reverse("accounts:login")
LOCKED = "This device is locked"


def _start_url(client):
    return reverse("outcomes:kiosk-start", args=[client.public_id])


def _items(answers):
    return {f"item_{key}": str(value) for key, value in answers.items()}


@pytest.fixture
def clock(monkeypatch):
    """The kiosk's clock, moved by hand."""

    class Clock:
        now = 1_800_000_000.0

        def advance(self, seconds):
            self.now += seconds

    clock = Clock()
    monkeypatch.setattr(middleware, "_now", lambda: clock.now)
    return clock


@pytest.fixture
def due(client_of_counselor1):
    return due_measure(client_of_counselor1, instrument="BAM")


@pytest.fixture
def device(login, counselor1, client_of_counselor1, due, clock):
    """A device counselor1 handed to their client for the BAM due."""
    browser = login(counselor1)
    response = browser.post(
        _start_url(client_of_counselor1), {"due": due.public_id, "language": "en"}
    )
    assert response.status_code == 302
    assert response.url == KIOSK
    return browser


def test_starting_the_kiosk_signs_the_counselor_out_of_this_device(
    device, counselor1, client_of_counselor1
):
    kiosk = KioskSession.objects.get()
    assert (kiosk.client, kiosk.started_by, kiosk.instrument) == (
        client_of_counselor1,
        counselor1,
        "BAM",
    )
    assert "_auth_user_id" not in device.session
    assert dict(device.session) == {
        middleware.KIOSK_KEY: str(kiosk.public_id),
        middleware.LAST_ACTIVITY_KEY: pytest.approx(middleware._now()),
    }
    assert AuditEvent.objects.filter(
        client=client_of_counselor1, object_type="outcomes.kiosksession", details__kiosk="start"
    ).exists()


def test_the_device_shows_only_the_questionnaire_without_the_clients_name(
    device, client_of_counselor1
):
    response = device.get(KIOSK)

    page = response.content.decode()
    assert response.status_code == 200
    assert "cravings or urges" in page  # a BAM item
    assert client_of_counselor1.legal_last_name not in page
    assert client_of_counselor1.mrn not in page
    assert 'data-menu="' not in page  # no navigation
    assert f'content="{settings.KIOSK_TIMEOUT_SECONDS + 1};url={LOCK}"' in page


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("dashboard:home", {}),
        ("dashboard:my-day", {}),
        ("clients:client-list", {}),
        ("outcomes:plan", {}),
        ("reminders:notification-list", {}),
        ("accounts:account", {}),
        ("accounts:session-status", {}),
        ("clients:client-detail", "client"),
        ("outcomes:kiosk-start", "client"),
    ],
)
def test_no_other_page_is_reachable_from_the_kiosk(device, client_of_counselor1, name, kwargs):
    if kwargs == "client":
        kwargs = {"client_id": client_of_counselor1.public_id}
    url = reverse(name, kwargs=kwargs)

    for response in (device.get(url), device.post(url, {})):
        assert response.status_code == 302
        assert response.url == LOCK
    assert KioskSession.objects.get().ended_at is None


def test_the_admin_and_unknown_paths_are_locked_too(device):
    for url in ("/admin/", "/nowhere/", "/outcomes/kiosk/../plan/"):
        response = device.get(url)
        assert response.status_code == 302
        assert response.url == LOCK


def test_an_htmx_request_from_the_kiosk_is_sent_to_the_lock_screen(device):
    response = device.get(reverse("dashboard:my-day"), HTTP_HX_REQUEST="true")

    assert response.status_code == 401
    assert response["HX-Redirect"] == LOCK


def test_submitting_records_a_kiosk_administration_completes_the_due_and_locks(
    device, counselor1, client_of_counselor1, due
):
    response = device.post(KIOSK, _items(bam(2)))

    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    administration = InstrumentAdministration.objects.get()
    assert administration.client == client_of_counselor1
    assert administration.source == "kiosk"
    assert administration.administered_by == counselor1
    assert administration.subscales["use"] == 6
    due.refresh_from_db()
    assert due.status == DueMeasure.Status.COMPLETED
    assert due.administration == administration
    kiosk = KioskSession.objects.get()
    assert kiosk.end_reason == "submitted"
    # The questionnaire is over: the device is locked.
    again = device.get(KIOSK)
    assert again.url == LOCK
    assert LOCKED in device.get(LOCK).content.decode()
    assert device.post(KIOSK, _items(bam(2))).url == LOCK
    assert InstrumentAdministration.objects.count() == 1


def test_an_incomplete_answer_shows_the_questions_again(device):
    answers = bam(1)
    del answers["8"]

    response = device.post(KIOSK, _items(answers))

    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()
    assert not InstrumentAdministration.objects.exists()
    assert KioskSession.objects.get().ended_at is None


def test_a_suicide_risk_answer_shows_crisis_resources_and_raises_the_flag(
    login, counselor1, client_of_counselor1, clock, settings
):
    settings.CLINIC_PHONE = "555-0100"
    browser = login(counselor1)
    browser.post(_start_url(client_of_counselor1), {"instrument": "PHQ-9", "language": "es"})

    page = browser.get(KIOSK).content.decode()
    assert "Pensamientos de que estaría mejor muerto/a" in page
    response = browser.post(KIOSK, _items({**phq9(item9=1), "difficulty": "somewhat"}))

    page = response.content.decode()
    assert 'data-testid="crisis-resources"' in page
    assert "988" in page and "911" in page and "555-0100" in page
    # In the language the client chose (outcomes/locale/es).
    assert "Llame o envíe un mensaje de texto" in page
    assert '<html lang="es">' in page
    flag = SafetyFlag.objects.get()
    assert flag.client == client_of_counselor1
    assert flag.administration.source == "kiosk"
    assert flag.administration.language == "es"


def test_no_crisis_resources_without_a_flag(device):
    page = device.post(KIOSK, _items(bam(0))).content.decode()

    assert "crisis-resources" not in page


def test_ten_idle_minutes_end_the_kiosk_and_lock_the_device(device, clock, client_of_counselor1):
    clock.advance(settings.KIOSK_TIMEOUT_SECONDS - 1)
    assert device.get(KIOSK).status_code == 200  # still there, and active again

    clock.advance(settings.KIOSK_TIMEOUT_SECONDS)
    response = device.get(KIOSK)

    assert response.url == LOCK
    kiosk = KioskSession.objects.get()
    assert kiosk.end_reason == "timeout"
    assert AuditEvent.objects.filter(client=client_of_counselor1, details__kiosk="timeout").exists()
    assert device.post(KIOSK, _items(bam(1))).url == LOCK
    assert not InstrumentAdministration.objects.exists()


def test_a_timeout_found_on_the_lock_screen_ends_the_kiosk_too(device, clock):
    clock.advance(settings.KIOSK_TIMEOUT_SECONDS)

    page = device.get(LOCK).content.decode()

    assert LOCKED in page
    assert KioskSession.objects.get().end_reason == "timeout"


def test_leaving_the_questionnaire_for_the_lock_screen_ends_it(device, client_of_counselor1):
    assert device.get(reverse("dashboard:home")).url == LOCK

    assert LOCKED in device.get(LOCK).content.decode()

    assert KioskSession.objects.get().end_reason == "locked"
    assert device.get(KIOSK).url == LOCK
    assert AuditEvent.objects.filter(client=client_of_counselor1, details__kiosk="locked").exists()


def test_staff_sign_in_on_the_lock_screen_ends_the_kiosk(device, supervisor):
    supervisor.set_password("a long enough password 1")
    supervisor.save()

    response = device.post(
        LOCK, {"username": supervisor.username, "password": "a long enough password 1"}
    )

    assert response.status_code == 302
    kiosk = KioskSession.objects.get()
    assert kiosk.end_reason == "signed_in"
    assert middleware.KIOSK_KEY not in device.session
    # Staff have the device back: pages are theirs again.
    assert device.get(reverse("clients:client-list")).status_code == 200


def test_a_wrong_password_on_the_lock_screen_keeps_the_kiosk(device, supervisor):
    device.post(LOCK, {"username": supervisor.username, "password": "wrong"})

    assert KioskSession.objects.get().ended_at is None
    assert device.get(reverse("dashboard:home")).url == LOCK


def test_the_kiosk_page_without_a_kiosk_is_the_lock_screen(client, login, counselor1):
    assert client.get(KIOSK).url == LOCK
    assert login(counselor1).get(KIOSK).url == LOCK


def test_intake_may_not_start_a_kiosk(login, intake, screening_client):
    response = login(intake).post(_start_url(screening_client), {"instrument": "BAM"})

    assert response.status_code == 403
    assert not KioskSession.objects.exists()


def test_an_outsider_gets_404_and_stays_signed_in(login, counselor2, client_of_counselor1):
    browser = login(counselor2)

    response = browser.post(_start_url(client_of_counselor1), {"instrument": "BAM"})

    assert response.status_code == 404
    assert not KioskSession.objects.exists()
    assert "_auth_user_id" in browser.session


def test_a_measure_in_a_language_it_is_not_offered_in_is_refused(
    login, counselor1, client_of_counselor1
):
    browser = login(counselor1)

    response = browser.post(
        _start_url(client_of_counselor1), {"instrument": "BAM", "language": "es"}
    )

    assert response.status_code == 302
    assert "section=measures" in response.url
    assert not KioskSession.objects.exists()
    assert "_auth_user_id" in browser.session


def test_another_clients_due_measure_is_refused(
    login, counselor1, client_of_counselor1, client_of_counselor2
):
    other = due_measure(client_of_counselor2)

    login(counselor1).post(_start_url(client_of_counselor1), {"due": other.public_id})

    assert not KioskSession.objects.exists()


def test_start_is_post_only(login, counselor1, client_of_counselor1):
    assert login(counselor1).get(_start_url(client_of_counselor1)).status_code == 405
