"""Emergency ("break-glass") access (DOMAIN.md section 10): designated users
open a client outside the access policy for one hour after giving a reason;
every use is audited and shown to administrators."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from iop.audit.emergency import digest_items
from iop.audit.models import AuditEvent, EmergencyAccess
from iop.audit.policy import client_get_for_user, clients_visible_to
from iop.audit.services import (
    EMERGENCY_ACCESS_DURATION,
    EMERGENCY_ACCESS_MISS_LIMIT,
    EmergencyAccessRefused,
    emergency_access_grant,
)
from iop.reminders.models import StaffNotification
from iop.reminders.sources import digest_lines

URL = "/audit/emergency-access/"
REASON = "Client called in crisis; counselor1 is away today."
NEUTRAL = "No client matches this record number and date of birth."


@pytest.fixture
def glass_breaker(counselor2):
    """counselor2, designated for emergency access (a fresh instance, so the
    permission cache is empty)."""
    permission = Permission.objects.get(codename="break_glass", content_type__app_label="audit")
    counselor2.user_permissions.add(permission)
    return type(counselor2).objects.get(pk=counselor2.pk)


def _grant(user, client, **kwargs):
    return emergency_access_grant(
        actor=user,
        mrn=client.mrn,
        date_of_birth=client.date_of_birth,
        category=EmergencyAccess.Category.COVERING,
        reason=REASON,
        **kwargs,
    )


def _form(client, **changes):
    data = {
        "mrn": client.mrn,
        "date_of_birth": client.date_of_birth.isoformat(),
        "category": EmergencyAccess.Category.CLINICAL_EMERGENCY,
        "reason": REASON,
        "confirm": "on",
    }
    data.update(changes)
    return data


def _chart_url(client):
    return reverse("clients:client-detail", kwargs={"client_id": client.public_id})


def _expire(grant):
    EmergencyAccess.objects.filter(pk=grant.pk).update(
        starts_at=timezone.now() - timedelta(hours=2),
        expires_at=timezone.now() - timedelta(seconds=1),
    )


# --- the service ----------------------------------------------------------------------


def test_grant_lasts_one_hour_from_now(glass_breaker, client_of_counselor1):
    now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=now):
        grant = _grant(glass_breaker, client_of_counselor1)

    assert grant.user == glass_breaker
    assert grant.client == client_of_counselor1
    assert grant.starts_at == now
    assert grant.expires_at == now + EMERGENCY_ACCESS_DURATION == now + timedelta(hours=1)


def test_grant_is_audited_with_its_reason(glass_breaker, client_of_counselor1):
    grant = _grant(glass_breaker, client_of_counselor1)

    event = AuditEvent.objects.get(action=AuditEvent.Action.BREAK_GLASS)
    assert event.actor == glass_breaker
    assert event.client == client_of_counselor1
    assert event.object_id == str(grant.pk)
    assert event.details["reason"] == REASON
    assert event.details["category"] == EmergencyAccess.Category.COVERING
    assert event.details["outcome"] == "granted"


def test_grant_is_refused_without_the_permission(counselor2, client_of_counselor1):
    with pytest.raises(PermissionDenied):
        _grant(counselor2, client_of_counselor1)

    assert not EmergencyAccess.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.BREAK_GLASS).exists()


def test_unknown_client_grants_nothing_and_the_attempt_is_audited(glass_breaker, db):
    grant = emergency_access_grant(
        actor=glass_breaker,
        mrn="99999",
        date_of_birth=timezone.localdate(),
        category=EmergencyAccess.Category.OTHER,
        reason=REASON,
    )

    assert grant is None
    assert not EmergencyAccess.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.BREAK_GLASS)
    assert event.client is None
    assert event.details["outcome"] == "no_match"
    assert event.details["reason"] == REASON


def test_record_number_with_a_wrong_birth_date_matches_no_client(
    glass_breaker, client_of_counselor1
):
    grant = emergency_access_grant(
        actor=glass_breaker,
        mrn=client_of_counselor1.mrn,
        date_of_birth=client_of_counselor1.date_of_birth - timedelta(days=1),
        category=EmergencyAccess.Category.OTHER,
        reason=REASON,
    )

    assert grant is None


# --- the access policy ------------------------------------------------------------------


def test_grant_opens_the_client_during_the_hour(glass_breaker, client_of_counselor1):
    assert client_of_counselor1 not in clients_visible_to(glass_breaker)

    _grant(glass_breaker, client_of_counselor1)

    assert client_of_counselor1 in clients_visible_to(glass_breaker)
    assert client_get_for_user(glass_breaker, client_of_counselor1.public_id)


def test_client_is_404_again_after_the_grant_expires(glass_breaker, client_of_counselor1):
    _expire(_grant(glass_breaker, client_of_counselor1))

    assert client_of_counselor1 not in clients_visible_to(glass_breaker)
    with pytest.raises(Http404):
        client_get_for_user(glass_breaker, client_of_counselor1.public_id)


def test_grant_ends_when_the_user_is_no_longer_designated(glass_breaker, client_of_counselor1):
    _grant(glass_breaker, client_of_counselor1)
    permission = Permission.objects.get(codename="break_glass", content_type__app_label="audit")

    glass_breaker.user_permissions.remove(permission)

    assert client_of_counselor1 not in clients_visible_to(glass_breaker)


def test_grant_holds_for_a_user_designated_through_the_group(counselor2, client_of_counselor1):
    group = Group.objects.get(name="Emergency access")
    counselor2.groups.add(group)
    _grant(counselor2, client_of_counselor1)

    assert client_of_counselor1 in clients_visible_to(counselor2)
    counselor2.groups.remove(group)
    assert client_of_counselor1 not in clients_visible_to(counselor2)


def test_grant_opens_nothing_to_other_users(glass_breaker, counselor1, client_of_counselor2):
    _grant(glass_breaker, client_of_counselor2)  # their own client: visible anyway

    assert client_of_counselor2 not in clients_visible_to(counselor1)


def test_grant_opens_only_the_named_client(glass_breaker, client_of_counselor1, screening_client):
    _grant(glass_breaker, client_of_counselor1)

    assert screening_client not in clients_visible_to(glass_breaker)


def test_policy_query_count_is_unchanged_by_grants(
    glass_breaker, client_of_counselor1, django_assert_num_queries
):
    glass_breaker.role_names  # noqa: B018 -- the roles are read once per request
    with django_assert_num_queries(1):
        list(clients_visible_to(glass_breaker))
    _grant(glass_breaker, client_of_counselor1)
    with django_assert_num_queries(1):
        assert list(clients_visible_to(glass_breaker)) != []


# --- the page ---------------------------------------------------------------------------


def test_page_opens_for_a_designated_user(login, glass_breaker):
    response = login(glass_breaker).get(URL)

    assert response.status_code == 200
    assert "one hour" in response.content.decode()


@pytest.mark.parametrize("role", ["counselor1", "intake", "supervisor", "administrator"])
def test_page_is_forbidden_without_the_permission(request, login, role):
    response = login(request.getfixturevalue(role)).get(URL)

    assert response.status_code == 403


def test_page_redirects_anonymous_to_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_page_refuses_other_methods(login, glass_breaker):
    response = login(glass_breaker).put(URL)

    assert response.status_code == 405


def test_grant_redirects_to_the_chart_with_its_banner(login, glass_breaker, client_of_counselor1):
    browser = login(glass_breaker)

    response = browser.post(URL, _form(client_of_counselor1))

    assert response.status_code == 302
    assert response.url == _chart_url(client_of_counselor1)
    chart = browser.get(response.url)
    assert chart.status_code == 200
    banner = chart.content.decode()
    assert 'data-testid="emergency-access-banner"' in banner
    assert "every view is audited" in banner
    grant = EmergencyAccess.objects.get()
    assert grant.ip_address == "127.0.0.1"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, actor=glass_breaker, client=client_of_counselor1
    ).exists()


def test_banner_shows_in_another_session_of_the_designated_user(
    login, glass_breaker, client_of_counselor1
):
    _grant(glass_breaker, client_of_counselor1)  # e.g. made from another device

    response = login(glass_breaker).get(_chart_url(client_of_counselor1))

    assert 'data-testid="emergency-access-banner"' in response.content.decode()


def test_banner_costs_no_query_for_users_who_cannot_break_the_glass(
    login, counselor1, client_of_counselor1, glass_breaker, django_assert_num_queries
):
    from iop.audit.emergency import chart_banner

    request = login(counselor1).get(_chart_url(client_of_counselor1)).wsgi_request
    with django_assert_num_queries(0):
        assert chart_banner(request, client_of_counselor1) == {"grant": None}


def test_chart_opened_the_usual_way_shows_no_banner(login, counselor1, client_of_counselor1):
    response = login(counselor1).get(_chart_url(client_of_counselor1))

    assert "emergency-access-banner" not in response.content.decode()


def test_chart_is_404_once_the_grant_has_expired(login, glass_breaker, client_of_counselor1):
    browser = login(glass_breaker)
    browser.post(URL, _form(client_of_counselor1))

    _expire(EmergencyAccess.objects.get())

    assert browser.get(_chart_url(client_of_counselor1)).status_code == 404


@pytest.mark.parametrize(
    "changes",
    [
        {"reason": "too short"},
        {"reason": "                         "},
        {"confirm": ""},
        {"category": "bored"},
        {"date_of_birth": "not a date"},
        {"mrn": ""},
    ],
)
def test_invalid_form_grants_nothing(login, glass_breaker, client_of_counselor1, changes):
    response = login(glass_breaker).post(URL, _form(client_of_counselor1, **changes))

    assert response.status_code == 400
    assert not EmergencyAccess.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.BREAK_GLASS).exists()


def test_unknown_client_gets_the_same_neutral_answer(login, glass_breaker, client_of_counselor1):
    browser = login(glass_breaker)

    unknown = browser.post(URL, _form(client_of_counselor1, mrn="99999"))
    wrong_birth = browser.post(URL, _form(client_of_counselor1, date_of_birth="1900-01-01"))

    assert unknown.status_code == wrong_birth.status_code == 400
    assert NEUTRAL in unknown.content.decode()
    assert NEUTRAL in wrong_birth.content.decode()
    assert not EmergencyAccess.objects.exists()
    attempts = AuditEvent.objects.filter(action=AuditEvent.Action.BREAK_GLASS)
    assert [event.details["outcome"] for event in attempts] == ["no_match", "no_match"]


def _miss(user):
    return emergency_access_grant(
        actor=user,
        mrn="99999",
        date_of_birth=timezone.localdate(),
        category=EmergencyAccess.Category.OTHER,
        reason=REASON,
    )


def test_after_three_misses_in_an_hour_even_a_right_answer_is_refused(
    glass_breaker, client_of_counselor1, administrator
):
    for _ in range(EMERGENCY_ACCESS_MISS_LIMIT):
        assert _miss(glass_breaker) is None

    with pytest.raises(EmergencyAccessRefused):
        _grant(glass_breaker, client_of_counselor1)

    assert not EmergencyAccess.objects.exists()
    outcomes = [
        event.details["outcome"]
        for event in AuditEvent.objects.filter(action=AuditEvent.Action.BREAK_GLASS).order_by("id")
    ]
    assert outcomes == ["no_match"] * EMERGENCY_ACCESS_MISS_LIMIT + ["refused_too_many_misses"]
    [notice] = StaffNotification.objects.filter(kind="emergency_access")
    assert notice.recipient == administrator


def test_misses_older_than_an_hour_no_longer_count(glass_breaker, client_of_counselor1):
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(hours=2)):
        for _ in range(EMERGENCY_ACCESS_MISS_LIMIT):
            _miss(glass_breaker)

    assert _grant(glass_breaker, client_of_counselor1) is not None


def test_the_page_says_when_attempts_are_refused(login, glass_breaker, client_of_counselor1):
    browser = login(glass_breaker)
    for _ in range(EMERGENCY_ACCESS_MISS_LIMIT):
        browser.post(URL, _form(client_of_counselor1, mrn="99999"))

    response = browser.post(URL, _form(client_of_counselor1))

    assert response.status_code == 429
    assert "Too many attempts matched no client" in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_navigation_offers_the_page_to_designated_users_only(
    login, client, glass_breaker, counselor1
):
    assert URL in login(glass_breaker).get(reverse("clients:client-list")).content.decode()

    client.logout()
    assert URL not in login(counselor1).get(reverse("clients:client-list")).content.decode()


# --- review by administrators ------------------------------------------------------------


def test_audit_page_lists_emergency_accesses_with_reason_and_views(
    login, client, glass_breaker, administrator, client_of_counselor1
):
    browser = login(glass_breaker)
    browser.post(URL, _form(client_of_counselor1))
    browser.get(_chart_url(client_of_counselor1))
    browser.get(_chart_url(client_of_counselor1))
    client.logout()

    response = login(administrator).get("/audit/")

    (grant,) = response.context["emergency_accesses"]
    assert grant.user == glass_breaker
    assert grant.views == 2
    page = response.content.decode()
    assert REASON in page
    assert client_of_counselor1.mrn in page


def test_audit_page_filters_break_glass_events(login, glass_breaker, administrator, db):
    emergency_access_grant(
        actor=glass_breaker,
        mrn="99999",
        date_of_birth=timezone.localdate(),
        category=EmergencyAccess.Category.OTHER,
        reason=REASON,
    )

    response = login(administrator).get("/audit/", {"action": "break_glass"})

    (event,) = response.context["page"].object_list
    assert event.details["outcome"] == "no_match"


def test_digest_tells_administrators_of_the_days_emergency_accesses(
    glass_breaker, administrator, client_of_counselor1
):
    _grant(glass_breaker, client_of_counselor1)
    _grant(glass_breaker, client_of_counselor1)

    lines = digest_items(administrator)

    assert lines == ["2 emergency accesses in the last 24 hours: review them on the audit page"]
    assert lines[0] in digest_lines(administrator)
    assert client_of_counselor1.mrn not in " ".join(lines)


def test_digest_counts_attempts_that_matched_no_client(glass_breaker, administrator):
    emergency_access_grant(
        actor=glass_breaker,
        mrn="99999",
        date_of_birth=timezone.localdate(),
        category=EmergencyAccess.Category.OTHER,
        reason=REASON,
    )

    assert digest_items(administrator) == [
        "1 emergency access attempt matched no client in the last 24 hours"
    ]


def test_digest_line_is_for_administrators_only(
    glass_breaker, supervisor, counselor1, client_of_counselor1
):
    _grant(glass_breaker, client_of_counselor1)

    assert digest_items(supervisor) == []
    assert digest_items(counselor1) == []
    assert digest_items(glass_breaker) == []


def test_digest_has_no_line_on_a_quiet_day(administrator):
    assert digest_items(administrator) == []


def test_emergency_access_group_holds_only_the_break_glass_permission(db):
    group = Group.objects.get(name="Emergency access")

    assert [p.codename for p in group.permissions.all()] == ["break_glass"]


@pytest.mark.parametrize("role", ["Intake", "Counselor", "Supervisor", "Administrator"])
def test_no_role_may_break_the_glass_by_default(db, role):
    group = Group.objects.get(name=role)

    assert not group.permissions.filter(codename="break_glass").exists()


def test_member_of_the_emergency_access_group_sees_the_page(login, counselor1):
    counselor1.groups.add(Group.objects.get(name="Emergency access"))

    assert login(counselor1).get(URL).status_code == 200
