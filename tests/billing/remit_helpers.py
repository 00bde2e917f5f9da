"""Shared set-up of the tests of received files: the fixture files, the
claims they name (patient control numbers C9000001...), receiving a file."""

import datetime
from pathlib import Path

from billing.models import InboundFile
from billing.services.inbound import inbound_receive
from tests.billing.claim_factories import batch_of, sent_claim
from tests.billing.factories import CoverageFactory

FIXTURES = Path(__file__).parent / "fixtures" / "x12"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


def receive(name: str, content: str | None = None, actor=None) -> InboundFile:
    return inbound_receive(
        name=name,
        content=fixture(name) if content is None else content,
        via=InboundFile.Via.UPLOAD,
        actor=actor,
    )


def fixture_claims(payer) -> dict[str, object]:
    """The claims the fixture files name, all to `payer`, in one batch
    with the control number 900001 (a second batch, 900002, is empty)."""
    batch = batch_of(control_number=900001)
    batch_of(control_number=900002)
    day = datetime.date(2026, 11, 1)
    first = sent_claim(coverage=CoverageFactory(payer=payer), batch=batch, pcn="C9000001",
                       dates=[day])  # fmt: skip
    second = sent_claim(
        coverage=CoverageFactory(payer=payer), batch=batch, pcn="C9000002",
        dates=[day + datetime.timedelta(days=1), day + datetime.timedelta(days=2)],
    )  # fmt: skip
    third = sent_claim(coverage=CoverageFactory(payer=payer), batch=batch, pcn="C9000003",
                       dates=[day + datetime.timedelta(days=3)])  # fmt: skip
    return {"C9000001": first, "C9000002": second, "C9000003": third}
