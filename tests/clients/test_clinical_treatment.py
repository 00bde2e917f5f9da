"""Drug tests with the weekly random day, medications for addiction
treatment and mutual-help meetings (DOMAIN.md section 5)."""

import datetime
import random
import uuid
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.clients.clinical_forms import DrugTestForm, MedicationForm, MeetingForm
from iop.clients.models import (
    Client,
    DrugTest,
    DrugTestResult,
    Episode,
    Medication,
    MutualHelpMeeting,
    Substance,
)
from iop.clients.selectors.clinical import (
    client_drug_tests,
    drug_tests_due,
    last_unexpected_positive,
    meetings_per_week,
)
from iop.clients.services.treatment import (
    drug_test_record,
    medication_add,
    medication_stop,
    meeting_record,
    random_test_weekday,
    week_start,
)
from tests.factories import EpisodeFactory

NEGATIVE = DrugTestResult.Result.NEGATIVE
POSITIVE = DrugTestResult.Result.POSITIVE
# A Monday of ISO week 2; the weekly draws below run for a year from here.
FIRST_MONDAY = datetime.date(2026, 1, 5)


def _today():
    return timezone.localdate()


def _days_ago(days):
    return _today() - datetime.timedelta(days=days)


def _test(counselor, client, results, *, collected_on=None, **kwargs) -> DrugTest:
    return drug_test_record(
        actor=counselor,
        client=client,
        collected_on=collected_on or _today(),
        specimen=kwargs.pop("specimen", DrugTest.Specimen.URINE),
        observed=kwargs.pop("observed", True),
        results=results,
        **kwargs,
    )


def _medication(counselor, client, drug, **data) -> Medication:
    return medication_add(
        actor=counselor,
        client=client,
        data={
            "drug": drug,
            "dose": "8 mg",
            "schedule": "daily",
            "prescriber_name": "Dr. Okafor",
            "start_date": _days_ago(30),
            **data,
        },
    )


def _result(test, substance) -> DrugTestResult:
    return test.results.get(substance=substance)


