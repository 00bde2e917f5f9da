"""The referral-to-admission services, called directly against PostgreSQL:
each validates, changes and writes its audit row in one transaction
(STYLE.md). Scoring and placement rules themselves are covered by
test_instruments.py and test_placement.py; here, what the services store."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from iop.accounts import roles
from iop.audit.models import AuditEvent
from iop.clients.models import Appointment, CaseloadAssignment, Client, Episode
from iop.clients.notes import NoteAddendum
from iop.clients.signing import note_addenda
from iop.reminders.models import StaffNotification
from screening import services
from screening.instruments import DIMENSIONS, InstrumentValidationError
from screening.models import (
    DimensionRating,
    InstrumentAdministration,
    LevelOfCareRule,
    Referral,
    ReferralSubstance,
    SafetyFlag,
    Screening,
)
from tests.factories import ClientFactory, EpisodeFactory, UserFactory
from tests.screening.helpers import (
    CSSRS,
    RATINGS_2_1,
    admit,
    ciwa,
    install_default_rules,
    orientation_time,
    phq9,
    ratings,
    ready_to_complete,
    refer,
)

TODAY = timezone.localdate


def _client_data(**changes):
    data = {
        "legal_first_name": "Ada",
        "legal_last_name": "Quill",
        "date_of_birth": datetime.date(1980, 5, 1),
        "sex": Client.Sex.FEMALE,
    }
    data.update(changes)
    return data


def _substance(rank=1, **changes):
    data = {
        "rank": rank,
        "substance": "alcohol",
        "route": "oral",
        "frequency": "daily",
        "age_first_use": 16,
    }
    data.update(changes)
    return data


def _register(actor, *, substances=None, **referral):
    return services.referral_register(
        actor=actor,
        client_data=_client_data(),
        referral_data={"source": "self", **referral},
        substances=[_substance()] if substances is None else substances,
    )


def _audited(action, obj_type, **filters):
    return AuditEvent.objects.filter(
        action=action, object_type=f"screening.{obj_type}", **filters
    ).count()


def _record(screening, actor, code, answers, **kwargs):
    return services.administration_record(
        actor=actor,
        client=screening.client,
        code=code,
        answers=answers,
        screening=screening,
        **kwargs,
    )


def _rate(screening, actor, *values, **kwargs):
    return services.screening_rate_dimensions(
        actor=actor, screening=screening, ratings=ratings(*values), **kwargs
    )


def _errors(call, *args, **kwargs):
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.message_dict


def _reloaded(screening):
    return Screening.objects.get(pk=screening.pk)


# --- referral_register -------------------------------------------------------------


def test_referral_register_creates_client_screening_episode_and_referral(intake):
    referral = _register(
        intake,
        substances=[_substance(1), _substance(2, substance="cocaine", route="smoking")],
        source_detail="Dr. Lee",
        prior_episodes=2,
    )

    episode = referral.episode
    assert episode.phase == Episode.Phase.SCREENING
    assert episode.referral_date == TODAY()
    assert episode.client.legal_last_name == "Quill"
    assert (referral.source, referral.source_detail, referral.prior_episodes) == (
        "self",
        "Dr. Lee",
        2,
    )
    assert referral.created_by == intake


def test_referral_register_stores_substances_by_rank(intake):
    referral = _register(
        intake,
        substances=[
            _substance(3, substance="marijuana", route="smoking"),
            _substance(1),
            _substance(2, substance="cocaine", route="inhalation", age_first_use=19),
        ],
    )

    assert [
        (row.rank, row.substance, row.route, row.age_first_use) for row in referral.substances.all()
    ] == [
        (1, "alcohol", "oral", 16),
        (2, "cocaine", "inhalation", 19),
        (3, "marijuana", "smoking", 16),
    ]


def test_referral_register_refuses_a_rank_given_twice(intake):
    with pytest.raises(ValidationError):
        _register(intake, substances=[_substance(1), _substance(1, substance="cocaine")])

    assert not Client.objects.exists()
    assert not Referral.objects.exists()


def test_referral_register_writes_nothing_when_a_substance_is_invalid(intake):
    with pytest.raises(ValidationError) as caught:
        _register(intake, substances=[_substance(1), _substance(2, age_first_use=0)])

    assert "age_first_use" in caught.value.message_dict
    assert not Client.objects.exists()
    assert not Episode.objects.exists()
    assert not Referral.objects.exists()
    assert not ReferralSubstance.objects.exists()
    assert not AuditEvent.objects.exists()


def test_referral_register_writes_nothing_when_the_referral_is_invalid(intake):
    with pytest.raises(ValidationError) as caught:
        _register(intake, source="carrier_pigeon")

    assert "source" in caught.value.message_dict
    assert not Client.objects.exists()
    assert not AuditEvent.objects.exists()


def test_referral_register_audits_the_client_and_the_referral(intake):
    referral = _register(intake)

    client = referral.episode.client
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, client=client, object_type="clients.client"
    ).exists()
    event = AuditEvent.objects.get(object_type="screening.referral")
    assert (event.action, event.actor, event.client) == (AuditEvent.Action.CREATE, intake, client)
    assert event.details == {"substances": 1}


# --- screening_start -------------------------------------------------------------------


def test_screening_start_opens_a_draft_screening(intake, screening_client):
    episode = screening_client.episodes.get()

    screening = services.screening_start(actor=intake, episode=episode)

    assert screening.status == Screening.Status.DRAFT
    assert (screening.episode, screening.started_by) == (episode, intake)
    assert _audited(AuditEvent.Action.CREATE, "screening", client=screening_client) == 1


def test_screening_start_returns_the_draft_already_in_progress(intake, supervisor, draft):
    again = services.screening_start(actor=supervisor, episode=draft.episode)

    assert again == draft
    assert Screening.objects.count() == 1
    assert _audited(AuditEvent.Action.CREATE, "screening") == 1


def test_screening_start_refuses_an_admitted_episode(intake, client_of_counselor1):
    with pytest.raises(ValidationError):
        services.screening_start(actor=intake, episode=client_of_counselor1.episodes.get())

    assert not Screening.objects.exists()


def test_screening_start_refuses_an_episode_after_its_screening_admitted_it(
    intake, counselor1, draft
):
    ready_to_complete(draft, intake)
    admit(draft, intake, counselor1)

    with pytest.raises(ValidationError):
        services.screening_start(actor=intake, episode=Episode.objects.get(pk=draft.episode.pk))


# --- administration_record --------------------------------------------------------------


def test_administration_record_stores_total_band_and_flags(intake, draft):
    administration = _record(draft, intake, "PHQ-9", phq9(item9=0, rest=2))

    administration.refresh_from_db()
    assert (administration.total, administration.band) == (16, "moderately_severe")
    assert administration.band_label == "Moderately severe depression"
    assert administration.flags == []
    assert (administration.client, administration.episode, administration.screening) == (
        draft.client,
        draft.episode,
        draft,
    )
    assert administration.version == "PHQ-9 (Kroenke 2001)"
    assert administration.administered_by == intake


def test_administration_record_stores_normalised_answers(intake, draft):
    answers = {"1": "YES", "2": " yes", "3": "No", "4": "no", "5": "NO", "6": "no"}

    administration = _record(draft, intake, "C-SSRS", answers)

    administration.refresh_from_db()
    assert administration.answers == {
        "1": "yes",
        "2": "yes",
        "3": "no",
        "4": "no",
        "5": "no",
        "6": "no",
    }
    assert (administration.total, administration.band) == (None, "low")


def test_administration_record_stores_point_answers_as_numbers(intake, draft):
    administration = _record(draft, intake, "GAD-7", {str(n): "2" for n in range(1, 8)})

    administration.refresh_from_db()
    assert administration.answers == {str(n): 2 for n in range(1, 8)}
    assert administration.total == 14


def test_administration_record_outside_a_screening_uses_the_open_episode(
    counselor1, client_of_counselor1
):
    administration = services.administration_record(
        actor=counselor1,
        client=client_of_counselor1,
        code="GAD-7",
        answers=dict.fromkeys("1234567", 0),
    )

    assert administration.screening is None
    assert administration.episode == client_of_counselor1.episodes.get()


def test_administration_record_keeps_the_given_time(intake, draft):
    given = timezone.now() - datetime.timedelta(hours=3)

    administration = _record(draft, intake, "PHQ-9", phq9(), administered_at=given)

    assert InstrumentAdministration.objects.get(pk=administration.pk).administered_at == given


def test_administration_record_reports_every_bad_item_and_writes_nothing(intake, draft):
    answers = phq9()
    answers["3"] = 4
    del answers["5"]

    with pytest.raises(InstrumentValidationError) as caught:
        _record(draft, intake, "PHQ-9", answers)

    assert set(caught.value.errors) == {"3", "5"}
    assert not InstrumentAdministration.objects.exists()
    assert not AuditEvent.objects.filter(object_type="screening.instrumentadministration").exists()


def test_administration_record_writes_nothing_for_a_bad_suicide_item(intake, supervisor, draft):
    with pytest.raises(InstrumentValidationError) as caught:
        _record(draft, intake, "PHQ-9", phq9(item9=9))

    assert set(caught.value.errors) == {"9"}
    assert not SafetyFlag.objects.exists()
    assert not StaffNotification.objects.exists()


def test_administration_record_refuses_an_unknown_instrument(intake, draft):
    with pytest.raises(KeyError):
        _record(draft, intake, "BDI-II", {"1": 0})

    assert not InstrumentAdministration.objects.exists()


@pytest.mark.parametrize(
    ("sex", "band", "flags"),
    [
        (Client.Sex.FEMALE, "positive", ["positive"]),
        (Client.Sex.MALE, "negative", []),
    ],
)
def test_audit_c_of_3_uses_the_client_sex(intake, sex, band, flags):
    client = ClientFactory(sex=sex)
    EpisodeFactory(
        client=client, phase=Episode.Phase.SCREENING, admission_date=None, level_of_care=""
    )
    screening = services.screening_start(actor=intake, episode=client.episodes.get())

    administration = _record(screening, intake, "AUDIT-C", {"1": 1, "2": 1, "3": 1})

    assert (administration.total, administration.band, administration.flags) == (3, band, flags)
    assert administration.sex_used == sex


def test_audit_c_without_a_binary_sex_uses_the_stricter_cut_off(intake):
    client = ClientFactory(sex=Client.Sex.UNKNOWN)
    EpisodeFactory(
        client=client, phase=Episode.Phase.SCREENING, admission_date=None, level_of_care=""
    )
    screening = services.screening_start(actor=intake, episode=client.episodes.get())

    administration = _record(screening, intake, "AUDIT-C", {"1": 1, "2": 1, "3": 1})

    assert administration.band == "positive"
    assert administration.sex_used == ""


def test_phq9_item_9_raises_one_flag_and_notifies_each_active_supervisor(
    intake, supervisor, counselor1, draft
):
    second = UserFactory(username="supervisor2", roles=[roles.SUPERVISOR])
    UserFactory(username="retired", roles=[roles.SUPERVISOR], is_active=False)

    administration = _record(draft, intake, "PHQ-9", phq9(item9=1))

    flag = SafetyFlag.objects.get()
    assert (flag.client, flag.administration, flag.kind) == (
        draft.client,
        administration,
        "suicide_risk",
    )
    assert flag.is_open
    assert "item 9" in flag.reason
    notified = StaffNotification.objects.filter(kind="safety_flag")
    assert sorted(n.recipient.username for n in notified) == sorted(
        [supervisor.username, second.username]
    )
    assert all(n.client == draft.client and draft.client.mrn in n.message for n in notified)


def test_phq9_item_9_notifies_no_inactive_supervisor(intake, draft):
    UserFactory(username="retired", roles=[roles.SUPERVISOR], is_active=False)

    _record(draft, intake, "PHQ-9", phq9(item9=2))

    assert SafetyFlag.objects.count() == 1
    assert not StaffNotification.objects.exists()


def test_phq9_item_9_flags_even_with_a_minimal_total(intake, supervisor, draft):
    administration = _record(draft, intake, "PHQ-9", phq9(item9=1))

    assert (administration.total, administration.band) == (1, "minimal")
    assert administration.flags == ["suicide_risk"]
    assert administration.safety_flags.count() == 1


def test_phq9_without_item_9_raises_no_flag(intake, supervisor, draft):
    _record(draft, intake, "PHQ-9", phq9(item9=0, rest=3))

    assert not SafetyFlag.objects.exists()
    assert not StaffNotification.objects.exists()


@pytest.mark.parametrize("band", ["moderate", "high"])
def test_cssrs_moderate_or_high_raises_a_flag(intake, supervisor, draft, band):
    _record(draft, intake, "C-SSRS", CSSRS[band])

    flag = SafetyFlag.objects.get()
    assert band in flag.reason
    assert StaffNotification.objects.filter(recipient=supervisor).count() == 1


@pytest.mark.parametrize("band", ["none", "low"])
def test_cssrs_low_raises_no_flag(intake, supervisor, draft, band):
    _record(draft, intake, "C-SSRS", CSSRS[band])

    assert not SafetyFlag.objects.exists()
    assert not StaffNotification.objects.exists()


def test_administration_record_audits_the_administration_and_the_flag(intake, supervisor, draft):
    administration = _record(draft, intake, "PHQ-9", phq9(item9=1))

    event = AuditEvent.objects.get(object_type="screening.instrumentadministration")
    assert (event.action, event.actor, event.client) == (
        AuditEvent.Action.CREATE,
        intake,
        draft.client,
    )
    assert event.object_id == str(administration.public_id)
    assert event.details == {"instrument": "PHQ-9", "source": "staff"}
    assert _audited(AuditEvent.Action.CREATE, "safetyflag", client=draft.client) == 1


def test_the_flag_raised_by_a_request_is_audited_with_where_it_came_from(
    rf, intake, supervisor, draft
):
    request = rf.post("/screening/instruments/PHQ-9/", HTTP_USER_AGENT="Clinic tablet")
    request.user = intake

    _record(draft, intake, "PHQ-9", phq9(item9=1), request=request)

    event = AuditEvent.objects.get(object_type="screening.safetyflag")
    assert (event.path, event.ip_address, event.user_agent) == (
        "/screening/instruments/PHQ-9/",
        "127.0.0.1",
        "Clinic tablet",
    )


def test_administration_record_refuses_a_completed_screening(intake, counselor1, draft):
    ready_to_complete(draft, intake)
    admit(draft, intake, counselor1)

    with pytest.raises(ValidationError):
        _record(_reloaded(draft), intake, "GAD-7", dict.fromkeys("1234567", 0))

    assert InstrumentAdministration.objects.filter(code="GAD-7").count() == 0


def test_administration_record_refuses_a_screening_completed_since_it_was_loaded(
    intake, counselor1, draft
):
    ready_to_complete(draft, intake)
    admit(draft, intake, counselor1)  # `draft` in memory still says "draft"

    with pytest.raises(ValidationError):
        _record(draft, intake, "GAD-7", dict.fromkeys("1234567", 0))


# --- safety_flag_address -----------------------------------------------------------------


def test_safety_flag_address_records_the_action_and_closes_the_flag(intake, draft):
    _record(draft, intake, "PHQ-9", phq9(item9=1))

    flag = services.safety_flag_address(
        actor=intake, flag=SafetyFlag.objects.get(), action="safety_plan", note=" Plan written. "
    )

    flag.refresh_from_db()
    assert not flag.is_open
    assert (flag.action, flag.action_note, flag.addressed_by) == (
        "safety_plan",
        "Plan written.",
        intake,
    )
    assert _audited(AuditEvent.Action.UPDATE, "safetyflag") == 1


def test_safety_flag_address_needs_a_note(intake, draft):
    _record(draft, intake, "PHQ-9", phq9(item9=1))

    errors = _errors(
        services.safety_flag_address,
        actor=intake,
        flag=SafetyFlag.objects.get(),
        action="safety_plan",
        note="  ",
    )

    assert "action_note" in errors
    assert SafetyFlag.objects.get().is_open


# --- screening_rate_dimensions ------------------------------------------------------------


def test_rate_dimensions_stores_six_ratings_and_the_recommendation(intake, draft):
    screening = _rate(draft, intake, *RATINGS_2_1)

    stored = {r.dimension: (r.rating, r.justification) for r in DimensionRating.objects.all()}
    assert stored == ratings(*RATINGS_2_1)
    assert _reloaded(screening).recommended_level == "2.1"
    assert _reloaded(screening).recommendation_reasons == [
        f"{dimension} rated 2 exceeds the 1.0 cap of 1"
        for dimension in ("D2", "D3", "D4", "D5", "D6")
    ]


def test_rate_dimensions_again_replaces_the_ratings(intake, draft):
    _rate(draft, intake, *RATINGS_2_1)

    _rate(draft, intake, 1, 1, 1, 1, 1, 1)

    assert DimensionRating.objects.count() == len(DIMENSIONS)
    assert set(DimensionRating.objects.values_list("rating", flat=True)) == {1}
    assert _reloaded(draft).recommended_level == "1.0"


@pytest.mark.parametrize("bad", [5, -1, None, "2", True])
def test_rate_dimensions_refuses_a_rating_outside_0_to_4(intake, draft, bad):
    given = ratings(*RATINGS_2_1)
    given["D3"] = (bad, "Too much")

    errors = _errors(
        services.screening_rate_dimensions, actor=intake, screening=draft, ratings=given
    )

    assert list(errors) == ["D3"]
    assert not DimensionRating.objects.exists()


def test_rate_dimensions_names_each_bad_dimension(intake, draft):
    given = ratings(*RATINGS_2_1)
    given["D1"] = (5, "Over")
    given["D4"] = (2, "   ")
    del given["D6"]

    errors = _errors(
        services.screening_rate_dimensions, actor=intake, screening=draft, ratings=given
    )

    assert sorted(errors) == ["D1", "D4", "D6"]
    assert not DimensionRating.objects.exists()
    assert _reloaded(draft).recommended_level == ""


def test_rate_dimensions_refuses_a_missing_justification(intake, draft):
    given = ratings(*RATINGS_2_1)
    given["D5"] = (2, "")

    errors = _errors(
        services.screening_rate_dimensions, actor=intake, screening=draft, ratings=given
    )

    assert list(errors) == ["D5"]


def test_complicated_withdrawal_recommends_inpatient_withdrawal_management(intake, draft):
    _rate(draft, intake, 0, 0, 0, 0, 0, 0, complicated_withdrawal=True)

    screening = _reloaded(draft)
    assert screening.complicated_withdrawal is True
    assert screening.recommended_level == "wm_inpatient"


def test_rate_dimensions_audits_the_update(intake, draft):
    _rate(draft, intake, *RATINGS_2_1)

    event = AuditEvent.objects.get(
        action=AuditEvent.Action.UPDATE, object_type="screening.screening"
    )
    assert (event.actor, event.client, event.details) == (
        intake,
        draft.client,
        {"fields": ["ratings"]},
    )


def test_rate_dimensions_refuses_a_completed_screening(intake, counselor1, draft):
    ready_to_complete(draft, intake)
    admit(draft, intake, counselor1)

    with pytest.raises(ValidationError):
        _rate(_reloaded(draft), intake, 0, 0, 0, 0, 0, 0)
    with pytest.raises(ValidationError):
        _rate(draft, intake, 0, 0, 0, 0, 0, 0)  # a stale copy is re-read under the lock

    assert set(DimensionRating.objects.values_list("rating", flat=True)) == set(RATINGS_2_1)


# --- the recommendation: the administrator's table and the latest results --------------------


def test_recommendation_follows_an_edited_cap_of_the_table(intake, draft):
    install_default_rules()
    _rate(draft, intake, 1, 1, 1, 1, 1, 1)
    assert _reloaded(draft).recommended_level == "1.0"

    LevelOfCareRule.objects.filter(code="1.0").update(d3_max=0)
    _rate(draft, intake, 1, 1, 1, 1, 1, 1)

    screening = _reloaded(draft)
    assert screening.recommended_level == "2.1"
    assert screening.recommendation_reasons == ["D3 rated 1 exceeds the 1.0 cap of 0"]


def test_recommendation_skips_a_rule_that_is_not_in_use(intake, draft):
    install_default_rules()
    LevelOfCareRule.objects.filter(code="1.0").update(active=False)

    _rate(draft, intake, 0, 0, 0, 0, 0, 0)

    assert _reloaded(draft).recommended_level == "2.1"


def test_recommendation_falls_back_to_the_default_table_when_no_rule_is_in_use(intake, draft):
    LevelOfCareRule.objects.update(active=False)

    _rate(draft, intake, *RATINGS_2_1)

    assert _reloaded(draft).recommended_level == "2.1"


def test_high_cssrs_recommends_urgent_evaluation(intake, draft):
    _rate(draft, intake, *RATINGS_2_1)

    _record(draft, intake, "C-SSRS", CSSRS["high"])

    assert _reloaded(draft).recommended_level == "urgent_evaluation"


def test_moderate_ciwa_recommends_withdrawal_management_first(intake, draft):
    _rate(draft, intake, *RATINGS_2_1)

    _record(draft, intake, "CIWA-Ar", ciwa(12))

    screening = _reloaded(draft)
    assert screening.recommended_level == "wm_first"
    assert screening.recommendation_reasons == ["CIWA-Ar total 12 is 10-18"]


def test_recommendation_uses_the_latest_administration_of_each_instrument(intake, draft):
    now = timezone.now()
    _rate(draft, intake, *RATINGS_2_1)
    _record(draft, intake, "CIWA-Ar", ciwa(25), administered_at=now - datetime.timedelta(hours=6))
    assert _reloaded(draft).recommended_level == "wm_inpatient"

    _record(draft, intake, "CIWA-Ar", ciwa(12), administered_at=now)

    assert _reloaded(draft).recommended_level == "wm_first"


def test_recommendation_orders_administrations_by_when_they_were_given(intake, draft):
    now = timezone.now()
    _rate(draft, intake, *RATINGS_2_1)
    _record(draft, intake, "CIWA-Ar", ciwa(3), administered_at=now)

    # Entered afterwards, but given earlier: not the latest result.
    _record(draft, intake, "CIWA-Ar", ciwa(12), administered_at=now - datetime.timedelta(hours=2))

    assert _reloaded(draft).recommended_level == "2.1"


def test_recommendation_waits_for_all_six_ratings(intake, draft):
    _record(draft, intake, "CIWA-Ar", ciwa(12))

    assert _reloaded(draft).recommended_level == ""


# --- screening_complete: refusals -------------------------------------------------------------


def test_complete_refuses_without_any_instrument(intake, counselor1, draft):
    _rate(draft, intake, *RATINGS_2_1)

    errors = _errors(admit, draft, intake, counselor1)

    assert "__all__" in errors


def test_complete_refuses_without_all_six_ratings(intake, counselor1, draft):
    _record(draft, intake, "PHQ-9", phq9())

    errors = _errors(admit, draft, intake, counselor1)

    assert "ratings" in errors


def test_complete_refuses_while_a_safety_flag_is_open(intake, counselor1, draft):
    ready_to_complete(draft, intake)
    _record(draft, intake, "PHQ-9", phq9(item9=1))

    errors = _errors(admit, draft, intake, counselor1)

    assert list(errors) == ["safety"]


def test_complete_accepts_once_the_safety_flag_is_addressed(intake, counselor1, draft):
    ready_to_complete(draft, intake)
    _record(draft, intake, "PHQ-9", phq9(item9=1))
    services.safety_flag_address(
        actor=intake, flag=SafetyFlag.objects.get(), action="safety_plan", note="Plan written."
    )

    assert admit(draft, intake, counselor1).is_completed


@pytest.mark.parametrize("level", ["3.5", "4", "wm_first", "other"])
def test_complete_refuses_to_admit_at_a_level_the_program_does_not_provide(
    intake, counselor1, draft, level
):
    ready_to_complete(draft, intake)

    errors = _errors(admit, draft, intake, counselor1, decided_level=level, reason="Client prefers")

    assert list(errors) == ["decided_level"]


def test_complete_refuses_to_admit_without_counselor_or_orientation(intake, draft):
    ready_to_complete(draft, intake)

    errors = _errors(admit, draft, intake, None, orientation_at=None)

    assert sorted(errors) == ["counselor", "orientation_at"]


def test_complete_refuses_to_refer_without_a_destination(intake, draft):
    ready_to_complete(draft, intake)

    errors = _errors(refer, draft, intake, referred_to="  ")

    assert list(errors) == ["referred_to"]


def test_complete_refuses_a_decision_without_admit_or_refer(intake, counselor1, draft):
    ready_to_complete(draft, intake)

    errors = _errors(admit, draft, intake, counselor1, decision="")

    assert "decision" in errors


@pytest.mark.parametrize("reason", ["", "   "])
def test_complete_needs_a_reason_when_the_decision_differs(intake, counselor1, draft, reason):
    ready_to_complete(draft, intake)  # recommends 2.1

    errors = _errors(admit, draft, intake, counselor1, decided_level="2.5", reason=reason)

    assert list(errors) == ["reason"]


def test_refused_completion_changes_nothing(intake, counselor1, draft):
    ready_to_complete(draft, intake)
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError):
        admit(draft, intake, counselor1, decided_level="2.5")

    screening = _reloaded(draft)
    assert (screening.status, screening.decision, screening.signed_at) == ("draft", "", None)
    assert Episode.objects.get(pk=draft.episode.pk).phase == Episode.Phase.SCREENING
    assert not Appointment.objects.exists()
    assert not CaseloadAssignment.objects.exists()
    assert AuditEvent.objects.count() == before


# --- screening_complete: admit and refer -----------------------------------------------------


def test_admit_signs_the_screening_with_recommendation_and_decision(intake, counselor1, draft):
    ready_to_complete(draft, intake)

    admit(draft, intake, counselor1, decided_level="2.5", reason="Works nights; needs day program")

    screening = _reloaded(draft)
    assert screening.status == Screening.Status.COMPLETED
    assert (screening.recommended_level, screening.decided_level) == ("2.1", "2.5")
    assert screening.decision == Screening.Decision.ADMIT
    assert screening.decision_reason == "Works nights; needs day program"
    assert screening.signed_by == intake
    assert screening.signed_at is not None


def test_admit_enters_the_intensive_phase_today_with_the_counselor(intake, counselor1, draft):
    ready_to_complete(draft, intake)

    admit(draft, intake, counselor1)

    episode = Episode.objects.get(pk=draft.episode.pk)
    assert episode.phase == Episode.Phase.INTENSIVE
    assert episode.admission_date == TODAY()
    assert episode.level_of_care == "2.1"
    assert episode.primary_counselor == counselor1
    assignment = CaseloadAssignment.objects.get(episode=episode)
    assert (assignment.counselor, assignment.ended_at, assignment.assigned_by) == (
        counselor1,
        None,
        intake,
    )


def test_admit_books_one_orientation_with_the_counselor(intake, counselor1, draft):
    ready_to_complete(draft, intake)
    when = orientation_time()

    admit(draft, intake, counselor1, orientation_at=when)

    appointment = Appointment.objects.get()
    assert appointment.kind == Appointment.Kind.ORIENTATION
    assert (appointment.episode, appointment.client) == (draft.episode, draft.client)
    assert (appointment.starts_at, appointment.counselor) == (when, counselor1)
    assert appointment.status == Appointment.Status.SCHEDULED


def test_admit_audits_screening_episode_and_appointment(intake, counselor1, draft):
    ready_to_complete(draft, intake)

    admit(draft, intake, counselor1)

    event = AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_type="screening.screening"
    ).latest("id")
    assert event.details == {"status": "completed", "decision": "admit", "level": "2.1"}
    assert AuditEvent.objects.filter(
        client=draft.client, object_type="clients.episode", action=AuditEvent.Action.UPDATE
    ).exists()
    assert AuditEvent.objects.filter(
        client=draft.client, object_type="clients.appointment", action=AuditEvent.Action.CREATE
    ).exists()


def test_refer_closes_the_episode_as_transferred(intake, draft):
    ready_to_complete(draft, intake, values=(2, 3, 3, 3, 3, 3))  # recommends 3.5

    refer(draft, intake, reason="", share_results_in_letter=True)

    screening = _reloaded(draft)
    assert (screening.decision, screening.decided_level) == ("refer", "3.5")
    assert screening.referred_to == "Riverside Residential"
    assert screening.share_results_in_letter is True
    episode = Episode.objects.get(pk=draft.episode.pk)
    assert episode.phase == Episode.Phase.DISCHARGED
    assert episode.discharge_reason == Episode.DischargeReason.TRANSFERRED == 4
    assert episode.discharge_date == TODAY()
    assert not Appointment.objects.exists()


def test_completed_screening_cannot_be_completed_again(intake, counselor1, draft):
    ready_to_complete(draft, intake)
    admit(draft, intake, counselor1)

    with pytest.raises(ValidationError):
        refer(draft, intake)

    assert _reloaded(draft).decision == "admit"
    assert Appointment.objects.count() == 1


# --- screening_addendum_add --------------------------------------------------------------------


def test_addendum_is_refused_while_the_screening_is_in_progress(intake, draft):
    with pytest.raises(ValidationError):
        services.screening_addendum_add(actor=intake, screening=draft, text="Correction")

    assert not NoteAddendum.objects.exists()


def test_addendum_on_a_completed_screening_is_signed_by_its_author(
    intake, supervisor, counselor1, draft
):
    ready_to_complete(draft, intake)
    completed = admit(draft, intake, counselor1)

    addendum = services.screening_addendum_add(
        actor=supervisor, screening=completed, text="  Client called back: works nights.  "
    )

    addendum.refresh_from_db()
    assert (addendum.note, addendum.client, addendum.author, addendum.text) == (
        completed,
        draft.client,
        supervisor,
        "Client called back: works nights.",
    )
    assert addendum.signed_at is not None
    assert list(note_addenda(completed)) == [addendum]
    event = AuditEvent.objects.get(object_type="screening.screening", details={"addendum": True})
    assert (event.action, event.actor, event.client) == (
        AuditEvent.Action.CREATE,
        supervisor,
        draft.client,
    )


def test_addendum_needs_text(intake, counselor1, draft):
    ready_to_complete(draft, intake)
    completed = admit(draft, intake, counselor1)

    errors = _errors(services.screening_addendum_add, actor=intake, screening=completed, text=" ")

    assert "text" in errors
    assert not NoteAddendum.objects.exists()
