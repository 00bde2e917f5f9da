"""The chart's row of recent drug tests: one colour per badge, readable text,
and the unexpected positive said in words, not by colour alone."""

import re

from iop.clients.models import Substance
from tests.clients.test_clinical_treatment import NEGATIVE, POSITIVE, _days_ago, _test, _url


def _badges(page: str) -> list[str]:
    return re.findall(r'<span role="listitem" class="([^"]*)"', page)


def test_each_test_badge_has_one_colour_scheme(login, counselor1, client_of_counselor1):
    client = client_of_counselor1
    _test(
        counselor1,
        client,
        {Substance.FENTANYL: POSITIVE, Substance.COCAINE: POSITIVE},
        collected_on=_days_ago(9),
    )
    _test(counselor1, client, {Substance.FENTANYL: NEGATIVE}, collected_on=_days_ago(2))

    section = _url("client-section", client, section="drug-tests")
    page = login(counselor1).get(section).content.decode()

    assert _badges(page) == ["badge text-bg-danger", "badge border text-body"]
    assert page.count('<span class="visually-hidden">unexpected positive</span>') == 1
