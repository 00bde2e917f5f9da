"""The screening page lists the TEDS items an admission still needs, each a
link to the form that records them; a screening does not admit without them."""

from django.urls import reverse

from iop.clients.models import Demographics, Episode
from screening.models import Screening
from tests.factories import answered_demographics
from tests.screening.helpers import orientation_time, ready_to_complete, screening_url


def _admit_post(counselor):
    return {
        "decision": "admit",
        "decided_level": "2.1",
        "reason": "",
        "counselor": str(counselor.pk),
        "orientation_at": orientation_time().strftime("%Y-%m-%dT%H:%M"),
        "referred_to": "",
        "confirm": "yes",
    }


def test_the_screening_page_lists_the_missing_items_with_links(login, intake, draft):
    response = login(intake).get(screening_url("screening-detail", draft))

    html = response.content.decode()
    edit = reverse("clients:demographics-edit", args=[draft.episode.client.public_id])
    assert 'data-testid="missing-teds-items"' in html
    assert "Marital status" in html
    assert f'href="{edit}?next=' in html


def test_the_list_is_gone_once_every_item_is_recorded(login, intake, draft):
    answered_demographics(draft.episode, ethnicity="declined", marital_status="unknown")

    response = login(intake).get(screening_url("screening-detail", draft))

    assert 'data-testid="missing-teds-items"' not in response.content.decode()


def test_admission_is_refused_while_items_are_missing(login, intake, counselor1, draft):
    ready_to_complete(draft, intake)
    Demographics.objects.filter(episode=draft.episode).update(marital_status="")

    response = login(intake).post(
        screening_url("screening-complete", draft), _admit_post(counselor1)
    )

    assert response.status_code == 400
    assert "Before admitting" in response.content.decode()
    assert "marital status" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Screening.Status.DRAFT
    assert Episode.objects.get(pk=draft.episode.pk).phase == Episode.Phase.SCREENING


def test_admission_goes_ahead_with_declined_and_unknown_answers(login, intake, counselor1, draft):
    ready_to_complete(draft, intake)
    Demographics.objects.filter(episode=draft.episode).update(
        race=["declined"], ethnicity="unknown", income_source="declined"
    )

    response = login(intake).post(
        screening_url("screening-complete", draft), _admit_post(counselor1)
    )

    assert response.status_code == 302
    assert Episode.objects.get(pk=draft.episode.pk).phase == Episode.Phase.INTENSIVE
