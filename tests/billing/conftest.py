"""Billing fixtures: payers, a coverage, card images kept in a temporary
private folder."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from billing.models import Coverage, Payer

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64


def upload(content=PNG, name="card.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def medicaid(db):
    return Payer.objects.create(
        name="Evergreen Health Plan (Medicaid)",
        kind=Payer.Kind.MEDICAID,
        electronic_payer_id="EVG01",
        claim_filing_indicator=Payer.FilingIndicator.MEDICAID,
        requires_authorization=True,
    )


@pytest.fixture
def commercial(db):
    return Payer.objects.create(
        name="Summit Mutual PPO",
        kind=Payer.Kind.COMMERCIAL,
        claim_filing_indicator=Payer.FilingIndicator.PPO,
    )


def coverage_of(client, payer, *, actor, order=Coverage.Order.PRIMARY, days_ago=90, to=None):
    return Coverage.objects.create(
        client=client,
        payer=payer,
        member_id="M123",
        subscriber_relationship=Coverage.Relationship.SELF,
        order=order,
        effective_from=timezone.localdate() - datetime.timedelta(days=days_ago),
        effective_to=to,
        created_by=actor,
    )


@pytest.fixture
def coverage(client_of_counselor1, medicaid, administrator):
    return coverage_of(client_of_counselor1, medicaid, actor=administrator)
