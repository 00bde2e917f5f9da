"""The usual drug-test panel (DRUG_TEST_SPECIMEN, DRUG_TEST_PANEL): the form
starts with its specimen, and "All negative" records each of its substances
negative, so a routine negative test is two actions."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from iop.clients.models import DrugTest, DrugTestResult, Substance
from iop.clients.panel import check_usual_panel, usual_panel

pytestmark = pytest.mark.django_db

DEFAULT_PANEL = set(Substance.values) - {Substance.BREATH_ALCOHOL}


def _url(client):
    return reverse("clients:drug-test-new", kwargs={"client_id": client.public_id})


def _routine(**changes):
    """What the form posts as it opens, with the shortcut pressed."""
    return {
        "collected_on": timezone.localdate().isoformat(),
        "specimen": usual_panel().specimen,
        "random_selection": "on",
        "all_negative": "All negative (usual panel)",
        **changes,
    }


def test_the_usual_panel_is_the_urine_substances_by_default():
    panel = usual_panel()

    assert panel.specimen == DrugTest.Specimen.URINE
    assert set(panel.substances) == DEFAULT_PANEL


def test_form_starts_with_the_usual_specimen_and_offers_all_negative(
    login, counselor1, client_of_counselor1
):
    content = login(counselor1).get(_url(client_of_counselor1)).content.decode()

    assert '<option value="urine" selected>' in content
    assert 'name="all_negative"' in content
    assert "Usual panel: Amphetamine, Methamphetamine, Cocaine" in content


def test_all_negative_records_every_substance_of_the_panel_negative(
    login, counselor1, client_of_counselor1
):
    response = login(counselor1).post(_url(client_of_counselor1), _routine())

    assert response.status_code == 302
    test = DrugTest.objects.get()
    assert test.specimen == DrugTest.Specimen.URINE
    results = dict(test.results.values_list("substance", "result"))
    assert set(results) == DEFAULT_PANEL
    assert set(results.values()) == {DrugTestResult.Result.NEGATIVE}


def test_all_negative_keeps_a_result_chosen_on_the_form(login, counselor1, client_of_counselor1):
    login(counselor1).post(
        _url(client_of_counselor1), _routine(result_cannabis="positive", result_breath_alcohol="")
    )

    results = dict(DrugTest.objects.get().results.values_list("substance", "result"))
    assert results["cannabis"] == "positive"
    assert results["cocaine"] == "negative"
    assert "breath_alcohol" not in results


@override_settings(DRUG_TEST_SPECIMEN="breath", DRUG_TEST_PANEL=["breath_alcohol"])
def test_the_panel_is_the_programs_setting(login, counselor1, client_of_counselor1):
    browser = login(counselor1)
    assert (
        '<option value="breath" selected>'
        in browser.get(_url(client_of_counselor1)).content.decode()
    )

    browser.post(_url(client_of_counselor1), _routine())

    test = DrugTest.objects.get()
    assert test.specimen == "breath"
    assert list(test.results.values_list("substance", flat=True)) == ["breath_alcohol"]


def test_all_negative_is_404_for_another_caseload(login, counselor2, client_of_counselor1):
    response = login(counselor2).post(_url(client_of_counselor1), _routine())

    assert response.status_code == 404
    assert not DrugTest.objects.exists()


def test_all_negative_with_a_future_date_saves_nothing(login, counselor1, client_of_counselor1):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = login(counselor1).post(
        _url(client_of_counselor1), _routine(collected_on=tomorrow.isoformat())
    )

    assert response.status_code == 400
    assert not DrugTest.objects.exists()


@override_settings(DRUG_TEST_SPECIMEN="blood", DRUG_TEST_PANEL=["cocaine", "kratom"])
def test_an_unknown_specimen_or_substance_stops_start_up():
    errors = {error.id: error.msg for error in check_usual_panel()}

    assert set(errors) == {"clients.E001", "clients.E002"}
    assert "kratom" in errors["clients.E002"]


def test_the_default_panel_passes_the_start_up_check():
    assert check_usual_panel() == []
