"""Completing a screening (admit or refer out), its addenda and the referral
letter: the happy path (intake and supervisor), the outsider (404), the wrong
role (403), the wrong method (405) and the invalid form (STYLE.md, Tests)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from iop.audit.models import AuditEvent
from iop.clients.models import Appointment, CaseloadAssignment, Episode
from iop.clients.notes import NoteAddendum
from screening.models import Screening
from tests.screening.helpers import admit, orientation_time, ready_to_complete, refer, screening_url
from tests.screening.view_helpers import flag_on, start_screening, unknown_screening_url

PART_2_NOTICE = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
DIFFERS = "The decision differs from the recommendation: give the reason."


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
        "confirm": "yes",
    }
    data.update(changes)
    return data


def _completed_referral(screening, actor, *, share):
    ready_to_complete(screening, actor, values=(2, 3, 3, 3, 3, 3))  # recommends 3.5
    return refer(screening, actor, reason="", share_results_in_letter=share)


# --- screening-complete -------------------------------------------------------------------------


def test_supervisor_admits_and_sees_the_decision(login, supervisor, counselor1, draft):
    ready_to_complete(draft, supervisor)

    response = login(supervisor).post(
        screening_url("screening-complete", draft), _admit_post(counselor1), follow=True
    )

    assert response.redirect_chain == [(screening_url("screening-detail", draft), 302)]
    page = response.content.decode()
    assert 'data-testid="decision">Admit to the program: 2.1 Intensive outpatient' in page
    # After admission the screening leads on to making the diagnosis.
    diagnoses = reverse("clients:diagnoses", args=[draft.episode.client.public_id])
    assert f'data-testid="diagnoses-link" href="{diagnoses}"' in page
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
    assert (screening.status, screening.signed_by) == ("completed", intake)
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


def test_completion_form_chooses_neither_decision_nor_level(login, intake, draft):
    ready_to_complete(draft, intake)

    response = login(intake).get(screening_url("screening-detail", draft))

    form = response.context["completion_form"]
    assert (form["decision"].value(), form["decided_level"].value()) == (None, None)
    assert (
        'name="decision" value="admit" class="form-check-input" id="id_decision_0" checked'
        not in (response.content.decode())
    )


def test_complete_without_a_decision_is_a_400_on_that_field(login, intake, counselor1, draft):
    ready_to_complete(draft, intake)

    response = login(intake).post(
        screening_url("screening-complete", draft), _admit_post(counselor1, decision="")
    )

    assert response.status_code == 400
    assert "decision" in response.context["completion_form"].errors
    assert not Screening.objects.get(pk=draft.pk).is_completed


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
    flag_on(draft, intake)

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
        {
            "decision": "admit",
            "decided_level": "2.1",
            "orientation_at": _local(orientation_time()),
            "confirm": "yes",
        },
    )

    assert response.status_code == 400
    assert list(response.context["completion_form"].errors) == ["counselor"]


def test_supervisor_refers_out_and_the_letter_is_offered(login, supervisor, draft):
    ready_to_complete(draft, supervisor, values=(2, 3, 3, 3, 3, 3))

    response = login(supervisor).post(
        screening_url("screening-complete", draft),
        {
            "decision": "refer",
            "decided_level": "3.5",
            "referred_to": "Riverside Residential",
            "confirm": "yes",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert screening_url("referral-letter", draft) in response.content.decode()
    assert 'data-testid="diagnoses-link"' not in response.content.decode()
    episode = Episode.objects.get(pk=draft.episode.pk)
    assert (episode.phase, episode.discharge_reason) == (Episode.Phase.DISCHARGED, 4)


def test_complete_is_404_for_another_counselors_client(login, counselor2, client_of_counselor1):
    url = unknown_screening_url("screening-complete", client_of_counselor1)

    assert login(counselor2).post(url, {"decision": "refer"}).status_code == 404


def test_complete_is_404_to_intake_for_an_admitted_client(login, intake, client_of_counselor1):
    url = unknown_screening_url("screening-complete", client_of_counselor1)

    assert login(intake).post(url, {"decision": "refer"}).status_code == 404


def test_complete_is_forbidden_to_a_counselor_who_sees_the_client(
    login, intake, counselor1, screening_client_of_counselor1
):
    screening = start_screening(screening_client_of_counselor1, intake)
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
    addendum = NoteAddendum.objects.get()
    assert (addendum.author, addendum.text, addendum.note) == (
        supervisor,
        "Client called: works nights.",
        draft,
    )


def test_addendum_without_text_is_a_400(login, supervisor, counselor1, draft):
    _admitted_to_counselor1(draft, supervisor, counselor1)

    response = login(supervisor).post(screening_url("screening-addendum", draft), {"text": ""})

    assert response.status_code == 400
    assert list(response.context["addendum_form"].errors) == ["text"]
    assert not NoteAddendum.objects.exists()


def test_addendum_on_a_screening_in_progress_is_a_400(login, intake, draft):
    response = login(intake).post(screening_url("screening-addendum", draft), {"text": "Early"})

    assert response.status_code == 400
    assert not NoteAddendum.objects.exists()


def test_addendum_is_forbidden_to_the_admitted_clients_counselor(
    login, supervisor, counselor1, draft
):
    _admitted_to_counselor1(draft, supervisor, counselor1)

    response = login(counselor1).post(screening_url("screening-addendum", draft), {"text": "Mine"})

    assert response.status_code == 403
    assert not NoteAddendum.objects.exists()


def test_addendum_is_404_for_another_counselors_client(
    login, supervisor, counselor1, counselor2, draft
):
    _admitted_to_counselor1(draft, supervisor, counselor1)

    response = login(counselor2).post(screening_url("screening-addendum", draft), {"text": "x"})

    assert response.status_code == 404


def test_addendum_is_404_to_intake_for_an_admitted_client(login, intake, client_of_counselor1):
    url = unknown_screening_url("screening-addendum", client_of_counselor1)

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
    url = unknown_screening_url("referral-letter", client_of_counselor1)

    assert login(counselor2).get(url).status_code == 404


def test_referral_letter_is_404_to_intake_for_an_admitted_client(
    login, intake, client_of_counselor1
):
    url = unknown_screening_url("referral-letter", client_of_counselor1)

    assert login(intake).get(url).status_code == 404


def test_referral_letter_is_forbidden_to_the_administrator(login, supervisor, administrator, draft):
    _completed_referral(draft, supervisor, share=True)

    response = login(administrator).get(screening_url("referral-letter", draft))

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PRINT).exists()


def test_complete_without_the_dialogs_confirmation_signs_nothing(login, intake, counselor1, draft):
    ready_to_complete(draft, intake)

    response = login(intake).post(
        screening_url("screening-complete", draft), _admit_post(counselor1, confirm="")
    )

    assert response.status_code == 400
    assert "Confirm signing" in response.content.decode()
    assert Screening.objects.get().status == Screening.Status.DRAFT
    assert not Appointment.objects.exists()


def test_screening_page_asks_for_confirmation_before_signing(login, intake, draft):
    ready_to_complete(draft, intake)

    content = login(intake).get(screening_url("screening-detail", draft)).content.decode()

    assert 'data-confirm="Complete and sign the screening?' in content
