"""Starting a screening, its page and the dimension ratings: the happy path
(intake and supervisor), the outsider (404), the wrong role (403), the wrong
method (405) and the invalid form (STYLE.md, Tests)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.html import escape

from iop.audit.models import AuditEvent
from screening import services
from screening.instruments.anchors import DIMENSION_ANCHORS
from screening.models import DimensionRating, SafetyFlag, Screening
from tests.screening.helpers import RATINGS_2_1, client_url, phq9, screening_url
from tests.screening.view_helpers import ALERT, start_screening, unknown_screening_url


def _ratings_post(*values, justification="Seen today", **changes):
    data = {}
    for number, value in enumerate(values, start=1):
        data[f"D{number}_rating"] = str(value)
        data[f"D{number}_justification"] = justification
    data.update(changes)
    return data


class _FormNesting(HTMLParser):
    """The deepest nesting of <form> elements in a page."""

    def __init__(self):
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1


# --- screening-start -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_start_opens_a_screening_and_redirects_to_it(request, login, role, screening_client):
    user = request.getfixturevalue(role)

    response = login(user).post(client_url("screening-start", screening_client))

    screening = Screening.objects.get()
    assert (screening.episode.client, screening.started_by) == (screening_client, user)
    assert response.status_code == 302
    assert response.url == screening_url("screening-detail", screening)


def test_start_again_returns_to_the_draft_in_progress(login, intake, screening_client, draft):
    response = login(intake).post(client_url("screening-start", screening_client))

    assert response.url == screening_url("screening-detail", draft)
    assert Screening.objects.count() == 1


def test_start_is_404_for_a_client_no_longer_in_screening(login, supervisor, client_of_counselor1):
    response = login(supervisor).post(client_url("screening-start", client_of_counselor1))

    assert response.status_code == 404
    assert not Screening.objects.exists()


def test_start_is_404_for_another_counselors_client(login, counselor2, client_of_counselor1):
    response = login(counselor2).post(client_url("screening-start", client_of_counselor1))

    assert response.status_code == 404


def test_start_is_404_to_intake_for_an_admitted_client(login, intake, client_of_counselor1):
    response = login(intake).post(client_url("screening-start", client_of_counselor1))

    assert response.status_code == 404


def test_start_is_forbidden_to_a_counselor_who_sees_the_client(
    login, counselor1, screening_client_of_counselor1
):
    response = login(counselor1).post(client_url("screening-start", screening_client_of_counselor1))

    assert response.status_code == 403
    assert not Screening.objects.exists()


def test_start_refuses_get(login, intake, screening_client):
    response = login(intake).get(client_url("screening-start", screening_client))

    assert response.status_code == 405
    assert not Screening.objects.exists()


# --- screening-detail ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_detail_shows_the_screening_with_its_forms(request, login, role, draft):
    response = login(request.getfixturevalue(role)).get(screening_url("screening-detail", draft))

    assert response.status_code == 200
    assert response.context["can_act"] is True
    assert "dimension_form" in response.context
    assert "completion_form" in response.context


def test_detail_shows_what_each_rating_point_means(login, intake, draft):
    response = login(intake).get(screening_url("screening-detail", draft))

    page = response.content.decode()
    for dimension, anchors in DIMENSION_ANCHORS.items():
        assert f'data-testid="anchors-{dimension}"' in page
        assert all(escape(text) in page for text in anchors)
    assert 'aria-describedby="id_D4_rating_helptext"' in page


def test_detail_writes_a_view_event(login, intake, draft):
    login(intake).get(screening_url("screening-detail", draft))

    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, actor=intake, client=draft.client
    ).exists()


def test_detail_is_read_only_for_the_clients_counselor(
    login, intake, counselor1, screening_client_of_counselor1
):
    screening = start_screening(screening_client_of_counselor1, intake)

    response = login(counselor1).get(screening_url("screening-detail", screening))

    assert response.status_code == 200
    assert response.context["can_act"] is False
    assert "completion_form" not in response.context


def test_detail_is_404_for_another_counselors_client(login, counselor2, client_of_counselor1):
    response = login(counselor2).get(
        unknown_screening_url("screening-detail", client_of_counselor1)
    )

    assert response.status_code == 404


def test_detail_is_404_to_intake_for_an_admitted_client(login, intake, client_of_counselor1):
    response = login(intake).get(unknown_screening_url("screening-detail", client_of_counselor1))

    assert response.status_code == 404


def test_detail_is_404_for_a_screening_of_another_client(
    login, supervisor, draft, client_of_counselor1
):
    url = reverse(
        "screening:screening-detail",
        kwargs={"client_id": client_of_counselor1.public_id, "screening_id": draft.public_id},
    )

    assert login(supervisor).get(url).status_code == 404


def test_detail_is_forbidden_to_the_administrator(login, administrator, draft):
    response = login(administrator).get(screening_url("screening-detail", draft))

    assert response.status_code == 403


def test_detail_names_the_flags_in_words(login, intake, draft):
    services.administration_record(
        actor=intake, client=draft.client, code="PHQ-9", answers=phq9(item9=1), screening=draft
    )

    page = login(intake).get(screening_url("screening-detail", draft)).content.decode()

    assert '<span class="badge text-bg-warning">Suicide risk</span>' in page
    assert "suicide_risk" not in page


def test_detail_alerts_while_a_safety_flag_is_open(login, intake, draft):
    services.administration_record(
        actor=intake, client=draft.client, code="PHQ-9", answers=phq9(item9=1), screening=draft
    )
    browser = login(intake)

    assert ALERT in browser.get(screening_url("screening-detail", draft)).content.decode()

    services.safety_flag_address(
        actor=intake, flag=SafetyFlag.objects.get(), action="safety_plan", note="Plan written."
    )
    page = browser.get(screening_url("screening-detail", draft)).content.decode()
    assert ALERT not in page
    assert "Safety flag addressed:" in page


def test_detail_forms_are_not_nested_in_one_another(login, intake, draft):
    response = login(intake).get(screening_url("screening-detail", draft))
    parser = _FormNesting()

    parser.feed(response.content.decode())

    assert parser.deepest == 1


# --- screening-dimensions --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_dimensions_saves_ratings_and_shows_the_recommendation(request, login, role, draft):
    browser = login(request.getfixturevalue(role))

    response = browser.post(
        screening_url("screening-dimensions", draft), _ratings_post(*RATINGS_2_1)
    )

    assert response.status_code == 302
    assert response.url == screening_url("screening-detail", draft) + "#recommendation"
    assert dict(DimensionRating.objects.values_list("dimension", "rating")) == {
        f"D{n}": value for n, value in enumerate(RATINGS_2_1, start=1)
    }
    page = browser.get(response.url).content.decode()
    assert 'data-testid="recommendation"><strong>2.1</strong> · Intensive outpatient' in page


def test_dimensions_with_complicated_withdrawal_recommends_inpatient_withdrawal_management(
    login, intake, draft
):
    login(intake).post(
        screening_url("screening-dimensions", draft),
        _ratings_post(0, 0, 0, 0, 0, 0, complicated_withdrawal="on"),
    )

    assert Screening.objects.get().recommended_level == "wm_inpatient"


@pytest.mark.parametrize("rating", ["5", "-1", "x"])
def test_dimension_rating_outside_0_to_4_is_refused(login, intake, draft, rating):
    data = _ratings_post(*RATINGS_2_1, D1_rating=rating)

    response = login(intake).post(screening_url("screening-dimensions", draft), data)

    assert response.status_code == 400
    assert list(response.context["dimension_form"].errors) == ["D1_rating"]
    assert not DimensionRating.objects.exists()


def test_dimension_without_justification_is_refused(login, intake, draft):
    data = _ratings_post(*RATINGS_2_1, D4_justification="")

    response = login(intake).post(screening_url("screening-dimensions", draft), data)

    assert response.status_code == 400
    assert list(response.context["dimension_form"].errors) == ["D4_justification"]
    assert not DimensionRating.objects.exists()


def test_dimensions_is_404_for_another_counselors_client(login, counselor2, client_of_counselor1):
    url = unknown_screening_url("screening-dimensions", client_of_counselor1)

    assert login(counselor2).post(url, _ratings_post(*RATINGS_2_1)).status_code == 404


def test_dimensions_is_404_to_intake_for_an_admitted_client(login, intake, client_of_counselor1):
    url = unknown_screening_url("screening-dimensions", client_of_counselor1)

    assert login(intake).post(url, _ratings_post(*RATINGS_2_1)).status_code == 404


def test_dimensions_is_forbidden_to_a_counselor_who_sees_the_client(
    login, intake, counselor1, screening_client_of_counselor1
):
    screening = start_screening(screening_client_of_counselor1, intake)

    response = login(counselor1).post(
        screening_url("screening-dimensions", screening), _ratings_post(*RATINGS_2_1)
    )

    assert response.status_code == 403
    assert not DimensionRating.objects.exists()


def test_dimensions_refuses_get(login, intake, draft):
    assert login(intake).get(screening_url("screening-dimensions", draft)).status_code == 405
