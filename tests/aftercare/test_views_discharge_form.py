"""The discharge form asks: no TEDS answer is chosen before the counselor
chooses it, and a form posted without one saves nothing."""

import re

from aftercare.models import DischargeSummary
from iop.clients.models import Episode
from tests.aftercare.test_views import _discharge_post, _url

TEDS_FIELDS = ("reason", "employment", "living_arrangement", "mutual_help")


def _selected(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select)


def test_discharge_form_selects_no_teds_answer(login, counselor1, plan):
    response = login(counselor1).get(_url("discharge", plan.client))

    page = response.content.decode()
    form = response.context["form"]
    assert [form[name].value() for name in TEDS_FIELDS] == [None, None, None, None]
    # The empty "Choose…" option is the selected one.
    assert [_selected(page, name) for name in TEDS_FIELDS] == [[""], [""], [""], [""]]
    assert page.count("Choose…") == len(TEDS_FIELDS)


def test_discharge_without_a_reason_is_a_400_and_saves_nothing(login, counselor1, plan):
    response = login(counselor1).post(
        _url("discharge", plan.client), _discharge_post(reason="", living_arrangement="")
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"reason", "living_arrangement"}
    plan.episode.refresh_from_db()
    assert plan.episode.phase != Episode.Phase.DISCHARGED
    assert not DischargeSummary.objects.exists()
