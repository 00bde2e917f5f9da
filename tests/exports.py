"""Reading the program's exports as a user would: the ZIP's NOTICE.txt and
each CSV through csv.DictReader with its defaults (pandas is not installed;
csv.DictReader's defaults are the stricter test of "header on line one")."""

import csv
import io
import zipfile

from iop.exports import NOTICE_FILENAME, PART2_NOTICE


def read_export(response) -> dict[str, list[dict]]:
    """{csv filename: rows as dicts}; checks the notice travels with them."""
    assert response["Content-Type"] == "application/zip"
    assert response["X-Part2-Notice"] == PART2_NOTICE
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    assert bundle.read(NOTICE_FILENAME).decode().startswith(PART2_NOTICE)
    files = {}
    for name in bundle.namelist():
        if name.endswith(".csv"):
            text = bundle.read(name).decode("utf-8")
            files[name] = list(csv.DictReader(io.StringIO(text, newline="")))
    return files


def header_of(response, filename: str) -> list[str]:
    bundle = zipfile.ZipFile(io.BytesIO(response.content))
    text = bundle.read(filename).decode("utf-8")
    return next(csv.reader(io.StringIO(text, newline="")))


def only_file(response) -> list[dict]:
    files = read_export(response)
    assert len(files) == 1, list(files)
    return next(iter(files.values()))
