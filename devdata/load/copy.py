"""Bulk loading with PostgreSQL COPY.

Rows are tuples in the order of the field names given (attnames such as
"client_id"); they are streamed to the server as CSV, so nothing is built
as model instances. Fields left out get the model field's constant default
(or NULL, or "" for text), and a field whose value must differ per row
(a uuid4 public_id, an auto_now timestamp) must be given, so a forgotten
column fails loudly instead of loading something unrealistic.

Primary keys: tables whose ids other rows point to reserve a block of the
table's own sequence (reserve()), so ids never collide with rows already
there or made later by the application; leaf tables leave "id" out and
the database numbers them.
"""

import csv
import io
import json
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import islice

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models

# The NULL marker of the COPY statement below: CSV has no other way to tell
# NULL from an empty string, and "\N" never occurs in generated text.
NULL = "\\N"
BATCH_ROWS = 5000


class _CsvStream:
    """A read()-able stream of CSV text made lazily from row tuples, so a
    million rows never sit in memory as one string."""

    def __init__(self, rows: Iterable[tuple], tail: tuple):
        self._rows = iter(rows)
        self._tail = tail
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")
        self.count = 0

    def read(self, size: int = -1) -> str:
        # One batch per call whatever `size` asks: psycopg sends what it gets.
        batch = list(islice(self._rows, BATCH_ROWS))
        if not batch:
            return ""
        if self._tail:
            batch = [row + self._tail for row in batch]
        batch = [
            tuple(NULL if value is None else value for value in row) if None in row else row
            for row in batch
        ]
        self.count += len(batch)
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerows(batch)
        return self._buffer.getvalue()

    def chunks(self):
        while chunk := self.read():
            yield chunk


def _constant_default(model, field) -> object:
    """What a left-out field gets in every row, or an error when it has none."""
    if field.has_db_default():
        # The database's own default, which its triggers may replace
        # (Episode.number: a trigger numbers the client's episodes).
        return getattr(field.db_default, "value", field.db_default)
    if field.has_default():
        default = field.default
        if default is uuid.uuid4:
            raise ImproperlyConfigured(f"{model._meta.label}.{field.name}: give a uuid per row.")
        value = default() if callable(default) else default
        if isinstance(field, models.JSONField):
            return json.dumps(value)
        return value
    if field.null:
        return None
    if field.empty_strings_allowed and isinstance(field, models.CharField | models.TextField):
        return ""
    raise ImproperlyConfigured(f"{model._meta.label}.{field.name} has no default: give it.")


class Loader:
    """COPY rows into one database and count them per model."""

    def __init__(self, using: str = "default"):
        self.using = using
        self.connection = connections[using]
        self.counts: Counter[str] = Counter()

    def reserve(self, model: type[models.Model], count: int) -> int:
        """Reserve `count` ids of the model's table; returns the first."""
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            cursor.execute("SELECT nextval(%s)", [sequence])
            (first,) = cursor.fetchone()
            if count > 1:
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
        return first

    def copy(self, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
        """COPY the rows (tuples in `fields` order) into the model's table."""
        given = set(fields)
        by_attname = {field.attname: field for field in model._meta.concrete_fields}
        unknown = given - set(by_attname)
        if unknown:
            raise ImproperlyConfigured(f"{model._meta.label} has no field {sorted(unknown)}.")
        columns = [by_attname[name].column for name in fields]
        tail = []
        for field in model._meta.concrete_fields:
            if field.attname in given or field.primary_key:
                continue
            columns.append(field.column)
            tail.append(_constant_default(model, field))
        quoted = ", ".join(f'"{column}"' for column in columns)
        sql = f"COPY \"{model._meta.db_table}\" ({quoted}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        stream = _CsvStream(rows, tuple(tail))
        with self.connection.cursor() as cursor:
            raw = cursor.cursor
            if hasattr(raw, "copy_expert"):  # psycopg2
                raw.copy_expert(sql, stream, size=1 << 16)
            else:  # psycopg 3
                with raw.copy(sql) as copy:
                    for chunk in stream.chunks():
                        copy.write(chunk)
        self.counts[model._meta.label] += stream.count
        return stream.count
