"""Parsing search parameter values (FHIR R4 RESTful search, section 3.1.1.4)
into ORM filters. Each parser raises ApiError(400) on a value it cannot read,
so a bad value is an OperationOutcome, never a 500."""

import re
import uuid
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from interop.api.errors import ApiError
from iop.horizon import EARLIEST, YEARS_AHEAD, years_after

DATE_PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")
DATE_VALUE = re.compile(
    r"^(?P<prefix>[a-z]{2})?(?P<date>\d{4}(-\d{2}(-\d{2})?)?)"
    r"(T(?P<time>\d{2}:\d{2}(:\d{2}(\.\d+)?)?)(?P<tz>Z|[+-]\d{2}:\d{2})?)?$"
)


def bad(name: str, why: str) -> ApiError:
    return ApiError(400, "invalid", f"Search parameter {name}: {why}")


def reference_id(name: str, value: str, resource_type: str) -> uuid.UUID:
    """The id of `Type/id`, `id` or an absolute URL ending in Type/id."""
    tail = value.rstrip("/").split("/")
    if len(tail) >= 2 and tail[-2] != resource_type:
        raise bad(name, f"a reference to {resource_type} is expected.")
    try:
        return uuid.UUID(tail[-1])
    except ValueError:
        raise bad(name, "the reference's id is not one this server issues.") from None


def token(value: str) -> tuple[str | None, str]:
    """(system or None, code) of a token `[system|]code`."""
    if "|" in value:
        system, code = value.split("|", 1)
        return (system or None), code
    return None, value


def date_range(name: str, value: str) -> tuple[str, datetime, datetime]:
    """(prefix, start, end) of a date parameter: the value's precision
    gives the range it stands for (2026-05 is the whole month)."""
    match = DATE_VALUE.match(value)
    if not match:
        raise bad(name, "a date as YYYY, YYYY-MM, YYYY-MM-DD or a dateTime is expected.")
    prefix = match["prefix"] or "eq"
    if prefix not in DATE_PREFIXES or prefix in ("sa", "eb", "ap", "ne"):
        raise bad(name, f"the prefix {prefix} is not supported.")
    text = match["date"]
    parts = [int(p) for p in text.split("-")]
    try:
        if match["time"]:
            start = datetime.fromisoformat(
                value[len(match["prefix"] or "") :].replace("Z", "+00:00")
            )
            if start.tzinfo is None:
                start = timezone.make_aware(start)
            end = start + timedelta(seconds=1)
        else:
            year, month, day = (parts + [1, 1])[:3]
            first = date(year, month, day)
            if len(parts) == 1:
                last = first.replace(year=year + 1)
            elif len(parts) == 2:
                last = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
            else:
                last = first + timedelta(days=1)
            start = timezone.make_aware(datetime.combine(first, time.min))
            end = timezone.make_aware(datetime.combine(last, time.min))
    except (ValueError, OverflowError):
        raise bad(name, "not a real date.") from None
    if not (EARLIEST <= start.date() <= years_after(timezone.localdate(), YEARS_AHEAD)):
        raise bad(name, "the date is outside the range this server keeps.")
    return prefix, start, end


def date_q(name: str, value: str, field_name: str, *, is_date: bool = False) -> Q:
    """The Q for a date parameter on a DateTimeField (or DateField)."""
    prefix, start, end = date_range(name, value)
    if is_date:
        start, end = timezone.localdate(start), timezone.localdate(end)
    return {
        "eq": Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end}),
        "gt": Q(**{f"{field_name}__gte": end}),
        "ge": Q(**{f"{field_name}__gte": start}),
        "lt": Q(**{f"{field_name}__lt": start}),
        "le": Q(**{f"{field_name}__lt": end}),
    }[prefix]


def id_q(value: str, field_name: str = "public_id", prefix: str = "") -> Q | None:
    """The Q finding a resource id that is a row's UUID (`prefix` + uuid for
    a type read from several tables), or None if the id cannot be one."""
    if prefix:
        if not value.startswith(prefix):
            return None
        value = value[len(prefix) :]
    try:
        return Q(**{field_name: uuid.UUID(value)})
    except ValueError:
        return None


def patient_filter(client_field: str, name: str = "patient"):
    """A `patient` (or `subject`) search parameter: a reference to a Patient,
    matched on the client's public id through `client_field` (an ORM path
    to the Client, e.g. "client" or "episode__client")."""

    def narrowed(queryset, value):
        return queryset.filter(
            **{f"{client_field}__public_id": reference_id(name, value, "Patient")}
        )

    return narrowed


def token_in(name: str, value: str, codes: dict[str, str], system: str | None = None):
    """The local values whose FHIR code is one of a token's comma-separated
    codes (`codes`: local value -> FHIR code); a system other than `system`
    matches nothing."""
    wanted = set()
    for one in value.split(","):
        one_system, code = token(one)
        if one_system is None or system is None or one_system == system:
            wanted.add(code)
    return [local for local, code in codes.items() if code in wanted]
