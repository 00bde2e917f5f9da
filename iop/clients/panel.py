"""The program's usual drug-test panel (settings DRUG_TEST_SPECIMEN and
DRUG_TEST_PANEL): the specimen the drug-test form starts with and the
substances its "All negative" shortcut records, so a routine negative test
takes two actions (open the form, All negative)."""

from dataclasses import dataclass

from django.conf import settings
from django.core import checks

from iop.clients.models import DrugTest, Substance


@dataclass(frozen=True)
class Panel:
    specimen: str
    substances: tuple[str, ...]

    @property
    def labels(self) -> list[str]:
        return [Substance(code).label for code in self.substances]


def usual_panel() -> Panel:
    """The configured panel, keeping only known codes (the start-up check
    reports the others)."""
    specimen = settings.DRUG_TEST_SPECIMEN
    return Panel(
        specimen=specimen if specimen in DrugTest.Specimen.values else DrugTest.Specimen.URINE,
        substances=tuple(code for code in settings.DRUG_TEST_PANEL if code in Substance.values),
    )


def check_usual_panel(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    if settings.DRUG_TEST_SPECIMEN not in DrugTest.Specimen.values:
        errors.append(
            checks.Error(
                f"DRUG_TEST_SPECIMEN {settings.DRUG_TEST_SPECIMEN!r} is not one of "
                f"{', '.join(DrugTest.Specimen.values)}.",
                id="clients.E001",
            )
        )
    unknown = [code for code in settings.DRUG_TEST_PANEL if code not in Substance.values]
    if unknown or not settings.DRUG_TEST_PANEL:
        errors.append(
            checks.Error(
                f"DRUG_TEST_PANEL needs substance codes of {', '.join(Substance.values)}; "
                f"unknown: {', '.join(unknown) or '(empty panel)'}.",
                id="clients.E002",
            )
        )
    return errors


def register_checks() -> None:
    checks.register(check_usual_panel)
