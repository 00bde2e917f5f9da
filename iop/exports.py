"""Every file the program exports, in one shape: a ZIP holding each CSV and
NOTICE.txt, the 42 CFR Part 2 notice that travels with the records (42 CFR
2.32). Each CSV has its header on the first line, so standard readers
(Python's csv.DictReader, pandas.read_csv, a spreadsheet) open it with their
defaults; the notice is a file of its own rather than a line above the
header. Views build their rows and call `export_response`; nothing else in
the program writes CSV (tests/test_exports.py holds every export to it)."""

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence

from django.http import HttpResponse

# 42 CFR 2.32 (2024 wording, as DOMAIN.md section 6 quotes it): on every
# disclosed document and with every export.
PART2_NOTICE = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
NOTICE_FILENAME = "NOTICE.txt"
NOTICE_TEXT = (
    f"{PART2_NOTICE}\n\n"
    "The CSV files beside this notice hold records of substance use disorder "
    "treatment protected by 42 CFR Part 2 and HIPAA. Keep this notice with them; "
    "use and disclose them only as those rules permit.\n"
)

# A spreadsheet would run a text cell starting with one of these as a
# formula; numbers (TEDS' -9) are written as they are.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def export_response(
    name: str, files: Mapping[str, tuple[Sequence[str], Iterable[Sequence]]]
) -> HttpResponse:
    """A download `<name>.zip` of the CSV files `files` ({filename: (header,
    rows)}) and NOTICE.txt, the notice also in the response's X-Part2-Notice
    header."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(NOTICE_FILENAME, NOTICE_TEXT)
        for filename, (header, rows) in files.items():
            bundle.writestr(filename, csv_text(header, rows).encode("utf-8"))
    response = HttpResponse(archive.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    response["X-Part2-Notice"] = PART2_NOTICE
    return response
