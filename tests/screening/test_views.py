"""The screening pages. For each view of screening/urls.py: the happy path
(intake and supervisor), the outsider (404), the wrong role (403), the wrong
method (405) and the invalid form (STYLE.md, Tests); then the worklist, the
referral letter and the chart's screening sections, with pinned query counts."""

import datetime
import uuid
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from iop.audit.models import AuditEvent
from iop.clients.models import Appointment, CaseloadAssignment, Client, Episode
from iop.extensions import CHART_SECTIONS
from screening import services
from screening.instruments import REGISTRY
from screening.models import (
    DimensionRating,
    InstrumentAdministration,
    Referral,
    ReferralSubstance,
    SafetyFlag,
    Screening,
    ScreeningAddendum,
)
from tests.factories import ClientFactory, EpisodeFactory
from tests.screening.helpers import (
    CSSRS,
    RATINGS_2_1,
    admit,
    client_url,
    orientation_time,
    phq9,
    ready_to_complete,
    refer,
    screening_url,
)

WORKLIST_URL = reverse("screening:worklist")
REFERRAL_URL = reverse("screening:referral-create")

# Pinned query counts, measured once and held for ten times the data. Every
# page starts with the session, the user and their roles, counts unread
# notifications (navigation) and ends with the session save (savepoint,
# update, release).
# Worklist: + the clients in screening, one query with their subqueries, and
# one insert of the view events of the clients listed.
WORKLIST_QUERIES = 9
# Chart with only the screening sections registered: + the client through the
# policy, the view event, episodes and their caseload assignments (none here,
# so nothing is prefetched for them), then the sections' open flags,
# screenings, "in screening?" and scores by instrument.
SCREENING_CHART_QUERIES = 16  # includes the current-medications query of the header

ALERT = 'data-testid="safety-alert"'
PART_2_NOTICE = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
DIFFERS = "The decision differs from the recommendation: give the reason."


def _chart_url(client):
    return reverse("clients:client-detail", kwargs={"client_id": client.public_id})


def _unknown_screening_url(name, client):
    return reverse(
        f"screening:{name}", kwargs={"client_id": client.public_id, "screening_id": uuid.uuid4()}
    )


def _start(client, actor):
    return services.screening_start(actor=actor, episode=client.episodes.get())


