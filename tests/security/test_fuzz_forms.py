"""Hostile input to every form of the project, as every role that may use it.

The forms are found, not listed: every page each member of the cast can open
is read and each <form> on it (and each link with a query string) is parsed
for its target and its fields. FORM_ROUTES names every route that takes a
POST; a form target or a POST-only route missing from it fails the test, so
new forms are fuzzed too. Every page is also requested with hostile query
strings (its filter forms' fields and the parameters views read themselves).

Hypothesis then posts, per form and role, field values drawn from very long
strings, unicode (right-to-left marks, emoji, NUL), HTML and SQL fragments,
wrong types (letters for numbers, 30 February, huge and negative numbers),
missing and duplicated fields and the outsider's ids, sometimes with the
outsider's id in the URL; date and time inputs also get dates far in the
past and the future (FAR_DATES), and every one of those is also sent to
every date field of every form once, whatever Hypothesis draws. Whatever is
posted:

- no answer is a 500 and no exception is raised or logged;
- an answer that shows the form again (200 or 400) has saved nothing: every
  table but the audit trail, sessions and login-throttling rows keeps its
  row count;
- nothing identifying a client the user may not see (the outsider on
  counselor B's caseload, or the clients counselor A holds) appears in the
  answer, unless the request itself carried it.

Each example runs in a savepoint rolled back afterwards, so every example
starts from the same program. HYPOTHESIS_PROFILE=deep posts many more examples
with a random seed (FUZZ_EXAMPLES sets how many per form and role); the
default is a small, derandomized run for CI.
"""

import logging
import os
import uuid
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.signals import got_request_exception
from django.db import connection, transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iop.audit.policy import clients_visible_to
from iop.clients.management.commands import check_data
from tests.security.test_route_access import (
    ACCESS,
    PAGE,
    POST_ONLY,
    ROLE_OF,
    _expected,
    _url,
)
from tests.test_routes import ROUTES

