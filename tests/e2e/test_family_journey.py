"""A counselor involves a client's mother under 42 CFR Part 2: adds her as a
family member, records a consent for attendance and progress, marks her
present at Family Education, exports the release of information and finds it
in the accounting of disclosures; after the client revokes the consent the
export is refused (DOMAIN.md section 6). And the signature pad of the
consent form."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from family.consents import NOTICE
from family.models import Consent, Disclosure, FamilyAttendance
from iop.accounts import roles
from tests.factories import UserFactory
from tests.family.factories import family_member
from tests.groups.factories import group_meeting_now

pytestmark = pytest.mark.e2e


def test_counselor_involves_a_family_member_under_a_consent_then_it_is_revoked(
    live_server, sign_in, transactional_db
):
    counselor = UserFactory(
        username="counselor1", first_name="Casey", last_name="Rivera", roles=[roles.COUNSELOR]
    )
    _group, session, (client,) = group_meeting_now(
        counselor, [("Avery", "Abbott")], track_code="family", name="Family Education Wednesday"
    )
    chart_url = live_server.url + reverse("clients:client-detail", args=[client.public_id])
    expires = timezone.localdate() + datetime.timedelta(days=180)

    page = sign_in("counselor1")
    page.goto(chart_url + "?section=family")

    # The family member, from the chart's Family section.
    page.get_by_role("link", name="Add family member").click()
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Abbott")
    page.get_by_label("Relationship to the client").select_option(label="Parent")
    page.get_by_label("Mobile phone").fill("+15555550142")
    page.get_by_label("Agrees to text-message reminders").check()
    page.get_by_role("button", name="Save family member").click()
    expect(page.get_by_test_id("family-members")).to_contain_text("Rosa Abbott")

    # The consent: attendance and progress, to her, signed today.
    page.get_by_role("link", name="Record consent").first.click()
    page.get_by_label("A family member").check()
    page.get_by_label("Family member", exact=True).select_option(label="Rosa Abbott")
    page.get_by_label("Attendance", exact=True).check()
    page.get_by_label("Progress in treatment").check()
    page.get_by_label("Specific description of what may be disclosed").fill(
        "Dates of attendance and a short summary of progress in this episode."
    )
    page.get_by_label("Purpose of the disclosure").fill("Family involvement in recovery.")
    page.get_by_label("Expires on", exact=True).fill(f"{expires:%Y-%m-%d}")
    page.get_by_label("Signed by (typed name)").fill("Avery Abbott")
    page.get_by_label("Typed name confirmed as electronic signature").check()
    page.get_by_label("The client confirmed the typed name above").check()
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent to disclose to Rosa Abbott")
    expect(page.get_by_text("In effect")).to_be_visible()
    consent_url = page.url

    # Family Education: she is on the session's family roster; mark her present.
    page.goto(live_server.url + reverse("groups:session-detail", args=[session.public_id]))
    roster = page.get_by_test_id("family-roster")
    roster.get_by_label("Attendance of Rosa Abbott").select_option(label="Present")
    roster.get_by_role("button", name="Save Rosa Abbott").click()
    expect(
        page.get_by_role("alert").filter(has_text="Attendance of Rosa Abbott saved.")
    ).to_be_visible()
    expect(page.get_by_test_id("family-roster")).to_contain_text("Saved: Present")
    assert FamilyAttendance.objects.get().status == "present"

    # The chart shows her progress through Family Education.
    page.goto(chart_url + "?section=family")
    expect(page.get_by_test_id("family-progress")).to_contain_text("1 of 12 sessions")

    # The release of information: the consented categories and the notice.
    page.goto(consent_url)
    page.get_by_role("button", name="Export release of information").click()
    expect(page.get_by_role("heading", name="Release of information")).to_be_visible()
    expect(page.get_by_test_id("notice")).to_have_text(NOTICE)
    expect(page.get_by_role("heading", name="Attendance", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Progress in treatment")).to_be_visible()
    expect(page.get_by_role("heading", name="Drug test results")).to_have_count(0)
    expect(page.get_by_role("button", name="Print")).to_be_visible()

    # The accounting of disclosures on the chart has the export's row.
    page.goto(chart_url + "?section=family")
    exported = page.get_by_test_id("ledger").locator("tr[data-path='export']")
    expect(exported).to_have_count(1)
    expect(exported).to_contain_text("Rosa Abbott")
    expect(exported).to_contain_text("Attendance, Progress in treatment")
    expect(exported).to_contain_text("Casey Rivera")

    # The client revokes; the release is refused, saying why, and nothing is written.
    page.goto(consent_url)
    page.get_by_label("How the client revoked").fill("Told me in session today")
    page.get_by_role("button", name="Revoke consent").click()
    expect(page.get_by_text("Consent revoked.")).to_be_visible()
    page.get_by_role("button", name="Export release of information").click()
    expect(page.get_by_role("alert").filter(has_text="Release refused")).to_contain_text(
        "was revoked on"
    )
    assert Disclosure.objects.filter(path="export").count() == 1


def test_a_consent_signed_on_the_signature_pad_keeps_the_drawing(
    live_server, sign_in, counselor1, client_of_counselor1, transactional_db
):
    member = family_member(
        client_of_counselor1, actor=counselor1, first_name="Rosa", last_name="Abbott"
    )
    page = sign_in("counselor1")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(
        live_server.url
        + reverse("family:consent-new", args=[client_of_counselor1.public_id])
        + f"?member={member.public_id}"
    )
    page.get_by_label("Attendance", exact=True).check()
    page.get_by_label("Specific description of what may be disclosed").fill("Attendance dates.")
    page.get_by_label("Purpose of the disclosure").fill("Family involvement.")
    page.get_by_label("Or expires on this event").fill("Discharge from the program")
    page.get_by_label("Signed by (typed name)").fill("Avery Abbott")

    pad = page.locator("canvas")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 30)
    page.mouse.down()
    page.mouse.move(box["x"] + 160, box["y"] + 90, steps=12)
    page.mouse.up()
    # Drawing chooses the drawn signature by itself.
    expect(page.get_by_label("Drawn signature", exact=True)).to_be_checked()
    page.get_by_role("button", name="Record consent").click()

    expect(page.get_by_role("img", name="Drawn signature of Avery Abbott")).to_be_visible()
    consent = Consent.objects.get()
    assert consent.signature_method == "drawn"
    assert consent.signature_drawing.startswith("data:image/png;base64,")
    assert errors == []