def _synthetic_clients(count=300, seed=20260105) -> list[Client]:
    """Clients in memory only: the weekday needs nothing but the public id."""
    rng = random.Random(seed)
    return [Client(public_id=uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(count)]


def _mondays(weeks):
    return [FIRST_MONDAY + datetime.timedelta(weeks=n) for n in range(weeks)]


def _url(name, client, **kwargs):
    return reverse(f"clients:{name}", kwargs={"client_id": client.public_id, **kwargs})


# --- recording a drug test --------------------------------------------------------------


def test_drug_test_is_recorded_with_a_result_per_substance(counselor1, client_of_counselor1):
    test = _test(
        counselor1,
        client_of_counselor1,
        {Substance.COCAINE: NEGATIVE, Substance.FENTANYL: POSITIVE},
    )

    assert dict(test.results.values_list("substance", "result")) == {
        "cocaine": "negative",
        "fentanyl": "positive",
    }
    assert test.recorded_by == counselor1
    assert _result(test, Substance.FENTANYL).unexpected_positive


def test_result_for_an_unknown_substance_is_refused(counselor1, client_of_counselor1):
    with pytest.raises(ValidationError) as error:
        _test(counselor1, client_of_counselor1, {"kratom": POSITIVE})

    assert "kratom" in str(error.value.message_dict["results"])
    assert not DrugTest.objects.exists()


def test_unknown_result_value_is_refused(counselor1, client_of_counselor1):
    with pytest.raises(ValidationError) as error:
        _test(counselor1, client_of_counselor1, {Substance.COCAINE: "maybe"})

    assert "results" in error.value.message_dict
    assert not DrugTest.objects.exists()


def test_drug_test_dated_in_the_future_is_refused(counselor1, client_of_counselor1):
    tomorrow = _today() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        _test(
            counselor1, client_of_counselor1, {Substance.COCAINE: NEGATIVE}, collected_on=tomorrow
        )

    assert "collected_on" in error.value.message_dict
    assert not DrugTest.objects.exists()


def test_drug_test_without_results_is_refused(counselor1, client_of_counselor1):
    with pytest.raises(ValidationError) as error:
        _test(counselor1, client_of_counselor1, {})

    assert "results" in error.value.message_dict
    assert not DrugTest.objects.exists()


def test_drug_test_form_without_results_has_an_error(db):
    form = DrugTestForm(data={"collected_on": _today(), "specimen": "urine"})

    assert not form.is_valid()
    assert form.non_field_errors() == ["Record at least one result."]


def test_drug_test_form_refuses_a_future_date(db):
    form = DrugTestForm(
        data={
            "collected_on": _today() + datetime.timedelta(days=1),
            "specimen": "urine",
            "result_cocaine": NEGATIVE,
        }
    )

    assert not form.is_valid()
    assert "collected_on" in form.errors


def test_drug_test_page_records_a_test(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(
        _url("drug-test-new", client_of_counselor1),
        {
            "collected_on": _today(),
            "specimen": "oral_fluid",
            "observed": "on",
            "result_cocaine": NEGATIVE,
            "result_fentanyl": NEGATIVE,
            "result_cannabis": "",
        },
    )

    assert response.status_code == 302
    test = DrugTest.objects.get()
    assert (test.specimen, test.observed, test.random_selection) == ("oral_fluid", True, False)
    assert set(test.results.values_list("substance", flat=True)) == {"cocaine", "fentanyl"}


def test_drug_test_page_without_results_shows_the_error_and_saves_nothing(
    login, counselor1, client_of_counselor1
):
    response = login(counselor1).post(
        _url("drug-test-new", client_of_counselor1),
        {"collected_on": _today(), "specimen": "urine"},
    )

    assert response.status_code == 400
    assert "Record at least one result." in response.content.decode()
    assert not DrugTest.objects.exists()


def test_drug_test_page_is_404_for_other_caseload(login, counselor2, client_of_counselor1):
    response = login(counselor2).post(
        _url("drug-test-new", client_of_counselor1),
        {"collected_on": _today(), "specimen": "urine", "result_cocaine": NEGATIVE},
    )

    assert response.status_code == 404
    assert not DrugTest.objects.exists()


def test_drug_test_page_is_403_for_administrator(login, administrator, client_of_counselor1):
    response = login(administrator).get(_url("drug-test-new", client_of_counselor1))

    assert response.status_code == 403


# --- expected positives -----------------------------------------------------------------


def test_positive_for_prescribed_buprenorphine_is_expected(counselor1, client_of_counselor1):
    _medication(counselor1, client_of_counselor1, Medication.Drug.BUPRENORPHINE)

    test = _test(
        counselor1,
        client_of_counselor1,
        {Substance.BUPRENORPHINE: POSITIVE, Substance.FENTANYL: POSITIVE},
    )

    assert _result(test, Substance.BUPRENORPHINE).expected is True
    assert _result(test, Substance.FENTANYL).expected is False


def test_positive_for_prescribed_methadone_is_expected(counselor1, client_of_counselor1):
    _medication(counselor1, client_of_counselor1, Medication.Drug.METHADONE, dose="80 mg")

    test = _test(counselor1, client_of_counselor1, {Substance.METHADONE: POSITIVE})

    assert _result(test, Substance.METHADONE).expected is True
    assert not _result(test, Substance.METHADONE).unexpected_positive


def test_positive_for_an_other_medication_with_its_substance_is_expected(
    counselor1, client_of_counselor1
):
    _medication(
        counselor1,
        client_of_counselor1,
        Medication.Drug.OTHER,
        other_name="Oxycodone after surgery",
        dose="5 mg",
        expected_substance=Substance.OXYCODONE,
    )

    test = _test(counselor1, client_of_counselor1, {Substance.OXYCODONE: POSITIVE})

    assert _result(test, Substance.OXYCODONE).expected is True


def test_positive_without_a_prescription_is_not_expected(counselor1, client_of_counselor1):
    test = _test(counselor1, client_of_counselor1, {Substance.BUPRENORPHINE: POSITIVE})

    assert _result(test, Substance.BUPRENORPHINE).unexpected_positive


def test_negative_for_a_prescribed_medication_is_not_marked_expected(
    counselor1, client_of_counselor1
):
    _medication(counselor1, client_of_counselor1, Medication.Drug.BUPRENORPHINE)

    test = _test(counselor1, client_of_counselor1, {Substance.BUPRENORPHINE: NEGATIVE})

    assert _result(test, Substance.BUPRENORPHINE).expected is False


def test_stopped_medication_no_longer_makes_a_positive_expected(counselor1, client_of_counselor1):
    medication = _medication(counselor1, client_of_counselor1, Medication.Drug.BUPRENORPHINE)
    medication_stop(actor=counselor1, medication=medication, stop_date=_days_ago(2))

    test = _test(counselor1, client_of_counselor1, {Substance.BUPRENORPHINE: POSITIVE})

    assert _result(test, Substance.BUPRENORPHINE).unexpected_positive


def test_medication_started_after_the_test_date_does_not_explain_it(
    counselor1, client_of_counselor1
):
    _medication(
        counselor1, client_of_counselor1, Medication.Drug.BUPRENORPHINE, start_date=_days_ago(1)
    )

    test = _test(
        counselor1,
        client_of_counselor1,
        {Substance.BUPRENORPHINE: POSITIVE},
        collected_on=_days_ago(3),
    )

    assert _result(test, Substance.BUPRENORPHINE).unexpected_positive


def test_last_unexpected_positive_skips_expected_and_negative_tests(
    counselor1, client_of_counselor1
):
    client = client_of_counselor1
    _medication(counselor1, client, Medication.Drug.BUPRENORPHINE)
    _test(counselor1, client, {Substance.COCAINE: POSITIVE}, collected_on=_days_ago(20))
    relapse = _test(counselor1, client, {Substance.FENTANYL: POSITIVE}, collected_on=_days_ago(10))
    _test(counselor1, client, {Substance.BUPRENORPHINE: POSITIVE}, collected_on=_days_ago(5))
    _test(counselor1, client, {Substance.FENTANYL: NEGATIVE}, collected_on=_days_ago(1))

    assert last_unexpected_positive(client_drug_tests(client)) == relapse


def test_chart_shows_the_last_unexpected_positive(login, counselor1, client_of_counselor1):
    client = client_of_counselor1
    _medication(counselor1, client, Medication.Drug.BUPRENORPHINE)
    relapse = _test(counselor1, client, {Substance.FENTANYL: POSITIVE}, collected_on=_days_ago(9))
    _test(counselor1, client, {Substance.BUPRENORPHINE: POSITIVE}, collected_on=_days_ago(2))

    response = login(counselor1).get(_url("client-section", client, section="drug-tests"))

    content = response.content.decode()
    assert 'data-testid="last-unexpected"' in content
    assert f"Last unexpected positive: {relapse.collected_on:%Y-%m-%d}" in content
    assert "(expected)" in content


def test_chart_shows_no_unexpected_positive_when_all_are_expected(
    login, counselor1, client_of_counselor1
):
    _medication(counselor1, client_of_counselor1, Medication.Drug.METHADONE)
    _test(counselor1, client_of_counselor1, {Substance.METHADONE: POSITIVE})

    response = login(counselor1).get(
        _url("client-section", client_of_counselor1, section="drug-tests")
    )

    assert 'data-testid="last-unexpected"' not in response.content.decode()


# --- the random weekly day --------------------------------------------------------------


@pytest.fixture
def fixed_key(settings):
    """The draws below are checked for one key and fixed client ids, so that
    a deployment's SECRET_KEY in the environment cannot change the sample."""
    settings.SECRET_KEY = "clinical-tests-fixed-key"


def test_every_client_gets_one_weekday_from_monday_to_friday_each_week(fixed_key):
    for client in _synthetic_clients():
        for monday in _mondays(52):
            assert random_test_weekday(client, monday) in range(5)


def test_the_weekday_is_the_same_whichever_day_of_the_week_asks(fixed_key):
    for client in _synthetic_clients(50):
        for monday in _mondays(4):
            days = [monday + datetime.timedelta(days=n) for n in range(7)]
            assert len({random_test_weekday(client, day) for day in days}) == 1


def test_over_52_weeks_every_weekday_occurs_for_a_client(fixed_key):
    for client in _synthetic_clients():
        weekdays = {random_test_weekday(client, monday) for monday in _mondays(52)}
        assert weekdays == {0, 1, 2, 3, 4}, client.public_id


def test_weekdays_are_roughly_uniform_over_1500_draws(fixed_key):
    draws = Counter(
        random_test_weekday(client, monday)
        for client in _synthetic_clients()
        for monday in _mondays(5)
    )

    assert sum(draws.values()) == 1500
    for weekday in range(5):
        assert 0.12 <= draws[weekday] / 1500 <= 0.28, draws


def test_the_weekday_is_reproducible(fixed_key):
    clients = _synthetic_clients()

    first = [[random_test_weekday(c, m) for m in _mondays(8)] for c in clients]
    again = [[random_test_weekday(c, m) for m in _mondays(8)] for c in clients]

    assert first == again


def test_the_weekday_depends_on_the_secret_key(fixed_key):
    clients = _synthetic_clients()
    ours = [[random_test_weekday(c, m) for m in _mondays(8)] for c in clients]

    with override_settings(SECRET_KEY="another-deployment-entirely"):
        theirs = [[random_test_weekday(c, m) for m in _mondays(8)] for c in clients]

    changed = sum(1 for a, b in zip(ours, theirs, strict=True) if a != b)
    assert changed >= 0.9 * len(clients)


def test_the_weekday_changes_from_week_to_week(fixed_key):
    clients = _synthetic_clients()

    patterns = [tuple(random_test_weekday(c, m) for m in _mondays(8)) for c in clients]

    assert sum(1 for pattern in patterns if len(set(pattern)) == 1) <= 3


# --- who is due today -------------------------------------------------------------------


@pytest.fixture
def intensive_clients(counselor1):
    return [EpisodeFactory(primary_counselor=counselor1).client for _ in range(12)]


def _due_on(clients, day):
    return {c.pk for c in clients if random_test_weekday(c, week_start(day)) == day.weekday()}


def _weekdays_of_this_week():
    monday = week_start(_today())
    return [monday + datetime.timedelta(days=n) for n in range(5)]


def test_drug_tests_due_lists_intensive_clients_whose_day_it_is(intensive_clients):
    for day in _weekdays_of_this_week():
        due = drug_tests_due(Client.objects.all(), day=day)

        assert {client.pk for client in due} == _due_on(intensive_clients, day), day


def test_drug_tests_due_over_a_week_lists_each_intensive_client_once(intensive_clients):
    listed = Counter(
        client.pk
        for day in _weekdays_of_this_week()
        for client in drug_tests_due(Client.objects.all(), day=day)
    )

    assert listed == Counter({client.pk: 1 for client in intensive_clients})


def test_drug_tests_due_lists_by_name(intensive_clients):
    for day in _weekdays_of_this_week():
        due = drug_tests_due(Client.objects.all(), day=day)

        names = [(c.legal_last_name, c.legal_first_name) for c in due]
        assert names == sorted(names)


def test_drug_tests_due_skips_clients_not_in_the_intensive_phase(counselor1):
    clients = [
        EpisodeFactory(primary_counselor=counselor1, phase=phase).client
        for phase in [Episode.Phase.AFTERCARE, Episode.Phase.SCREENING] * 5
    ]

    for day in _weekdays_of_this_week():
        assert drug_tests_due(Client.objects.filter(pk__in=[c.pk for c in clients]), day=day) == []


def test_drug_tests_due_skips_clients_tested_this_week(counselor1, intensive_clients):
    monday = week_start(_today())
    tested = intensive_clients[:6]
    for client in tested:
        _test(counselor1, client, {Substance.COCAINE: NEGATIVE}, collected_on=monday)

    for day in _weekdays_of_this_week():
        due = {client.pk for client in drug_tests_due(Client.objects.all(), day=day)}
        assert due == _due_on(intensive_clients[6:], day), day


def test_drug_tests_due_ignores_last_weeks_tests(counselor1, intensive_clients):
    last_friday = week_start(_today()) - datetime.timedelta(days=3)
    for client in intensive_clients:
        _test(counselor1, client, {Substance.COCAINE: NEGATIVE}, collected_on=last_friday)

    for day in _weekdays_of_this_week():
        due = {client.pk for client in drug_tests_due(Client.objects.all(), day=day)}
        assert due == _due_on(intensive_clients, day), day


def test_drug_tests_due_for_a_past_week_ignores_later_tests(counselor1, intensive_clients):
    last_week = [day - datetime.timedelta(days=7) for day in _weekdays_of_this_week()]
    for client in intensive_clients:
        _test(counselor1, client, {Substance.COCAINE: NEGATIVE}, collected_on=week_start(_today()))

    for day in last_week:
        due = {client.pk for client in drug_tests_due(Client.objects.all(), day=day)}
        assert due == _due_on(intensive_clients, day), day


def test_nobody_is_due_on_a_weekend(intensive_clients):
    saturday = week_start(_today()) + datetime.timedelta(days=5)

    assert drug_tests_due(Client.objects.all(), day=saturday) == []
    assert drug_tests_due(Client.objects.all(), day=saturday + datetime.timedelta(days=1)) == []


# --- medications ------------------------------------------------------------------------


def test_medication_is_added_with_its_prescriber(counselor1, client_of_counselor1):
    medication = _medication(counselor1, client_of_counselor1, Medication.Drug.BUPRENORPHINE)

    medication.refresh_from_db()
    assert (medication.drug, medication.prescriber_name) == ("buprenorphine", "Dr. Okafor")
    assert medication.recorded_by == counselor1


def test_medication_stopping_before_it_started_is_refused_by_the_service(
    counselor1, client_of_counselor1
):
    with pytest.raises(ValidationError) as error:
        _medication(
            counselor1,
            client_of_counselor1,
            Medication.Drug.ACAMPROSATE,
            start_date=_days_ago(3),
            stop_date=_days_ago(5),
        )

    assert "stop_date" in error.value.message_dict
    assert not Medication.objects.exists()


def test_medication_stopping_before_it_started_is_refused_by_the_model(
    counselor1, client_of_counselor1
):
    medication = Medication(
        client=client_of_counselor1,
        recorded_by=counselor1,
        drug=Medication.Drug.DISULFIRAM,
        dose="250 mg",
        schedule="daily",
        prescriber_name="Dr. Okafor",
        start_date=_days_ago(3),
        stop_date=_days_ago(5),
    )

    with pytest.raises(ValidationError):
        medication.full_clean()


def test_medication_form_refuses_a_stop_before_the_start(db):
    form = MedicationForm(
        data={
            "drug": Medication.Drug.DISULFIRAM,
            "dose": "250 mg",
            "schedule": "daily",
            "prescriber_name": "Dr. Okafor",
            "start_date": _days_ago(3),
            "stop_date": _days_ago(5),
        }
    )

    assert not form.is_valid()
    assert "stop_date" in form.errors


def test_stopping_a_medication_before_its_start_is_refused(counselor1, client_of_counselor1):
    medication = _medication(
        counselor1, client_of_counselor1, Medication.Drug.ACAMPROSATE, start_date=_days_ago(3)
    )

    with pytest.raises(ValidationError):
        medication_stop(actor=counselor1, medication=medication, stop_date=_days_ago(4))

    medication.refresh_from_db()
    assert medication.stop_date is None


def test_other_medication_needs_a_name(counselor1, client_of_counselor1):
    with pytest.raises(ValidationError) as error:
        _medication(counselor1, client_of_counselor1, Medication.Drug.OTHER)

    assert "other_name" in error.value.message_dict


def test_xr_naltrexone_next_injection_is_due_28_days_after_the_start(
    counselor1, client_of_counselor1
):
    start = _days_ago(10)

    medication = _medication(
        counselor1,
        client_of_counselor1,
        Medication.Drug.NALTREXONE_XR,
        dose="380 mg",
        schedule="every 4 weeks",
        start_date=start,
    )

    medication.refresh_from_db()
    assert medication.next_injection_due == start + datetime.timedelta(days=28)


def test_oral_naltrexone_has_no_injection_date(counselor1, client_of_counselor1):
    medication = _medication(counselor1, client_of_counselor1, Medication.Drug.NALTREXONE_ORAL)

    assert medication.next_injection_due is None


def test_stopping_xr_naltrexone_clears_the_next_injection(counselor1, client_of_counselor1):
    medication = _medication(
        counselor1, client_of_counselor1, Medication.Drug.NALTREXONE_XR, dose="380 mg"
    )

    medication_stop(actor=counselor1, medication=medication, stop_date=_today())

    medication.refresh_from_db()
    assert medication.stop_date == _today()
    assert medication.next_injection_due is None


def test_stopping_a_stopped_medication_is_refused(counselor1, client_of_counselor1):
    medication = _medication(counselor1, client_of_counselor1, Medication.Drug.BUPRENORPHINE)
    medication_stop(actor=counselor1, medication=medication, stop_date=_days_ago(2))

    with pytest.raises(ValidationError, match="already stopped"):
        medication_stop(actor=counselor1, medication=medication, stop_date=_today())


def test_a_medication_stopped_since_it_was_loaded_is_not_stopped_again(
    counselor1, client_of_counselor1
):
    medication = _medication(counselor1, client_of_counselor1, Medication.Drug.BUPRENORPHINE)
    loaded_earlier = Medication.objects.get(pk=medication.pk)  # another tab, say
    medication_stop(actor=counselor1, medication=medication, stop_date=_days_ago(2))

    with pytest.raises(ValidationError, match="already stopped"):
        medication_stop(actor=counselor1, medication=loaded_earlier, stop_date=_today())

    assert Medication.objects.get(pk=medication.pk).stop_date == _days_ago(2)
    stops = AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_id=str(medication.public_id)
    )
    assert stops.count() == 1


def test_medication_page_adds_a_medication(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(
        _url("medication-new", client_of_counselor1),
        {
            "drug": Medication.Drug.NALTREXONE_XR,
            "dose": "380 mg",
            "schedule": "every 4 weeks",
            "prescriber_name": "Dr. Okafor",
            "start_date": _days_ago(1),
        },
    )

    assert response.status_code == 302
    medication = Medication.objects.get()
    assert medication.next_injection_due == _days_ago(1) + datetime.timedelta(days=28)


def test_medication_page_refuses_a_stop_before_the_start(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(
        _url("medication-new", client_of_counselor1),
        {
            "drug": Medication.Drug.DISULFIRAM,
            "dose": "250 mg",
            "schedule": "daily",
            "prescriber_name": "Dr. Okafor",
            "start_date": _days_ago(3),
            "stop_date": _days_ago(5),
        },
    )

    assert response.status_code == 400
    assert "stop_date" in response.context["form"].errors
    assert not Medication.objects.exists()


def test_medication_stop_page_stops_it(login, counselor1, client_of_counselor1):
    medication = _medication(counselor1, client_of_counselor1, Medication.Drug.BUPRENORPHINE)

    response = login(counselor1).post(
        _url("medication-stop", client_of_counselor1, medication_id=medication.public_id),
        {"stop_date": _today()},
    )

    assert response.status_code == 302
    medication.refresh_from_db()
    assert medication.stop_date == _today()


def test_medication_stop_page_refuses_get(login, counselor1, client_of_counselor1):
    medication = _medication(counselor1, client_of_counselor1, Medication.Drug.BUPRENORPHINE)

    response = login(counselor1).get(
        _url("medication-stop", client_of_counselor1, medication_id=medication.public_id)
    )

    assert response.status_code == 405


# --- mutual-help meetings ---------------------------------------------------------------


def _meeting(counselor, client, attended_on, *, verified=False):
    return meeting_record(
        actor=counselor,
        client=client,
        data={
            "attended_on": attended_on,
            "kind": MutualHelpMeeting.Kind.NA,
            "meeting_name": "Tuesday Night Hope",
            "verified": verified,
        },
    )


def test_meeting_is_recorded(counselor1, client_of_counselor1):
    meeting = _meeting(counselor1, client_of_counselor1, _today(), verified=True)

    meeting.refresh_from_db()
    assert (meeting.kind, meeting.verified, meeting.recorded_by) == ("na", True, counselor1)


def test_meeting_dated_in_the_future_is_refused(counselor1, client_of_counselor1):
    with pytest.raises(ValidationError) as error:
        _meeting(counselor1, client_of_counselor1, _today() + datetime.timedelta(days=1))

    assert "attended_on" in error.value.message_dict
    assert not MutualHelpMeeting.objects.exists()


def test_meeting_form_refuses_a_future_date(db):
    form = MeetingForm(data={"attended_on": _today() + datetime.timedelta(days=1), "kind": "aa"})

    assert not form.is_valid()
    assert "attended_on" in form.errors


def test_meeting_page_refuses_a_future_date(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(
        _url("meeting-new", client_of_counselor1),
        {"attended_on": _today() + datetime.timedelta(days=1), "kind": "aa"},
    )

    assert response.status_code == 400
    assert not MutualHelpMeeting.objects.exists()


def test_meeting_page_records_a_meeting(login, counselor1, client_of_counselor1):
    response = login(counselor1).post(
        _url("meeting-new", client_of_counselor1),
        {"attended_on": _today(), "kind": "smart", "meeting_name": "Library SMART"},
    )

    assert response.status_code == 302
    assert MutualHelpMeeting.objects.get().kind == "smart"


def test_meetings_per_week_counts_meetings_and_verified_ones(counselor1, client_of_counselor1):
    client = client_of_counselor1
    monday = week_start(_today())
    _meeting(counselor1, client, monday, verified=True)
    _meeting(counselor1, client, monday)
    _meeting(counselor1, client, _today())
    _meeting(counselor1, client, monday - datetime.timedelta(days=2))

    weeks = meetings_per_week(client)

    assert len(weeks) == 8
    assert weeks[0] == {"week_of": monday, "total": 3, "verified": 1, "meets": True}
    assert weeks[1]["week_of"] == monday - datetime.timedelta(weeks=1)
    assert (weeks[1]["total"], weeks[1]["meets"]) == (1, False)
    assert all(week["total"] == 0 for week in weeks[2:])


def test_meetings_per_week_expects_two_by_default(counselor1, client_of_counselor1):
    monday = week_start(_today())
    _meeting(counselor1, client_of_counselor1, monday)
    _meeting(counselor1, client_of_counselor1, monday)

    assert meetings_per_week(client_of_counselor1)[0]["meets"] is True


def test_meetings_per_week_follows_the_programs_expectation(counselor1, client_of_counselor1):
    monday = week_start(_today())
    _meeting(counselor1, client_of_counselor1, monday)
    _meeting(counselor1, client_of_counselor1, monday)

    with override_settings(MUTUAL_HELP_PER_WEEK=3):
        weeks = meetings_per_week(client_of_counselor1)

    assert weeks[0]["meets"] is False


def test_meetings_older_than_the_window_are_not_counted(counselor1, client_of_counselor1):
    _meeting(counselor1, client_of_counselor1, week_start(_today()) - datetime.timedelta(weeks=9))

    assert sum(week["total"] for week in meetings_per_week(client_of_counselor1)) == 0


def test_weeks_before_the_admission_expect_no_meetings(counselor1):
    admitted = week_start(_today()) - datetime.timedelta(weeks=2, days=-2)  # a Wednesday
    client = EpisodeFactory(primary_counselor=counselor1, admission_date=admitted).client

    weeks = meetings_per_week(client)

    assert [week["meets"] for week in weeks[:3]] == [False, False, False]
    assert {week["meets"] for week in weeks[3:]} == {None}