# Every test here needs the test database, even one that reads only the world.
pytestmark = pytest.mark.django_db

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
# Examples per form and role: few and derandomized in CI (the whole module
# stays near a minute and a half), many and random under the deep profile.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or (100 if PROFILE == "deep" else 6))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=PROFILE != "deep",
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Every route that takes a POST, with fields to post besides those read from
# its forms: a form the populated program does not show (a co-signature is
# offered only on a trainee's note, a review only on an active plan).
FORM_ROUTES = {
    "outcomes:plan-add": (
        "instrument",
        "moment",
        "every_days",
        "aftercare_month",
        "method",
        "window_days",
    ),
    "outcomes:plan-edit": (
        "instrument",
        "moment",
        "every_days",
        "aftercare_month",
        "method",
        "window_days",
    ),
    "outcomes:plan-deactivate": (),
    "outcomes:measure-request": ("instrument", "method"),
    "outcomes:kiosk-start": ("due", "instrument", "language"),
    "outcomes:kiosk": ("item_1", "item_9", "difficulty"),
    "accounts:login": ("username", "password"),
    "accounts:mfa-verify": ("code",),
    "accounts:mfa-enroll": ("code",),
    "accounts:email-change": ("email",),
    "accounts:mfa-recovery-codes": (),
    "accounts:mfa-remove": (),
    "accounts:reauth": ("password", "code"),
    "accounts:session-keepalive": (),
    "accounts:lockout-unlock": ("username", "ip_address"),
    "audit:emergency-access": ("mrn", "date_of_birth", "category", "reason"),
    "clients:client-create": (),
    "clients:client-update": (),
    "clients:demographics-edit": (),
    "clients:episode-assign": ("counselor",),
    "clients:appointment-new": (),
    "clients:session-document": (),
    "clients:appointment-cancel": ("reason",),
    "clients:note-cosign": (),
    "dashboard:cosign-bulk": ("note", "query"),
    "clients:note-addendum": ("text",),
    "clients:plan-start": (),
    "clients:plan-add": ("statement", "parent"),
    "clients:plan-objective-status": ("objective", "status"),
    "clients:plan-sign": ("client_agreed_on",),
    "clients:plan-review": ("note",),
    "clients:drug-test-new": (),
    "clients:medication-new": (),
    "clients:medication-stop": ("stop_date",),
    "clients:meeting-new": (),
    "clients:diagnosis-add-sud": (),
    "clients:diagnosis-add-code": (),
    "clients:diagnosis-confirm": ("next",),
    "clients:diagnosis-primary": (),
    "clients:diagnosis-resolve": ("date_resolved",),
    "clients:discharge-diagnosis": ("diagnosis",),
    "screening:referral-create": (),
    "screening:screening-start": (),
    "screening:screening-detail": (),
    "screening:screening-dimensions": (),
    "screening:screening-complete": (),
    "screening:screening-addendum": ("text",),
    "screening:screening-cosign": (),
    "screening:screening-administer": (),
    "screening:administer": (),
    "screening:flag-address": (),
    "reminders:notification-mark-read": (),
    "reminders:sms-inbound": ("From", "Body", "MessageSid"),
    "outcomes:link-send": (),
    "selfreport:open": ("date_of_birth", "lang"),
    "selfreport:form": ("item-1", "item-9", "item-difficulty", "lang", "layout"),
    "groups:session-add": (),
    "groups:session-detail": (),
    "groups:attendance-toggle": ("client", "status"),
    "groups:session-drop-in": ("client",),
    "groups:session-remove": ("client",),
    "groups:session-move": ("starts_at",),
    "groups:session-cancel": ("reason",),
    "groups:session-addendum": ("text",),
    "groups:session-cosign": (),
    "groups:client-groups": (),
    "family:member-new": (),
    "family:member-link": (),
    "family:member-edit": (),
    "family:consent-new": (),
    "family:consent-revoke": ("revoked_on", "note"),
    "family:consent-event": ("event",),
    "family:release-export": ("purpose",),
    "family:conjoint-attendees": ("members",),
    "family:education-attendance": ("client", "member", "status"),
    "aftercare:step-down": (),
    "aftercare:check-in": (),
    "aftercare:outreach-attempt": ("method", "outcome", "note"),
    "aftercare:discharge": (),
    "aftercare:readmit": ("reason",),
    "aftercare:summary-addendum": ("text",),
    "billing:charge-hold": ("detail",),
    "billing:charge-release": (),
    "billing:charge-void": ("reason",),
    "billing:charges-mark-exported": ("status", "payer", "start", "end", "client"),
    "billing:claim-replace": (),
    "billing:claim-void": (),
    "billing:batch-build": ("payer", "start", "end"),
    "billing:batch-send": (),
    "billing:batch-discard": (),
    "billing:client-authorizations": (),
    "billing:authorization-review": (),
    "billing:coverage-add": (),
    "billing:coverage-end": ("ends_on",),
    "billing:verification-add": ("verified_on", "method", "result", "notes"),
    "billing:payer-create": (),
    "billing:payer-edit": (),
    "billing:fee-add": (),
    "billing:client-payment-add": ("amount", "received_on", "method", "reference"),
    "billing:client-payment-reverse": ("number", "reason"),
    "billing:inbound-upload": ("file",),
    "billing:claim-payment-match": ("claim",),
    "billing:denial-resolve": ("action_taken", "resolution"),
    "outcomes:rules": ("rule", "label", "weeks", "points", "percent", "count", "active"),
    "interop:client-register": (),
    "interop:client-revoke": ("confirm",),
}

# POSTs that may write rows and still answer with a page (200 or 400).
ROWS_MAY_CHANGE_ON_A_PAGE = {
    # The release is written to the disclosure ledger, then shown for printing.
    "family:release-export": "a release is a page",
    # "Save and sign" saves the lines as a draft first; a refused signature
    # (say, identical remarks) shows the page again with the draft kept, and
    # the warning about identical remarks is read from the saved lines.
    "groups:session-detail": "the draft is kept when signing is refused",
}

