"""Shortcuts shared by the screening page tests (test_views_*.py): URLs,
posted forms and the texts the pages show. Plain functions: fixtures live in
conftest.py beside this file."""

import uuid

from django.urls import reverse

from screening import services
from screening.models import SafetyFlag
from tests.screening.helpers import phq9

ALERT = 'data-testid="safety-alert"'


def chart_url(client, section=""):
    """The client's chart, opened on `section` (a deep link) if given."""
    url = reverse("clients:client-detail", kwargs={"client_id": client.public_id})
    return f"{url}?section={section}" if section else url


def unknown_screening_url(name, client):
    return reverse(
        f"screening:{name}", kwargs={"client_id": client.public_id, "screening_id": uuid.uuid4()}
    )


def start_screening(client, actor):
    return services.screening_start(actor=actor, episode=client.episodes.get())


def flag_on(screening, actor):
    services.administration_record(
        actor=actor,
        client=screening.client,
        code="PHQ-9",
        answers=phq9(item9=1),
        screening=screening,
    )
    return SafetyFlag.objects.get()


def flag_url(flag):
    return reverse(
        "screening:flag-address",
        kwargs={"client_id": flag.client.public_id, "flag_id": flag.public_id},
    )
