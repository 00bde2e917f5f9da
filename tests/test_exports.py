"""Every export of the program goes through iop.exports: a ZIP whose CSV
files open in csv.DictReader with its defaults (header on the first line)
and whose NOTICE.txt carries the Part 2 notice; and the README's table of
TEDS columns is the one the codebook module generates."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from iop.clients.management.commands.teds_columns import readme_path, with_table
from iop.dashboard.views import CSV_TABLES, TEDS_EXPORTS
from tests.exports import header_of, read_export
from tests.factories import EpisodeFactory

PRODUCT = ("iop", "screening", "groups", "family", "aftercare")
# The views that export, each through iop.exports.export_response.
EXPORTING_MODULES = {
    "iop/dashboard/views.py",
    "iop/dashboard/outcome_views.py",
    "family/views/ledger.py",
}


def _sources():
    base = Path(settings.BASE_DIR)
    for package in PRODUCT:
        for path in (base / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path.relative_to(base).as_posix(), path.read_text(encoding="utf-8")


def test_only_the_export_helper_writes_csv():
    writers = {
        name
        for name, text in _sources()
        if "csv.writer" in text or "csv.DictWriter" in text or "text/csv" in text
    }

    assert writers == {"iop/exports.py"}


def test_the_exporting_views_are_the_ones_listed_here():
    callers = {name for name, text in _sources() if "export_response(" in text}

    assert callers - {"iop/exports.py"} == EXPORTING_MODULES


def _export_urls(client):
    program = reverse("dashboard:program")
    return [
        *(f"{program}?export={name}" for name in [*CSV_TABLES, *TEDS_EXPORTS]),
        reverse("family:accounting-export", args=[client.public_id]),
        reverse("family:ledger-export"),
        f"{reverse('dashboard:outcomes')}?export=csv",
    ]


def test_every_export_is_a_zip_of_readable_csv_with_the_notice(login, administrator):
    client = EpisodeFactory().client
    browser = login(administrator)

    for url in _export_urls(client):
        response = browser.get(url)
        assert response.status_code == 200, url
        files = read_export(response)
        assert files, url
        assert response["Content-Disposition"].endswith('.zip"'), url


@pytest.mark.parametrize("name", list(TEDS_EXPORTS))
def test_the_teds_files_have_their_header_on_the_first_line(login, administrator, name):
    EpisodeFactory()

    response = login(administrator).get(reverse("dashboard:program"), {"export": name})

    for filename in read_export(response):
        assert header_of(response, filename)[:5] in (
            ["TRANTYPE", "PROVIDER_ID", "CASEID", "CLIENTID", "ADMIT_DATE"],
            ["PROVIDER_ID", "CASEID", "CLIENTID", "ADMIT_DATE", "DOB"],
        )


def test_the_readme_table_of_teds_columns_is_the_generated_one():
    text = readme_path().read_text(encoding="utf-8")

    assert with_table(text) == text
