"""Giving an instrument (within a screening and on its own) and recording the
action taken on a safety flag: the happy path, the outsider (404), the wrong
role (403) and invalid answers (STYLE.md, Tests)."""

import pytest
from django.utils.html import escape

from iop.audit.models import AuditEvent
from screening import services
from screening.instruments import REGISTRY
from screening.models import InstrumentAdministration, SafetyFlag
from tests.screening.helpers import CSSRS, admit, client_url, phq9, ready_to_complete, screening_url
from tests.screening.view_helpers import ALERT, chart_url, flag_on, flag_url, start_screening


def _item_post(answers):
    return {f"item_{key}": str(value) for key, value in answers.items()}


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
    assert response.url == chart_url(client_of_counselor1, "screening")
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
    screening = start_screening(screening_client_of_counselor1, intake)
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


@pytest.mark.parametrize("role", ["intake", "supervisor"])
def test_flag_action_is_recorded_and_returns_to_the_screening(request, login, role, draft):
    user = request.getfixturevalue(role)
    flag = flag_on(draft, user)
    browser = login(user)
    assert browser.get(flag_url(flag)).status_code == 200

    response = browser.post(
        flag_url(flag), {"action": "same_day_evaluation", "note": "Crisis team saw her at 3pm."}
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
        flag_url(flag), {"action": "emergency_referral", "note": "Walked to the ED together."}
    )

    assert response.url == chart_url(client_of_counselor1)
    assert not SafetyFlag.objects.get().is_open


def test_flag_action_without_a_note_is_refused(login, intake, draft):
    flag = flag_on(draft, intake)

    response = login(intake).post(flag_url(flag), {"action": "safety_plan", "note": ""})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["note"]
    assert SafetyFlag.objects.get().is_open


def test_flag_already_addressed_is_not_changed_again(login, intake, supervisor, draft):
    flag = flag_on(draft, intake)
    services.safety_flag_address(
        actor=intake, flag=flag, action="safety_plan", note="Plan written."
    )

    response = login(supervisor).post(
        flag_url(flag), {"action": "emergency_referral", "note": "Overwrite"}
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

    response = login(counselor2).get(flag_url(SafetyFlag.objects.get()))

    assert response.status_code == 404


def test_flag_is_404_to_intake_for_an_admitted_client(
    login, intake, counselor1, client_of_counselor1
):
    services.administration_record(
        actor=counselor1, client=client_of_counselor1, code="C-SSRS", answers=CSSRS["high"]
    )

    assert login(intake).get(flag_url(SafetyFlag.objects.get())).status_code == 404


def test_flag_is_forbidden_to_the_administrator(login, administrator, intake, draft):
    flag = flag_on(draft, intake)

    response = login(administrator).post(flag_url(flag), {"action": "safety_plan", "note": "x"})

    assert response.status_code == 403
    assert SafetyFlag.objects.get().is_open