def _referral_post(**changes):
    data = {
        "client-legal_first_name": "Ada",
        "client-legal_last_name": "Quill",
        "client-date_of_birth": "1980-05-01",
        "client-sex": "female",
        "client-preferred_language": "en",
        "referral-source": "justice",
        "referral-source_detail": "County DUI court",
        "referral-prior_episodes": "1",
        "referral-veteran": "unknown",
        "referral-pregnant": "false",
        "substance1-substance": "alcohol",
        "substance1-route": "oral",
        "substance1-frequency": "daily",
        "substance1-age_first_use": "16",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _item_post(answers):
    return {f"item_{key}": str(value) for key, value in answers.items()}


def _ratings_post(*values, justification="Seen today", **changes):
    data = {}
    for number, value in enumerate(values, start=1):
        data[f"D{number}_rating"] = str(value)
        data[f"D{number}_justification"] = justification
    data.update(changes)
    return data


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _admit_post(counselor, **changes):
    data = {
        "decision": "admit",
        "decided_level": "2.1",
        "reason": "",
        "counselor": str(counselor.pk),
        "orientation_at": _local(orientation_time()),
        "referred_to": "",
    }
    data.update(changes)
    return data


def _completed_referral(screening, actor, *, share):
    ready_to_complete(screening, actor, values=(2, 3, 3, 3, 3, 3))  # recommends 3.5
    return refer(screening, actor, reason="", share_results_in_letter=share)


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


# --- referral-create -------------------------------------------------------------------


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_referral_form_opens_for_screeners(request, login, role):
    response = login(request.getfixturevalue(role)).get(REFERRAL_URL)

    assert response.status_code == 200
    assert [form.label for form in response.context["substances"]] == [
        "Primary",
        "Secondary",
        "Tertiary",
    ]


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_referral_registers_client_episode_referral_and_substances(request, login, role):
    user = request.getfixturevalue(role)

    response = login(user).post(
        REFERRAL_URL,
        _referral_post(
            **{
                "substance2-substance": "cocaine",
                "substance2-route": "smoking",
                "substance2-frequency": "1_2_week",
                "substance2-age_first_use": "21",
            }
        ),
    )

    client = Client.objects.get()
    assert response.status_code == 302
    assert response.url == _chart_url(client)
    episode = client.episodes.get()
    assert episode.phase == Episode.Phase.SCREENING
    referral = Referral.objects.get(episode=episode)
    assert (referral.source, referral.source_detail, referral.prior_episodes) == (
        "justice",
        "County DUI court",
        1,
    )
    assert (referral.veteran, referral.pregnant, referral.created_by) == (None, False, user)
    assert [(s.rank, s.substance, s.route) for s in referral.substances.all()] == [
        (1, "alcohol", "oral"),
        (2, "cocaine", "smoking"),
    ]


def test_referral_without_primary_substance_shows_errors_and_saves_nothing(login, intake):
    response = login(intake).post(
        REFERRAL_URL,
        _referral_post(**{"substance1-substance": None, "substance1-route": None}),
    )

    assert response.status_code == 400
    primary = response.context["substances"][0]
    assert set(primary.errors) == {"substance", "route"}
    assert not Client.objects.exists()
    assert not Referral.objects.exists()


def test_referral_with_a_half_filled_secondary_substance_saves_nothing(login, intake):
    response = login(intake).post(
        REFERRAL_URL, _referral_post(**{"substance2-substance": "heroin"})
    )

    assert response.status_code == 400
    assert "route" in response.context["substances"][1].errors
    assert not Client.objects.exists()


def test_referral_with_future_birth_date_shows_error_and_saves_nothing(login, intake):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = login(intake).post(
        REFERRAL_URL, _referral_post(**{"client-date_of_birth": tomorrow.isoformat()})
    )

    assert response.status_code == 400
    assert "date_of_birth" in response.context["client_form"].errors
    assert not Client.objects.exists()
    assert not ReferralSubstance.objects.exists()


def test_referral_without_source_shows_error_and_saves_nothing(login, intake):
    response = login(intake).post(REFERRAL_URL, _referral_post(**{"referral-source": None}))

    assert response.status_code == 400
    assert "source" in response.context["referral_form"].errors
    assert not Client.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_referral_is_forbidden_to_counselors(login, counselor1, method):
    response = getattr(login(counselor1), method)(REFERRAL_URL, _referral_post())

    assert response.status_code == 403
    assert not Client.objects.exists()


def test_referral_redirects_anonymous_to_login(client, db):
    response = client.get(REFERRAL_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- worklist --------------------------------------------------------------------------------


def _in_screening(last_name, days_ago, counselor=None):
    client = ClientFactory(legal_last_name=last_name)
    EpisodeFactory(
        client=client,
        phase=Episode.Phase.SCREENING,
        referral_date=timezone.localdate() - datetime.timedelta(days=days_ago),
        admission_date=None,
        level_of_care="",
        primary_counselor=counselor,
    )
    return client


def _listed(response):
    return list(response.context["clients"])


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_worklist_lists_clients_in_screening_oldest_referral_first(
    request, login, role, client_of_counselor1
):
    recent = _in_screening("Recent", days_ago=1)
    oldest = _in_screening("Oldest", days_ago=20)
    middle = _in_screening("Middle", days_ago=7)

    response = login(request.getfixturevalue(role)).get(WORKLIST_URL)

    assert response.status_code == 200
    assert _listed(response) == [oldest, middle, recent]
    assert client_of_counselor1.mrn not in response.content.decode()


def test_worklist_counts_open_safety_flags(login, intake, supervisor):
    flagged = _in_screening("Flagged", days_ago=3)
    calm = _in_screening("Calm", days_ago=2)
    screening = _start(flagged, intake)
    for _ in range(2):
        services.administration_record(
            actor=intake, client=flagged, code="PHQ-9", answers=phq9(item9=1), screening=screening
        )
    services.administration_record(
        actor=intake, client=flagged, code="C-SSRS", answers=CSSRS["moderate"], screening=screening
    )
    services.safety_flag_address(
        actor=intake, flag=SafetyFlag.objects.first(), action="safety_plan", note="Plan written."
    )

    response = login(intake).get(WORKLIST_URL)

    rows = {client: client.open_flags for client in _listed(response)}
    assert rows == {flagged: 2, calm: None}
    assert "2 open" in response.content.decode()


def test_worklist_shows_the_screening_in_progress(login, intake, screening_client, draft):
    response = login(intake).get(WORKLIST_URL)

    (row,) = _listed(response)
    assert (row.screening_status, row.screening_public_id) == ("draft", draft.public_id)
    assert screening_url("screening-detail", draft) in response.content.decode()


def test_worklist_audits_a_view_of_each_client_it_lists(login, intake, screening_client):
    login(intake).get(WORKLIST_URL)

    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, actor=intake)
    assert event.client == screening_client
    assert event.details == {"list": "screening_worklist"}


def test_worklist_is_forbidden_to_counselors(login, counselor1, screening_client_of_counselor1):
    response = login(counselor1).get(WORKLIST_URL)

    assert response.status_code == 403


def test_worklist_query_count_does_not_grow_with_clients(login, intake, django_assert_num_queries):
    def add_clients(count, start):
        for number in range(count):
            client = _in_screening(f"Client{start + number:03d}", days_ago=number % 9)
            if number % 3 == 0:
                screening = _start(client, intake)
                services.administration_record(
                    actor=intake,
                    client=client,
                    code="PHQ-9",
                    answers=phq9(item9=1),
                    screening=screening,
                )

    browser = login(intake)
    add_clients(3, start=0)
    with django_assert_num_queries(WORKLIST_QUERIES):
        response = browser.get(WORKLIST_URL)
    assert len(_listed(response)) == 3

    add_clients(27, start=3)
    with django_assert_num_queries(WORKLIST_QUERIES):
        response = browser.get(WORKLIST_URL)
    assert len(_listed(response)) == 30


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


def test_detail_writes_a_view_event(login, intake, draft):
    login(intake).get(screening_url("screening-detail", draft))

    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, actor=intake, client=draft.client
    ).exists()


