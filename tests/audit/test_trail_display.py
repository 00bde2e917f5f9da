"""The audit trail read by a person: details as labelled lines, staff by name."""

import re

from iop.audit.models import AuditEvent
from iop.audit.templatetags.audit_display import detail_lines
from tests.factories import UserFactory

AUDIT_URL = "/audit/"


def test_details_become_labelled_lines():
    details = {
        "phase": "aftercare",
        "level_of_care": "2.1",
        "change": "authenticator_replaced",
        "signed": True,
        "late": False,
        "enrolled_tracks": ["ERS", "RP"],
        "primary_counselor": "counselor_1",
        "group": None,
    }

    assert detail_lines(details) == [
        ("Phase", "aftercare"),
        ("Level of care", "2.1"),
        ("Change", "authenticator replaced"),
        ("Signed", "yes"),
        ("Late", "no"),
        ("Enrolled tracks", "ERS, RP"),
        # A username is shown exactly as written.
        ("Primary counselor", "counselor_1"),
        ("Group", "—"),
    ]


def test_no_details_give_no_lines():
    assert detail_lines({}) == []
    assert detail_lines(None) == []


def test_audit_page_shows_details_as_lines_not_a_dictionary(login, administrator):
    AuditEvent.objects.create(
        actor=administrator,
        actor_username=administrator.username,
        action=AuditEvent.Action.EXPORT,
        details={"export": "teds", "episodes": 4},
    )

    page = login(administrator).get(AUDIT_URL).content.decode()

    assert "Export: teds<br>Episodes: 4" in page
    assert "{&#x27;export&#x27;" not in page
    assert "{'export'" not in page


def test_audit_page_names_the_user_and_shows_the_username_second(login, administrator):
    nurse = UserFactory(username="rlopez", first_name="Rosa", last_name="Lopez")
    AuditEvent.objects.create(
        actor=nurse, actor_username=nurse.username, action=AuditEvent.Action.LOGIN
    )

    page = login(administrator).get(AUDIT_URL, {"user": nurse.pk}).content.decode()

    cell = re.search(r"<td>Rosa Lopez<br><span[^>]*>rlopez</span></td>", page)
    assert cell is not None
    assert re.search(rf'<option value="{nurse.pk}"[^>]*>Rosa Lopez</option>', page)


def test_audit_page_keeps_the_username_of_an_event_without_a_user(login, administrator):
    AuditEvent.objects.create(actor_username="ghost", action=AuditEvent.Action.LOGIN_FAILED)

    page = login(administrator).get(AUDIT_URL).content.decode()

    assert "<td>ghost</td>" in page
