"""The screening services are a package split by sub-domain, each module under
400 lines (the house rule for files), re-exporting what callers import."""

from pathlib import Path

import screening
from screening import services
from screening.services import administrations, decisions, referrals, screenings

SERVICES = Path(screening.__file__).parent / "services"


def test_screening_services_are_modules_under_400_lines():
    lengths = {path.name: len(path.read_text().splitlines()) for path in SERVICES.glob("*.py")}

    assert max(lengths.values()) < 400, lengths


def test_the_package_re_exports_each_service_from_its_sub_domain():
    assert services.referral_register is referrals.referral_register
    assert services.screening_start is screenings.screening_start
    assert services.screening_addendum_add is screenings.screening_addendum_add
    assert services.administration_record is administrations.administration_record
    assert services.safety_flag_address is administrations.safety_flag_address
    assert services.screening_complete is decisions.screening_complete