def test_detail_is_read_only_for_the_clients_counselor(
    login, intake, counselor1, screening_client_of_counselor1
):
    screening = _start(screening_client_of_counselor1, intake)

    response = login(counselor1).get(screening_url("screening-detail", screening))

    assert response.status_code == 200
    assert response.context["can_act"] is False
    assert "completion_form" not in response.context


def test_detail_is_404_for_another_counselors_client(login, counselor2, client_of_counselor1):
    response = login(counselor2).get(
        _unknown_screening_url("screening-detail", client_of_counselor1)
    )

    assert response.status_code == 404


def test_detail_is_404_to_intake_for_an_admitted_client(login, intake, client_of_counselor1):
    response = login(intake).get(_unknown_screening_url("screening-detail", client_of_counselor1))

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
    url = _unknown_screening_url("screening-dimensions", client_of_counselor1)

    assert login(counselor2).post(url, _ratings_post(*RATINGS_2_1)).status_code == 404


def test_dimensions_is_404_to_intake_for_an_admitted_client(login, intake, client_of_counselor1):
    url = _unknown_screening_url("screening-dimensions", client_of_counselor1)

    assert login(intake).post(url, _ratings_post(*RATINGS_2_1)).status_code == 404


def test_dimensions_is_forbidden_to_a_counselor_who_sees_the_client(
    login, intake, counselor1, screening_client_of_counselor1
):
    screening = _start(screening_client_of_counselor1, intake)

    response = login(counselor1).post(
        screening_url("screening-dimensions", screening), _ratings_post(*RATINGS_2_1)
    )

    assert response.status_code == 403
    assert not DimensionRating.objects.exists()


def test_dimensions_refuses_get(login, intake, draft):
    assert login(intake).get(screening_url("screening-dimensions", draft)).status_code == 405


# --- administer (within a screening and on its own) ------------------------------------------


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_instrument_form_opens_within_the_screening(request, login, role, draft):
    url = screening_url("screening-administer", draft, code="PHQ-9")

    response = login(request.getfixturevalue(role)).get(url)

    assert response.status_code == 200
    assert list(response.context["form"].fields) == [f"item_{n}" for n in range(1, 10)] + [
        "item_difficulty"
    ]


@pytest.mark.parametrize("code", list(REGISTRY))
def test_instrument_form_shows_attribution_source_and_licence(login, intake, draft, code):
    instrument = REGISTRY[code]

    page = (
        login(intake).get(screening_url("screening-administer", draft, code=code)).content.decode()
    )

    assert escape(instrument.attribution) in page
    assert escape(instrument.source) in page
    assert escape(instrument.licence) in page


