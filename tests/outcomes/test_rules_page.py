"""The not-on-track rules page: administrators change a rule, audited;
other roles may not; a bad value changes nothing."""

import pytest
from django.urls import reverse

from iop.audit.models import AuditEvent
from outcomes.models import OnTrackRule
from tests.outcomes.helpers import install_default_rules

URL = reverse("outcomes:rules")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rules(db):
    install_default_rules()


def _post(browser, key, **changes):
    rule = OnTrackRule.objects.get(key=key)
    data = {"rule": key, "label": rule.label, "active": "on" if rule.active else ""}
    data.update({name: getattr(rule, name) for name in rule.parameters})
    data.update(changes)
    return browser.post(URL, {k: v for k, v in data.items() if v != ""})


def test_administrator_sees_every_rule(login, administrator):
    response = login(administrator).get(URL)

    assert response.status_code == 200
    assert len(response.context["forms"]) == 5


@pytest.mark.parametrize("role", ["supervisor", "counselor1", "intake", "billing_user"])
def test_other_roles_may_not_open_the_rules(request, login, role):
    assert login(request.getfixturevalue(role)).get(URL).status_code == 403


def test_administrator_changes_a_threshold_audited(login, administrator):
    response = _post(login(administrator), "phq9-no-improvement", weeks=12)

    assert response.status_code == 302
    assert OnTrackRule.objects.get(key="phq9-no-improvement").weeks == 12
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, actor=administrator)
    assert event.details == {"rule": "phq9-no-improvement", "fields": ["weeks"]}


def test_administrator_takes_a_rule_out_of_use(login, administrator):
    _post(login(administrator), "measures-missed", active="")

    assert not OnTrackRule.objects.get(key="measures-missed").active


def test_a_missing_parameter_changes_nothing(login, administrator):
    response = _post(login(administrator), "bam-risk-rising", points="")

    assert response.status_code == 400
    assert OnTrackRule.objects.get(key="bam-risk-rising").points == 4
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


def test_an_out_of_range_value_changes_nothing(login, administrator):
    response = _post(login(administrator), "bam-use-running", weeks=99)

    assert response.status_code == 400
    assert OnTrackRule.objects.get(key="bam-use-running").weeks == 2


def test_an_unknown_rule_is_404(login, administrator):
    assert login(administrator).post(URL, {"rule": "nope"}).status_code == 404
