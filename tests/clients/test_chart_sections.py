"""The chart in sections: a header that stays (name, record, phase, level,
primary counselor, flags in plain words, medications), a section navigation
whose tabs load when opened from their own URL (each a fragment of the
page's one audited view), an Overview rendered with the page, deep links
(?section=) and the printed chart with everything. Query counts are pinned
in test_clinical_chart.py; who sees the family tab in
test_chart_visibility.py."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Attendance
from groups.services.sessions import Line, session_lines_save
from iop.audit.models import AuditEvent
from iop.audit.pageview import HEADER
from iop.clients.chart import chart_tabs
from iop.clients.models import (
    Appointment,
    Goal,
    Medication,
    Objective,
    Problem,
    TreatmentPlan,
)
from iop.clients.services import appointment_schedule
from iop.clients.services.sessions import session_document
from iop.extensions import CHART_SECTIONS, ChartSection
from screening.models import InstrumentAdministration, SafetyFlag
from tests.groups.factories import group_meeting_now

pytestmark = pytest.mark.django_db

HTTP_HEADER = "HTTP_" + HEADER.upper().replace("-", "_")
TABS = [
    ("sessions", "Sessions and notes"),
    ("groups", "Groups"),
    ("plan", "Plan"),
    ("screening", "Screening and measures"),
    ("measures", "Measures"),
    ("drug-tests", "Drug tests"),
    ("medications", "Medications"),
    ("mutual-help", "Mutual help"),
    ("family", "Family and consents"),
    ("aftercare", "Aftercare and discharge"),
    ("timeline", "Timeline"),
]


def _chart(client, **query):
    url = reverse("clients:client-detail", args=[client.public_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _section(client, section):
    return reverse("clients:client-section", args=[client.public_id, section])


def _views(user, client):
    return AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, actor=user, client=client)


def _token(response) -> str:
    return json.loads(response.context["page_view_headers"])[HEADER]


def _note(counselor, client, *, days_ago, plan):
    appointment = appointment_schedule(
        actor=counselor,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() - datetime.timedelta(days=days_ago),
        counselor=counselor,
    )
    session_document(
        actor=counselor,
        appointment=appointment,
        status=Appointment.Status.ATTENDED,
        minutes=50,
        data="d",
        assessment="a",
        plan=plan,
    )
    return appointment


def _safety_flag(staff, client):
    administration = InstrumentAdministration.objects.create(
        client=client,
        code="PHQ-9",
        version="test",
        answers={"9": 1},
        band="moderate",
        band_label="Moderate",
        administered_by=staff,
        administered_at=timezone.now(),
    )
    return SafetyFlag.objects.create(
        client=client, administration=administration, reason="PHQ-9 item 9 answered above 0"
    )


# --- the navigation -----------------------------------------------------------------------


def test_the_navigation_offers_the_overview_then_each_section_in_order(
    login, counselor1, client_of_counselor1
):
    response = login(counselor1).get(_chart(client_of_counselor1))

    assert [(tab.key, str(tab.title)) for tab in response.context["tabs"]] == TABS
    page = response.content.decode()
    assert 'href="?section=overview"' in page
    for key, _title in TABS:
        assert f'href="?section={key}"' in page
        assert f'hx-get="{_section(client_of_counselor1, key)}"' in page
    # Family and consents are one tab.
    assert "?section=consents" not in page


def test_the_overview_is_the_opened_tab_without_a_deep_link(
    login, counselor1, client_of_counselor1
):
    response = login(counselor1).get(_chart(client_of_counselor1))

    assert response.context["opened"] is None
    assert 'data-testid="overview-clinical"' in response.content.decode()


def test_a_section_shows_only_its_own_sections(login, counselor1, client_of_counselor1):
    response = login(counselor1).get(_section(client_of_counselor1, "family"))

    assert response.status_code == 200
    assert [item["key"] for item in response.context["items"]] == ["family", "consents"]
    assert "<html" not in response.content.decode()


def test_an_unknown_section_is_a_404(login, counselor1, client_of_counselor1):
    assert login(counselor1).get(_section(client_of_counselor1, "nothing")).status_code == 404


def test_a_section_of_another_caseload_is_a_404(login, counselor2, client_of_counselor1):
    assert login(counselor2).get(_section(client_of_counselor1, "sessions")).status_code == 404


def test_a_section_refuses_a_post(login, counselor1, client_of_counselor1):
    assert login(counselor1).post(_section(client_of_counselor1, "sessions")).status_code == 405


def test_intake_has_no_family_tab_and_cannot_open_it(login, intake, screening_client):
    browser = login(intake)

    chart = browser.get(_chart(screening_client))

    assert "family" not in [tab.key for tab in chart.context["tabs"]]
    assert "?section=family" not in chart.content.decode()
    assert browser.get(_section(screening_client, "family")).status_code == 404


# --- deep links -----------------------------------------------------------------------------


def test_a_deep_link_opens_its_section_with_the_page(login, counselor1, client_of_counselor1):
    response = login(counselor1).get(_chart(client_of_counselor1, section="drug-tests"))

    assert response.context["opened"].key == "drug-tests"
    page = response.content.decode()
    assert 'id="section-drug-tests"' in page
    assert 'aria-current="page" href="?section=drug-tests"' in page
    # The other tabs still load when opened; the Overview waits, hidden.
    assert f'hx-get="{_section(client_of_counselor1, "plan")}"' in page
    assert f'hx-get="{_section(client_of_counselor1, "drug-tests")}"' not in page


def test_a_deep_link_to_a_section_the_viewer_may_not_see_opens_the_overview(
    login, intake, counselor1, screening_client
):
    response = login(intake).get(_chart(screening_client, section="family"))

    assert response.status_code == 200
    assert response.context["opened"] is None
    assert 'id="section-family"' not in response.content.decode()


# --- one view per page ------------------------------------------------------------------------


def test_opening_sections_with_the_pages_token_adds_no_view_event(
    login, counselor1, client_of_counselor1
):
    browser = login(counselor1)
    chart = browser.get(_chart(client_of_counselor1))

    for key, _title in TABS:
        opened = browser.get(_section(client_of_counselor1, key), **{HTTP_HEADER: _token(chart)})
        assert opened.status_code == 200

    (event,) = _views(counselor1, client_of_counselor1)
    assert event.path == _chart(client_of_counselor1)


def test_a_section_opened_without_a_page_token_is_its_own_view(
    login, counselor1, client_of_counselor1
):
    browser = login(counselor1)

    browser.get(_section(client_of_counselor1, "plan"), **{HTTP_HEADER: "forged"})

    (event,) = _views(counselor1, client_of_counselor1)
    assert event.path == _section(client_of_counselor1, "plan")


def test_a_section_that_is_a_404_writes_no_view(login, intake, screening_client):
    login(intake).get(_section(screening_client, "family"))

    assert not _views(intake, screening_client).exists()


# --- the header and the overview -----------------------------------------------------------


def test_the_header_names_flags_in_plain_words_and_current_medications(
    login, counselor1, client_of_counselor1
):
    _safety_flag(counselor1, client_of_counselor1)
    Medication.objects.create(
        client=client_of_counselor1,
        drug=Medication.Drug.BUPRENORPHINE,
        dose="16 mg",
        schedule="daily",
        prescriber_name="Dr. Okafor",
        start_date=timezone.localdate() - datetime.timedelta(days=10),
        recorded_by=counselor1,
    )

    response = login(counselor1).get(_chart(client_of_counselor1, section="timeline"))

    page = response.content.decode()
    header = page[page.index('data-testid="chart-header"') : page.index("data-chart-nav")]
    assert "Suicide risk" in header and "suicide_risk" not in page
    assert "16 mg" in header
    assert client_of_counselor1.mrn in header
    assert "chart-header-sticky" in page


def test_the_overview_shows_what_a_counselor_reads_before_a_session(
    login, counselor1, client_of_counselor1
):
    client = client_of_counselor1
    for days_ago in range(1, 6):
        _note(counselor1, client, days_ago=days_ago, plan=f"Plan of {days_ago} days ago")
    appointment_schedule(
        actor=counselor1,
        episode=client.episodes.get(),
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        counselor=counselor1,
    )
    plan = TreatmentPlan.objects.create(
        client=client,
        episode=client.episodes.get(),
        author=counselor1,
        status=TreatmentPlan.Status.ACTIVE,
    )
    goal = Goal.objects.create(
        problem=Problem.objects.create(plan=plan, number=1, statement="Use"),
        number=1,
        statement="Abstain",
    )
    target = timezone.localdate() + datetime.timedelta(days=30)
    Objective.objects.create(goal=goal, number=1, statement="Attend 3 groups", target_date=target)
    Objective.objects.create(
        goal=goal,
        number=2,
        statement="Done already",
        target_date=target,
        status=Objective.Status.MET,
    )
    _safety_flag(counselor1, client)

    page = login(counselor1).get(_chart(client)).content.decode()

    # The three last notes, newest first.
    assert page.count('data-testid="overview-note"') == 3
    assert page.index("Plan of 1 days ago") < page.index("Plan of 3 days ago")
    assert "Plan of 4 days ago" not in page
    upcoming = page[page.index('data-testid="overview-upcoming"') :]
    assert "Individual session" in upcoming[: upcoming.index("</ul>")]
    assert "Attend 3 groups" in page and "Done already" not in page
    assert 'data-testid="safety-alert"' in page
    assert 'data-testid="overview-group-week"' in page


def test_administrators_read_no_note_text_on_the_overview(
    login, administrator, counselor1, client_of_counselor1
):
    _note(counselor1, client_of_counselor1, days_ago=1, plan="Private plan text")

    page = login(administrator).get(_chart(client_of_counselor1)).content.decode()

    assert "Private plan text" not in page
    assert "Notes are not shown to your role." in page


def test_the_overview_shows_this_weeks_group_attendance(login, counselor1):
    _group, session, (client,) = group_meeting_now(counselor1, [("Ana", "Lopez")])
    session_lines_save(
        actor=counselor1, session=session, summary=None, lines={client.pk: Line(status="present")}
    )
    assert Attendance.objects.filter(client=client).exists()

    page = login(counselor1).get(_chart(client)).content.decode()

    week = page[page.index('data-testid="overview-group-week"') :]
    assert "Attended 1 of 1 group sessions recorded since Monday." in week


# --- printing -------------------------------------------------------------------------------


def test_the_printed_chart_has_every_section_on_one_page(login, counselor1, client_of_counselor1):
    page = login(counselor1).get(
        reverse("clients:client-print", args=[client_of_counselor1.public_id])
    )

    content = page.content.decode()
    for key in ("overview", "sessions", "groups", "plan", "screening", "drug-tests"):
        assert f'id="section-{key}"' in content
    for key in ("medications", "mutual-help", "family", "consents", "aftercare", "timeline"):
        assert f'id="section-{key}"' in content
    assert "data-chart-nav" not in content and "hx-get" not in content


# --- the registry's tabs ----------------------------------------------------------------------


def _context(request, client, *, printing=False):
    return {}


def test_tabs_follow_their_first_sections_order_and_join_named_tabs(counselor1):
    def section(title, **more):
        return ChartSection(title=title, template="x.html", context=_context, **more)

    with CHART_SECTIONS.isolated(keep=()):
        CHART_SECTIONS.register("second", section("Second", tab_title="Two"), order=20)
        CHART_SECTIONS.register("first", section("First"), order=10)
        CHART_SECTIONS.register("joins-second", section("Joins", tab="second"), order=5)
        CHART_SECTIONS.register("hidden", section("Hidden", visible=lambda u, c: False), order=1)
        CHART_SECTIONS.register("on-top", section("Flags", region="header"), order=0)
        tabs = chart_tabs(counselor1, object())

    assert [(tab.key, tab.title, tab.sections) for tab in tabs] == [
        ("second", "Two", ("joins-second", "second")),
        ("first", "First", ("first",)),
    ]