def test_instrument_form_for_an_unknown_code_is_404(login, intake, draft, screening_client):
    browser = login(intake)

    assert (
        browser.get(screening_url("screening-administer", draft, code="BDI-II")).status_code == 404
    )
    assert browser.get(client_url("administer", screening_client, code="NOPE")).status_code == 404


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_instrument_is_scored_and_stored_within_the_screening(request, login, role, draft):
    user = request.getfixturevalue(role)

    response = login(user).post(
        screening_url("screening-administer", draft, code="PHQ-9"), _item_post(phq9(rest=1))
    )

    assert response.status_code == 302
    assert response.url == screening_url("screening-detail", draft)
    administration = InstrumentAdministration.objects.get()
    assert (administration.screening, administration.administered_by) == (draft, user)
    assert (administration.total, administration.band) == (8, "mild")


def test_instrument_out_of_range_answer_is_a_400_on_that_item(login, intake, draft):
    answers = _item_post(phq9())
    answers["item_4"] = "5"

    response = login(intake).post(
        screening_url("screening-administer", draft, code="PHQ-9"), answers
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["item_4"]
    assert not InstrumentAdministration.objects.exists()


def test_instrument_missing_answer_is_a_400_on_that_item(login, intake, draft):
    answers = _item_post(phq9())
    del answers["item_6"]

    response = login(intake).post(
        screening_url("screening-administer", draft, code="PHQ-9"), answers
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"item_6": ["missing answer"]}
    assert not InstrumentAdministration.objects.exists()


def test_instrument_item_not_asked_is_a_400_on_that_item(login, intake, draft):
    answers = _item_post({"1": "no", "2": "no", "3": "no", "6": "no"})

    response = login(intake).post(
        screening_url("screening-administer", draft, code="C-SSRS"), answers
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["item_3"]
    assert not InstrumentAdministration.objects.exists()


def test_instrument_with_suicide_risk_flags_and_says_so(login, intake, supervisor, draft):
    response = login(intake).post(
        screening_url("screening-administer", draft, code="PHQ-9"),
        _item_post(phq9(item9=1)),
        follow=True,
    )

    assert SafetyFlag.objects.count() == 1
    page = response.content.decode()
    assert "Safety flag raised: record the action taken now." in page
    assert ALERT in page


def test_counselor_gives_an_instrument_on_their_own_client(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(
        client_url("administer", client_of_counselor1, code="GAD-7"),
        _item_post(dict.fromkeys("1234567", 1)),
    )

    assert response.status_code == 302
    assert response.url == _chart_url(client_of_counselor1)
    administration = InstrumentAdministration.objects.get()
    assert (administration.screening, administration.episode) == (
        None,
        client_of_counselor1.episodes.get(),
    )


def test_instrument_form_writes_a_view_event(login, counselor1, client_of_counselor1):
    login(counselor1).get(client_url("administer", client_of_counselor1, code="GAD-7"))

    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, actor=counselor1, client=client_of_counselor1
    ).exists()


def test_instrument_is_404_for_another_counselors_client(login, counselor2, client_of_counselor1):
    url = client_url("administer", client_of_counselor1, code="GAD-7")

    assert login(counselor2).get(url).status_code == 404
    assert login(counselor2).post(url, _item_post(dict.fromkeys("1234567", 1))).status_code == 404
    assert not InstrumentAdministration.objects.exists()


def test_instrument_is_404_to_intake_for_an_admitted_client(login, intake, client_of_counselor1):
    url = client_url("administer", client_of_counselor1, code="GAD-7")

    assert login(intake).get(url).status_code == 404


def test_instrument_is_forbidden_to_the_administrator(login, administrator, client_of_counselor1):
    url = client_url("administer", client_of_counselor1, code="GAD-7")

    assert login(administrator).get(url).status_code == 403


def test_counselor_cannot_give_an_instrument_inside_a_screening(
    login, intake, counselor1, screening_client_of_counselor1
):
    screening = _start(screening_client_of_counselor1, intake)
    url = screening_url("screening-administer", screening, code="GAD-7")

    assert login(counselor1).get(url).status_code == 404


def test_instrument_form_of_a_completed_screening_is_404(login, supervisor, counselor1, draft):
    ready_to_complete(draft, supervisor)
    admit(draft, supervisor, counselor1)
    url = screening_url("screening-administer", draft, code="GAD-7")

    response = login(supervisor).post(url, _item_post(dict.fromkeys("1234567", 1)))

    assert response.status_code == 404
    assert not InstrumentAdministration.objects.filter(code="GAD-7").exists()


# --- flag-address ------------------------------------------------------------------------------


def _flag_on(screening, actor):
    services.administration_record(
        actor=actor,
        client=screening.client,
        code="PHQ-9",
        answers=phq9(item9=1),
        screening=screening,
    )
    return SafetyFlag.objects.get()


def _flag_url(flag):
    return reverse(
        "screening:flag-address",
        kwargs={"client_id": flag.client.public_id, "flag_id": flag.public_id},
    )


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_flag_action_is_recorded_and_returns_to_the_screening(request, login, role, draft):
    user = request.getfixturevalue(role)
    flag = _flag_on(draft, user)
    browser = login(user)
    assert browser.get(_flag_url(flag)).status_code == 200

    response = browser.post(
        _flag_url(flag), {"action": "same_day_evaluation", "note": "Crisis team saw her at 3pm."}
    )

    assert response.status_code == 302
    assert response.url == screening_url("screening-detail", draft)
    flag.refresh_from_db()
    assert (flag.action, flag.addressed_by, flag.is_open) == ("same_day_evaluation", user, False)


def test_flag_raised_outside_a_screening_returns_to_the_chart(
    login, counselor1, client_of_counselor1
):
    services.administration_record(
        actor=counselor1, client=client_of_counselor1, code="C-SSRS", answers=CSSRS["high"]
    )
    flag = SafetyFlag.objects.get()

    response = login(counselor1).post(
        _flag_url(flag), {"action": "emergency_referral", "note": "Walked to the ED together."}
    )

    assert response.url == _chart_url(client_of_counselor1)
    assert not SafetyFlag.objects.get().is_open


def test_flag_action_without_a_note_is_refused(login, intake, draft):
    flag = _flag_on(draft, intake)

    response = login(intake).post(_flag_url(flag), {"action": "safety_plan", "note": ""})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["note"]
    assert SafetyFlag.objects.get().is_open


def test_flag_already_addressed_is_not_changed_again(login, intake, supervisor, draft):
    flag = _flag_on(draft, intake)
    services.safety_flag_address(
        actor=intake, flag=flag, action="safety_plan", note="Plan written."
    )

    response = login(supervisor).post(
        _flag_url(flag), {"action": "emergency_referral", "note": "Overwrite"}
    )

    assert response.status_code == 400
    flag.refresh_from_db()
    assert (flag.action, flag.addressed_by) == ("safety_plan", intake)


def test_flag_is_404_for_another_counselors_client(
    login, counselor1, counselor2, client_of_counselor1
):
    services.administration_record(
        actor=counselor1, client=client_of_counselor1, code="C-SSRS", answers=CSSRS["high"]
    )

    response = login(counselor2).get(_flag_url(SafetyFlag.objects.get()))

    assert response.status_code == 404


def test_flag_is_404_to_intake_for_an_admitted_client(
    login, intake, counselor1, client_of_counselor1
):
    services.administration_record(
        actor=counselor1, client=client_of_counselor1, code="C-SSRS", answers=CSSRS["high"]
    )

    assert login(intake).get(_flag_url(SafetyFlag.objects.get())).status_code == 404


def test_flag_is_forbidden_to_the_administrator(login, administrator, intake, draft):
    flag = _flag_on(draft, intake)

    response = login(administrator).post(_flag_url(flag), {"action": "safety_plan", "note": "x"})

    assert response.status_code == 403
    assert SafetyFlag.objects.get().is_open


# --- screening-complete -------------------------------------------------------------------------


def test_supervisor_admits_and_sees_the_decision(login, supervisor, counselor1, draft):
    ready_to_complete(draft, supervisor)

    response = login(supervisor).post(
        screening_url("screening-complete", draft), _admit_post(counselor1), follow=True
    )

    assert response.redirect_chain == [(screening_url("screening-detail", draft), 302)]
    page = response.content.decode()
    assert 'data-testid="decision">Admit to the program: 2.1 Intensive outpatient' in page
    episode = Episode.objects.get(pk=draft.episode.pk)
    assert (episode.phase, episode.primary_counselor, episode.admission_date) == (
        Episode.Phase.INTENSIVE,
        counselor1,
        timezone.localdate(),
    )
    assert CaseloadAssignment.objects.filter(episode=episode, counselor=counselor1).count() == 1
    assert Appointment.objects.filter(kind=Appointment.Kind.ORIENTATION).count() == 1


def test_intake_admits_the_client(login, intake, counselor1, draft):
    ready_to_complete(draft, intake)
    when = orientation_time().replace(second=0, microsecond=0)

    response = login(intake).post(
        screening_url("screening-complete", draft),
        _admit_post(counselor1, orientation_at=_local(when)),
    )

    assert response.status_code == 302
    screening = Screening.objects.get()
    assert (screening.status, screening.completed_by) == ("completed", intake)
    appointment = Appointment.objects.get()
    assert (appointment.starts_at, appointment.counselor) == (when, counselor1)
    assert Episode.objects.get(pk=draft.episode.pk).level_of_care == "2.1"


def test_intake_sees_the_decision_after_completing(login, intake, counselor1, draft):
    ready_to_complete(draft, intake)

    response = login(intake).post(
        screening_url("screening-complete", draft), _admit_post(counselor1), follow=True
    )

    assert response.status_code == 200
    assert "Admit to the program" in response.content.decode()


def test_complete_without_reason_when_differing_is_a_400_with_the_message(
    login, intake, counselor1, draft
):
    ready_to_complete(draft, intake)  # recommends 2.1

    response = login(intake).post(
        screening_url("screening-complete", draft), _admit_post(counselor1, decided_level="2.5")
    )

    assert response.status_code == 400
    assert DIFFERS in response.content.decode()
    assert Screening.objects.get().status == Screening.Status.DRAFT
    assert Episode.objects.get(pk=draft.episode.pk).phase == Episode.Phase.SCREENING
    assert not Appointment.objects.exists()


def test_complete_without_reason_attaches_the_error_to_the_reason_field(
    login, intake, counselor1, draft
):
    ready_to_complete(draft, intake)

    response = login(intake).post(
        screening_url("screening-complete", draft), _admit_post(counselor1, decided_level="2.5")
    )

    assert response.context["completion_form"].errors["reason"] == [DIFFERS]


def test_complete_with_reason_when_differing_is_accepted(login, supervisor, counselor1, draft):
    ready_to_complete(draft, supervisor)

    login(supervisor).post(
        screening_url("screening-complete", draft),
        _admit_post(counselor1, decided_level="2.5", reason="Works nights; day program fits"),
    )

    screening = Screening.objects.get()
    assert (screening.recommended_level, screening.decided_level) == ("2.1", "2.5")
    assert screening.decision_reason == "Works nights; day program fits"


def test_complete_with_an_open_safety_flag_is_a_400(login, intake, counselor1, draft):
    ready_to_complete(draft, intake)
    _flag_on(draft, intake)

    response = login(intake).post(
        screening_url("screening-complete", draft), _admit_post(counselor1)
    )

    assert response.status_code == 400
    assert "Record the action taken on every safety flag before completing." in (
        response.content.decode()
    )
    assert Screening.objects.get().status == Screening.Status.DRAFT


def test_complete_with_orientation_in_the_past_is_a_400(login, intake, counselor1, draft):
    ready_to_complete(draft, intake)
    yesterday = timezone.now() - datetime.timedelta(days=1)

    response = login(intake).post(
        screening_url("screening-complete", draft),
        _admit_post(counselor1, orientation_at=_local(yesterday)),
    )

    assert response.status_code == 400
    assert list(response.context["completion_form"].errors) == ["orientation_at"]
    assert not Appointment.objects.exists()


def test_complete_admitting_without_counselor_is_a_400_on_that_field(login, intake, draft):
    ready_to_complete(draft, intake)

    response = login(intake).post(
        screening_url("screening-complete", draft),
        {"decision": "admit", "decided_level": "2.1", "orientation_at": _local(orientation_time())},
    )

    assert response.status_code == 400
    assert list(response.context["completion_form"].errors) == ["counselor"]


def test_supervisor_refers_out_and_the_letter_is_offered(login, supervisor, draft):
    ready_to_complete(draft, supervisor, values=(2, 3, 3, 3, 3, 3))

    response = login(supervisor).post(
        screening_url("screening-complete", draft),
        {"decision": "refer", "decided_level": "3.5", "referred_to": "Riverside Residential"},
        follow=True,
    )

    assert response.status_code == 200
    assert screening_url("referral-letter", draft) in response.content.decode()
    episode = Episode.objects.get(pk=draft.episode.pk)
    assert (episode.phase, episode.discharge_reason) == (Episode.Phase.DISCHARGED, 4)


def test_complete_is_404_for_another_counselors_client(login, counselor2, client_of_counselor1):
    url = _unknown_screening_url("screening-complete", client_of_counselor1)

    assert login(counselor2).post(url, {"decision": "refer"}).status_code == 404


def test_complete_is_404_to_intake_for_an_admitted_client(login, intake, client_of_counselor1):
    url = _unknown_screening_url("screening-complete", client_of_counselor1)

    assert login(intake).post(url, {"decision": "refer"}).status_code == 404


def test_complete_is_forbidden_to_a_counselor_who_sees_the_client(
    login, intake, counselor1, screening_client_of_counselor1
):
    screening = _start(screening_client_of_counselor1, intake)
    ready_to_complete(screening, intake)

    response = login(counselor1).post(
        screening_url("screening-complete", screening), _admit_post(counselor1)
    )

    assert response.status_code == 403
    assert Screening.objects.get().status == Screening.Status.DRAFT


def test_complete_refuses_get(login, intake, draft):
    assert login(intake).get(screening_url("screening-complete", draft)).status_code == 405


# --- screening-addendum ------------------------------------------------------------------------


def _admitted_to_counselor1(screening, supervisor, counselor1):
    ready_to_complete(screening, supervisor)
    return admit(screening, supervisor, counselor1)


def test_supervisor_signs_an_addendum(login, supervisor, counselor1, draft):
    _admitted_to_counselor1(draft, supervisor, counselor1)
    browser = login(supervisor)
    assert "addendum_form" in browser.get(screening_url("screening-detail", draft)).context

    response = browser.post(
        screening_url("screening-addendum", draft), {"text": "Client called: works nights."}
    )

    assert response.status_code == 302
    addendum = ScreeningAddendum.objects.get()
    assert (addendum.author, addendum.text, addendum.screening) == (
        supervisor,
        "Client called: works nights.",
        draft,
    )


def test_addendum_without_text_is_a_400(login, supervisor, counselor1, draft):
    _admitted_to_counselor1(draft, supervisor, counselor1)

    response = login(supervisor).post(screening_url("screening-addendum", draft), {"text": ""})

    assert response.status_code == 400
    assert list(response.context["addendum_form"].errors) == ["text"]
    assert not ScreeningAddendum.objects.exists()


def test_addendum_on_a_screening_in_progress_is_a_400(login, intake, draft):
    response = login(intake).post(screening_url("screening-addendum", draft), {"text": "Early"})

    assert response.status_code == 400
    assert not ScreeningAddendum.objects.exists()


def test_addendum_is_forbidden_to_the_admitted_clients_counselor(
    login, supervisor, counselor1, draft
):
    _admitted_to_counselor1(draft, supervisor, counselor1)

    response = login(counselor1).post(screening_url("screening-addendum", draft), {"text": "Mine"})

    assert response.status_code == 403
    assert not ScreeningAddendum.objects.exists()


def test_addendum_is_404_for_another_counselors_client(
    login, supervisor, counselor1, counselor2, draft
):
    _admitted_to_counselor1(draft, supervisor, counselor1)

    response = login(counselor2).post(screening_url("screening-addendum", draft), {"text": "x"})

    assert response.status_code == 404


def test_addendum_is_404_to_intake_for_an_admitted_client(login, intake, client_of_counselor1):
    url = _unknown_screening_url("screening-addendum", client_of_counselor1)

    assert login(intake).post(url, {"text": "x"}).status_code == 404


def test_addendum_refuses_get(login, intake, draft):
    assert login(intake).get(screening_url("screening-addendum", draft)).status_code == 405


# --- referral-letter -----------------------------------------------------------------------------


def test_supervisor_prints_the_referral_letter(login, supervisor, draft):
    _completed_referral(draft, supervisor, share=False)

    response = login(supervisor).get(screening_url("referral-letter", draft))

    assert response.status_code == 200
    page = response.content.decode()
    assert PART_2_NOTICE in page
    assert "Riverside Residential" in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.PRINT)
    assert (event.actor, event.client, event.object_id) == (
        supervisor,
        draft.client,
        str(draft.public_id),
    )
    assert event.details == {"document": "referral letter"}


def test_referral_letter_shows_results_only_with_consent(login, supervisor, draft):
    _completed_referral(draft, supervisor, share=True)

    page = login(supervisor).get(screening_url("referral-letter", draft)).content.decode()

    assert "Screening results shared with the client's consent" in page
    assert "PHQ-9 (" in page
    assert "Minimal depression" in page


def test_referral_letter_leaves_results_out_without_consent(login, supervisor, draft):
    _completed_referral(draft, supervisor, share=False)

    page = login(supervisor).get(screening_url("referral-letter", draft)).content.decode()

    assert "Minimal depression" not in page
    assert "the client has not consented to share them" in page


def test_intake_prints_the_referral_letter(login, intake, draft):
    _completed_referral(draft, intake, share=False)

    response = login(intake).get(screening_url("referral-letter", draft))

    assert response.status_code == 200


def test_referral_letter_is_404_while_the_screening_is_in_progress(login, supervisor, draft):
    response = login(supervisor).get(screening_url("referral-letter", draft))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PRINT).exists()


