"""Hostile input to the self-report pages once the link is open (the
project's form fuzzing, tests/security/test_fuzz_forms.py, reaches them only
before the date of birth): whatever is posted or put in the query string,
no answer is a 500, a refused form stores nothing, and nothing posted is
echoed unescaped."""

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outcomes.models import SelfReportLink
from screening.models import InstrumentAdministration
from tests.outcomes.support import DOB, issued_link

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        ["", "4", "-1", "3.0", "1e9", "９", "<script>alert(1)</script>", "' OR 1=1 --", "\u202e3"]
    ),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)
FIELDS = [f"item-{n}" for n in range(1, 10)] + ["item-difficulty", "lang", "layout", "extra"]
FUZZ = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _clean(value: str) -> str:
    return value.replace("\x00", "")


@FUZZ
@given(data=st.dictionaries(st.sampled_from(FIELDS), HOSTILE.map(_clean), max_size=len(FIELDS)))
def test_hostile_answers_never_fail_and_store_nothing_unless_valid(client, due, data):
    with transaction.atomic():
        _, token = issued_link(due)
        client.post(reverse("selfreport:open", args=[token]), {"date_of_birth": DOB.isoformat()})

        response = client.post(reverse("selfreport:form", args=[token]), data)

        assert response.status_code in (302, 400)
        if response.status_code == 400:
            assert not InstrumentAdministration.objects.exists()
            assert SelfReportLink.objects.get(token_hash__isnull=False).used_at is None
            assert "<script>alert(1)</script>" not in response.content.decode()
        transaction.set_rollback(True)


@FUZZ
@given(lang=HOSTILE.map(_clean), layout=HOSTILE.map(_clean))
def test_hostile_query_strings_get_a_page(client, due, lang, layout):
    with transaction.atomic():
        _, token = issued_link(due)
        opened = client.get(reverse("selfreport:open", args=[token]), {"lang": lang})
        client.post(reverse("selfreport:open", args=[token]), {"date_of_birth": DOB.isoformat()})

        form = client.get(
            reverse("selfreport:form", args=[token]), {"lang": lang, "layout": layout}
        )

        assert (opened.status_code, form.status_code) == (200, 200)
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    "date_of_birth", ["", "1984-02-30", "0001-01-01", "9999-12-31", "1984-03-09T00:00", "x" * 500]
)
def test_hostile_dates_of_birth_are_form_errors_not_attempts(client, due, date_of_birth):
    link, token = issued_link(due)

    response = client.post(
        reverse("selfreport:open", args=[token]), {"date_of_birth": date_of_birth}
    )

    assert response.status_code == 400
    link.refresh_from_db()
    assert link.failed_attempts == 0