# Posted to by anyone, signed in or not.
ANONYMOUS_FORMS = {
    "accounts:login",
    "reminders:sms-inbound",
    "selfreport:open",
    "selfreport:form",
    "outcomes:kiosk",
}
# Posting these ends the session the rest of the example needs; they hold no form fields.
NOT_FUZZED = {"accounts:logout": "signs the user out; takes no fields"}

# Rows that showing a form may write: the trail of who saw what, the session,
# the login-throttling records.
UNCOUNTED_TABLE_PREFIXES = ("audit_", "django_session", "axes_", "otp_")

ROUTES_BY_NAME = {route.name: route for route in ROUTES}


# --- reading the forms of every page -------------------------------------------------


class _Forms(HTMLParser):
    """Each <form>: its method, its action and, per field, the values the page offers."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "?" in (attrs.get("href") or ""):
            # A link with a query string is a GET form the page fills in.
            path, _, query = attrs["href"].partition("?")
            fields = {}
            for key, value in parse_qsl(query, keep_blank_values=True):
                fields.setdefault(key, []).append(value)
            self.forms.append({"action": path, "method": "get", "fields": fields, "dates": set()})
            return
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self._form = {
                "action": attrs.get("action") or "",
                "method": method,
                "fields": {},
                "dates": set(),
            }
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name")
        # A field may belong to another form through form="id"; it still posts somewhere.
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                if attrs.get("value") is not None:
                    form["fields"].setdefault(name, []).append(attrs["value"])
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            form["fields"].setdefault(name, []).append(attrs.get("value") or default)
            if kind in DATE_INPUTS:
                form["dates"].add(name)
        elif tag == "select" and name:
            self._select = form["fields"].setdefault(name, [])
        elif tag == "option" and self._select is not None:
            self._select.append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = form["fields"].setdefault(name, [])
            self._textarea.append("")
        elif tag == "button" and name:
            form["fields"].setdefault(name, []).append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None and data.strip():
            self._textarea[-1] = data.strip()


def _route_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def _read_forms(world, client):
    """Per method and target route: the URL a page sends the form to, per
    member of the cast, and each field's offered values."""
    found = {"post": {}, "get": {}}
    for user, person in world.users.items():
        client.force_login(person)
        for route in ROUTES:
            if route.is_admin or route.name not in ACCESS:
                continue
            if _expected(world, route, user) != 200:
                continue
            page_url = _url(world, route)
            response = client.get(page_url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = _Forms()
            parser.feed(response.content.decode())
            for form in parser.forms:
                action = form["action"] or page_url
                name = _route_name(action)
                if name is None:
                    continue
                entry = found[form["method"]].setdefault(
                    name, {"urls": {}, "fields": {}, "dates": set()}
                )
                entry["urls"].setdefault(user, action)
                entry["dates"].update(form["dates"])
                for field, values in form["fields"].items():
                    entry["fields"].setdefault(field, [])
                    entry["fields"][field].extend(
                        value for value in values if value not in entry["fields"][field]
                    )
    client.logout()
    return found


@pytest.fixture(scope="module")
def forms(world, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock(), transaction.atomic():
        found = _read_forms(world, Client())
        transaction.set_rollback(True)
    return found


# --- what is posted --------------------------------------------------------------------

LONG = "A" * 10_000
HOSTILE_TEXT = [
    LONG,
    "\x00",
    "before\x00after",
    "\u202eevil\u202c right-to-left",
    "שלום עולם مرحبا",
    "😀" * 50,
    "\U0001f9d1\u200d\U0001f91d\u200d\U0001f9d1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ request.user }} {% debug %}",
    "'; DROP TABLE clients_client; --",
    "1 OR 1=1",
    "' OR '1'='1",
    "%s%s%s%n",
    "",
    " ",
    "\r\n",
]
WRONG_TYPES = [
    "abc",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "31/12/2026",
    "2026-01-01T25:61",
    "99999999999999999999999999",
    "9223372036854775808",
    "2147483648",
    "-1",
    "-2147483649",
    "1e308",
    "NaN",
    "inf",
    "0x10",
    "²",
    "١٢",
    "1.5",
    "true",
    "null",
    "[]",
    "{}",
]


# Dates at and just past the ends of the horizon and of Python's calendar,
# sent to every date and time input: 9999-12-31 23:59 in New York is year
# 10000 in UTC, which PostgreSQL stores and Python cannot read back.
DATE_INPUTS = ("date", "datetime-local")
FAR_DATES = ["0001-01-01", "1899-12-31", "9999-12-31", "9999-12-31T23:59"]


def _text():
    return st.text(
        alphabet=st.characters(blacklist_categories=("Cs",)),
        max_size=40,
    )


def _values(offered, outsider_ids, dated=False):
    """One field's value: what the page offers, or something hostile (for a
    date or time input, often a date far from today)."""
    strategies = [
        st.sampled_from(HOSTILE_TEXT),
        st.sampled_from(WRONG_TYPES),
        st.sampled_from(outsider_ids),
        st.builds(lambda: str(uuid.uuid4())),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        _text(),
    ]
    if offered:
        strategies.insert(0, st.sampled_from(offered))
    if dated:
        strategies[:0] = [st.sampled_from(FAR_DATES)] * 2
    return st.one_of(*strategies)


@st.composite
def _posts(draw, fields, outsider_ids, dates=frozenset()):
    """The POST body: each field present, missing or duplicated, and maybe a stray one."""
    data = {}
    for name, offered in fields.items():
        how = draw(st.sampled_from(["value", "value", "value", "missing", "duplicated"]))
        if how == "missing":
            continue
        values = _values(offered, outsider_ids, dated=name in dates)
        value = draw(values)
        data[name] = [value, draw(values)] if how == "duplicated" else value
    if draw(st.booleans()):
        data[draw(st.sampled_from(["id", "client", "client_id", "pk", "x"]))] = draw(
            _values([], outsider_ids)
        )
    return data


# --- the checks --------------------------------------------------------------------------


def _counted_tables():
    return sorted(
        name
        for name in connection.introspection.table_names()
        if not name.startswith(UNCOUNTED_TABLE_PREFIXES)
    )


def _row_counts(tables):
    # One statement for every table; the names come from the introspection.
    quoted = (connection.ops.quote_name(table) for table in tables)
    selects = ", ".join(f"(SELECT count(*) FROM {name})" for name in quoted)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + selects)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _hidden_marks(world, person):
    """What would identify each of the world's clients `person` may not see:
    the (made-up, unique) surname, the record number, the public id."""
    visible = set(clients_visible_to(person).values_list("pk", flat=True)) if person else set()
    marks = {}
    for client in (world.main, world.in_screening, world.in_aftercare, world.outsider):
        if client.pk not in visible:
            marks[f"{client.legal_last_name}'s name"] = client.legal_last_name
            marks[f"{client.legal_last_name}'s record number"] = client.mrn
            marks[f"{client.legal_last_name}'s public id"] = str(client.public_id)
    return marks


def _short(data) -> str:
    """The posted data for a failure message, long values abbreviated."""

    def one(value):
        if isinstance(value, list):
            return "[" + ", ".join(one(item) for item in value) + "]"
        return repr(value) if len(value) <= 60 else f"{value[:20]!r}...({len(value)} chars)"

    return "{" + ", ".join(f"{key!r}: {one(value)}" for key, value in data.items()) + "}"


def _sent(url, data) -> str:
    parts = [url]
    for value in data.values():
        parts.extend(value if isinstance(value, list) else [value])
    return " ".join(parts)


def _form_cases():
    """(route name, cast member) for every form route and every member let in."""
    cases = []
    for name in sorted(FORM_ROUTES):
        if name in ANONYMOUS_FORMS:
            cases.append((name, None))
            continue
        access = ACCESS.get(name)
        if access is None:
            continue
        for user, role in ROLE_OF.items():
            if role in access.roles:
                cases.append((name, user))
    return cases


class _Failures(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def exceptions():
    """Exceptions raised by views and errors logged by Django while the test runs."""
    raised = []

    def receiver(sender, request=None, **kwargs):
        import sys

        raised.append(repr(sys.exc_info()[1]))

    got_request_exception.connect(receiver, weak=False, dispatch_uid="fuzz-forms")
    handler = _Failures()
    logger = logging.getLogger("django")
    logger.addHandler(handler)
    try:
        yield raised, handler.records
    finally:
        logger.removeHandler(handler)
        got_request_exception.disconnect(dispatch_uid="fuzz-forms")


def test_every_form_and_post_only_route_is_fuzzed(world, forms):
    post_only = {name for name, access in ACCESS.items() if access.get == POST_ONLY}
    targets = {name for name in forms["post"] if not name.startswith("admin:")}
    missing = sorted((post_only | targets) - set(FORM_ROUTES) - set(NOT_FUZZED))
    assert not missing, "\n".join(
        f"add {name} to FORM_ROUTES in tests/security/test_fuzz_forms.py" for name in missing
    )


def test_every_fuzzed_route_exists_and_has_fields_or_takes_none(forms):
    assert sorted(set(FORM_ROUTES) - set(ROUTES_BY_NAME)) == []


class _Target:
    """One form route as one member of the cast: where to send, what the page
    offers, and how to judge the answer."""

    def __init__(self, world, found, name, user, field_names=()):
        route = ROUTES_BY_NAME[name]
        self.name, self.user = name, user
        self.fields = {field: list(values) for field, values in found["fields"].items()}
        self.dates = frozenset(found.get("dates", ()))
        for field in field_names:
            self.fields.setdefault(field, [])
        self.url = found["urls"].get(user) or _url(world, route)
        self.person = world.users[user] if user else None
        outsider = world.outsider
        self.outsider_ids = [str(outsider.public_id), str(outsider.pk), outsider.mrn]
        self.marks = _hidden_marks(world, self.person)
        self.outsider_url = None
        if "client_id" in route.kwargs:
            ours = str(_client_in(self.url, world))
            self.outsider_url = self.url.replace(ours, str(outsider.public_id))

    def send(
        self, client, exceptions, method, data, into_outsider, *, rows_may_change, stored=None
    ):
        """Send one example in a savepoint rolled back afterwards and check the
        answer; `stored`, if given, lists what is wrong with the rows written."""
        raised, logged = exceptions
        target = self.outsider_url if into_outsider and self.outsider_url else self.url
        raised.clear()
        logged.clear()
        tables = _counted_tables()
        with transaction.atomic():
            if self.person is not None:
                client.force_login(self.person)
            before = _row_counts(tables)
            response = getattr(client, method)(target, data)
            status = response.status_code
            changed = {t: n for t, n in _row_counts(tables).items() if n != before[t]}
            wrong = stored() if stored else []
            transaction.set_rollback(True)
        client.logout()
        who = f"{method.upper()} {self.name} as {self.user or 'anonymous'}"
        sent = f"{_short(data)} to {target}"
        assert not raised, f"{who}: {raised[0][:300]} for {sent}"
        assert status != 500, f"{who}: 500 for {sent}"
        assert not logged, f"{who}: logged {logged[0].getMessage()} for {sent}"
        if not rows_may_change(status):
            assert not changed, f"{who}: {status}, yet {changed} changed for {sent}"
        assert not wrong, f"{who}: {status}, yet stored {wrong[0]} for {sent}"
        body = response.content.decode(errors="replace") + response.get("Location", "")
        carried = _sent(target, data)
        for what, mark in self.marks.items():
            if mark not in carried:
                assert mark not in body, f"{who}: {what} in the answer"


@pytest.mark.parametrize(
    ("name", "user"), _form_cases(), ids=[f"{n}-{u or 'anonymous'}" for n, u in _form_cases()]
)
def test_hostile_posts_never_fail_save_nothing_on_error_and_leak_nothing(
    world, forms, client, db, exceptions, name, user
):
    client.raise_request_exception = False
    found = forms["post"].get(name, {"urls": {}, "fields": {}})
    target = _Target(world, found, name, user, FORM_ROUTES[name])

    def rows_may_change(status):
        # A redirect is a success (or a refusal told by a message); a page
        # shown again is a form error, which saves nothing.
        return status not in (200, 400) or name in ROWS_MAY_CHANGE_ON_A_PAGE

    @FUZZ_SETTINGS
    @given(
        data=_posts(target.fields, target.outsider_ids, target.dates),
        into_outsider=st.booleans(),
    )
    def post(data, into_outsider):
        target.send(
            client, exceptions, "post", data, into_outsider, rows_may_change=rows_may_change
        )

    post()


# Query parameters the views read besides their filter forms' fields.
QUERY_PARAMETERS = ("page", "sort", "export", "figure", "member", "next", "q", "format", "reason")


def _page_cases():
    """(route name, cast member) for every page and every member who may open it."""
    cases = []
    for name, access in sorted(ACCESS.items()):
        if access.get != PAGE or name not in ROUTES_BY_NAME:
            continue
        for user, role in ROLE_OF.items():
            if role in access.roles:
                cases.append((name, user))
    return cases


@pytest.mark.parametrize(
    ("name", "user"), _page_cases(), ids=[f"{n}-{u}" for n, u in _page_cases()]
)
def test_hostile_query_strings_never_fail_write_nothing_and_leak_nothing(
    world, forms, client, db, exceptions, name, user
):
    """Filters, sorting, paging and exports read the query string: hostile
    values there get a page (or a form error), never a 500, and a GET writes
    nothing but the audit trail."""
    client.raise_request_exception = False
    found = forms["get"].get(name, {"urls": {}, "fields": {}})
    target = _Target(world, found, name, user, QUERY_PARAMETERS)
    if found["urls"].get(user) is None:
        target.url = _url(world, ROUTES_BY_NAME[name])

    @FUZZ_SETTINGS
    @given(
        data=_posts(target.fields, target.outsider_ids, target.dates),
        into_outsider=st.booleans(),
    )
    def get(data, into_outsider):
        target.send(client, exceptions, "get", data, into_outsider, rows_may_change=lambda s: False)

    get()


# --- far dates in every date field --------------------------------------------------------

# Date fields of the project's forms that no page of the world shows as a
# date input, with the reason (every other one must be reached).
DATE_FIELDS_NOT_SHOWN = {
    "since": "the disclosure ledger's period is typed into its URL: test_date_horizon.py",
    "until": "the disclosure ledger's period is typed into its URL: test_date_horizon.py",
}


def _far_date_sends(world, forms, method):
    """(target, data) for every far date in every date input of every form of
    `method`, the other fields holding the first value the page offers."""
    for name, found in sorted(forms[method].items()):
        if not found["dates"] or name.startswith("admin:"):
            continue
        user = next(user for user in ROLE_OF if user in found["urls"])
        target = _Target(world, found, name, user, FORM_ROUTES.get(name, ()))
        base = {field: values[0] if values else "" for field, values in target.fields.items()}
        for field in sorted(target.dates):
            for value in FAR_DATES:
                yield target, {**base, field: value}


def _dates_outside_the_horizon():
    # Updates too (a session moved to year 10000 adds no row): every date column.
    return [f"{row.label} {row.field} = {row.value}" for row in check_data.rows_outside_horizon()]


@pytest.mark.parametrize("method", ["post", "get"])
def test_far_dates_in_every_date_field_are_refused_without_a_server_error(
    world, forms, client, db, exceptions, method
):
    """Whatever the status (a form shown again, a redirect with a message, a
    400), a date outside the horizon saves nothing, stores no such date in
    any row, and fails nothing."""
    client.raise_request_exception = False
    assert _dates_outside_the_horizon() == []
    failures, sent = [], 0
    for target, data in _far_date_sends(world, forms, method):
        sent += 1
        try:
            target.send(
                client,
                exceptions,
                method,
                data,
                False,
                rows_may_change=lambda s: False,
                stored=_dates_outside_the_horizon,
            )
        except AssertionError as failure:
            failures.append(str(failure).splitlines()[0])

    assert sent >= (40 if method == "post" else 8), "too few date inputs were found"
    assert failures == []


def test_every_date_field_of_the_forms_is_reached_by_the_fuzzing(forms):
    from tests.security.test_date_horizon import _date_fields, _project_forms

    declared = {name for form in _project_forms() for name in _date_fields(form)}
    shown = {
        field for method in forms.values() for found in method.values() for field in found["dates"]
    }

    assert sorted(declared - shown - set(DATE_FIELDS_NOT_SHOWN)) == []


def _client_in(url, world):
    """The client id a URL addresses (one of the world's clients)."""
    for client in (world.main, world.in_screening, world.in_aftercare):
        if str(client.public_id) in url:
            return client.public_id
    raise AssertionError(f"{url} names none of the world's clients")


# --- what the fuzzing found, kept as plain examples -------------------------------------

KNOWN_HOSTILE = [
    # AuthenticationForm declares no validator for its max_length: an overlong
    # name reached the failed-login record (255 characters) and failed there.
    ("accounts:login", None, {}, {"username": "A" * 10_000, "password": "x"}),
    ("accounts:login", None, {}, {"username": "a\x00b", "password": "x\x00"}),
    # "²".isdigit() is true, int("²") raises: ids are read as ASCII digits.
    ("reminders:notification-mark-read", "counselor_a", {}, {"id": "²"}),
    ("clients:plan-add", "counselor_a", {"part": "goal"}, {"parent": "²", "statement": "x"}),
    (
        "clients:plan-add",
        "counselor_a",
        {"part": "problem"},
        {"statement": "x", "diagnoses": ["not-a-uuid", "²"]},
    ),
    (
        "clients:diagnosis-add-sud",
        "counselor_a",
        {},
        {"substance_class": "opioid", "criteria_met": ["²", "craving"], "date_made": "2026-01-01"},
    ),
    ("clients:diagnosis-add-code", "counselor_a", {}, {"icd10_code": "F" * 10, "date_made": "x"}),
    ("clients:plan-objective-status", "counselor_a", {}, {"objective": "²", "status": "met"}),
    ("groups:client-groups", "supervisor", {}, {"enrollment": "²"}),
    # The lockout table's address column is inet.
    ("accounts:lockout-unlock", "administrator", {}, {"username": "a", "ip_address": "A" * 300}),
]


@pytest.mark.parametrize(
    ("name", "user", "values", "data"),
    KNOWN_HOSTILE,
    ids=[f"{name}-{next(iter(data.values()))[:3]!r}" for name, _, _, data in KNOWN_HOSTILE],
)
def test_known_hostile_posts_get_an_answer_not_a_server_error(
    world, client, db, name, user, values, data
):
    client.raise_request_exception = False
    if user:
        client.force_login(world.users[user])
    route = ROUTES_BY_NAME[name]
    url = _url(world, route)
    if values:
        filled = {k: v for k, v in world.values.items() if k in route.kwargs}
        url = route.url(**{**filled, **values})

    response = client.post(url, data)

    # 404: the id names no record of this client, as for any unknown id.
    assert response.status_code in (200, 302, 400, 404)


def test_a_nul_in_a_parameter_a_view_reads_itself_is_a_400(world, client, db):
    """The drop-in search put its text straight into a query: PostgreSQL
    refuses a NUL there, so every request holding one is refused first."""
    client.raise_request_exception = False
    client.force_login(world.users["counselor_a"])
    search = ROUTES_BY_NAME["groups:session-drop-in-search"]

    answers = [
        client.get(_url(world, search), {"q": "ab\x00"}),
        client.get("/clients/", {"q": "\x00"}),
        client.post(_url(world, ROUTES_BY_NAME["clients:note-addendum"]), {"text": "\x00"}),
        client.get("/clients/", {"\x00": "x"}),
    ]

    assert [answer.status_code for answer in answers] == [400, 400, 400, 400]


def test_a_drill_down_with_a_reason_int_refuses_is_an_empty_list(world, client, db):
    client.raise_request_exception = False
    client.force_login(world.users["supervisor"])

    response = client.get("/program/clients/", {"figure": "reason", "reason": "²"})

    assert response.status_code in (200, 400)