def test_referral_letter_is_404_after_an_admission(login, supervisor, counselor1, draft):
    _admitted_to_counselor1(draft, supervisor, counselor1)

    response = login(supervisor).get(screening_url("referral-letter", draft))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PRINT).exists()


def test_referral_letter_is_404_for_another_counselors_client(
    login, counselor2, client_of_counselor1
):
    url = _unknown_screening_url("referral-letter", client_of_counselor1)

    assert login(counselor2).get(url).status_code == 404


def test_referral_letter_is_404_to_intake_for_an_admitted_client(
    login, intake, client_of_counselor1
):
    url = _unknown_screening_url("referral-letter", client_of_counselor1)

    assert login(intake).get(url).status_code == 404


def test_referral_letter_is_forbidden_to_the_administrator(login, supervisor, administrator, draft):
    _completed_referral(draft, supervisor, share=True)

    response = login(administrator).get(screening_url("referral-letter", draft))

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PRINT).exists()


# --- the client chart's screening sections ----------------------------------------------------


@pytest.fixture
def screening_sections_only():
    """The chart with only the screening sections: other apps' sections have
    their own tests and their own query counts."""
    with CHART_SECTIONS.isolated(keep=SCREENING_SECTIONS):
        yield


SCREENING_SECTIONS = ("safety-alerts", "screening")


def test_chart_offers_to_start_a_screening(
    screening_sections_only, login, intake, screening_client
):
    page = login(intake).get(_chart_url(screening_client)).content.decode()

    assert client_url("screening-start", screening_client) in page
    assert "Start screening" in page


def test_chart_does_not_offer_a_second_screening_while_one_is_in_progress(
    screening_sections_only, login, intake, screening_client, draft
):
    page = login(intake).get(_chart_url(screening_client)).content.decode()

    assert "Start screening" not in page
    assert screening_url("screening-detail", draft) in page


def test_chart_alerts_while_a_safety_flag_is_open(
    screening_sections_only, login, intake, supervisor, draft
):
    flag = _flag_on(draft, intake)
    browser = login(supervisor)

    page = browser.get(_chart_url(draft.client)).content.decode()
    assert page.count(ALERT) == 1
    assert _flag_url(flag) in page

    services.safety_flag_address(actor=intake, flag=flag, action="safety_plan", note="Plan.")
    assert ALERT not in browser.get(_chart_url(draft.client)).content.decode()


def test_chart_shows_scores_over_time(
    screening_sections_only, login, counselor1, client_of_counselor1
):
    now = timezone.now()
    for days_ago, rest in ((14, 2), (0, 1)):
        services.administration_record(
            actor=counselor1,
            client=client_of_counselor1,
            code="PHQ-9",
            answers=phq9(rest=rest),
            administered_at=now - datetime.timedelta(days=days_ago),
        )

    response = login(counselor1).get(_chart_url(client_of_counselor1))

    page = response.content.decode()
    assert "Scores over time" in page
    assert 'id="scores-phq-9"' in page
    (series,) = next(
        item["context"]["scores"]
        for item in response.context["sections"]["body"]
        if item["key"] == "screening"
    )
    assert series["series"]["totals"] == [16, 8]


def test_chart_query_count_does_not_grow_with_administrations(
    screening_sections_only, login, supervisor, counselor1, django_assert_num_queries
):
    def client_with(count):
        client = ClientFactory()
        EpisodeFactory(client=client, primary_counselor=counselor1)
        codes = ("PHQ-9", "GAD-7")
        for number in range(count):
            code = codes[number % 2]
            flagged = number % 4 == 0  # some open safety flags too
            answers = phq9(item9=int(flagged)) if code == "PHQ-9" else dict.fromkeys("1234567", 1)
            services.administration_record(
                actor=counselor1,
                client=client,
                code=code,
                answers=answers,
                administered_at=timezone.now() - datetime.timedelta(days=count - number),
            )
        return client

    few, many = client_with(2), client_with(20)
    browser = login(supervisor)

    with django_assert_num_queries(SCREENING_CHART_QUERIES):
        page = browser.get(_chart_url(few)).content.decode()
    assert page.count(ALERT) == 1
    with django_assert_num_queries(SCREENING_CHART_QUERIES):
        page = browser.get(_chart_url(many)).content.decode()
    assert page.count(ALERT) == 5
