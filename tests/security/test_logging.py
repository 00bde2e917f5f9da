"""No client data in logs or error pages (DOMAIN.md section 10): an error in a
client view is logged by the handler configured in settings.LOGGING without
the client's name, date of birth or note text, and the page says nothing."""

import io
import logging
import sys

import pytest
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import IntegrityError
from django.template.loader import get_template
from django.test import Client, RequestFactory
from django.urls import reverse

from iop.celery import _redact_worker_logs
from iop.clients.views import records
from iop.logging import RedactClientDataFilter, SafeExceptionReporterFilter, safe_traceback

NOTE = "Relapsed at her sister's wedding; using again since Friday"


@pytest.fixture
def configured_log():
    """The output of the root logger's configured handler (the one production
    writes through), redirected to a buffer for the test."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RedactClientDataFilter) for f in handler.filters)
    ]
    assert handlers, "the root logger has no handler carrying the redaction filter"
    buffer = io.StringIO()
    previous = [handler.setStream(buffer) for handler in handlers]
    yield buffer
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


def _client_data(client) -> list[str]:
    dob = client.date_of_birth
    return [
        client.legal_last_name,
        client.legal_first_name,
        dob.isoformat(),
        dob.strftime("%m/%d/%Y"),
        repr(dob),
        NOTE,
        "sister's wedding",
    ]


def _error_quoting(client) -> IntegrityError:
    return IntegrityError(
        "duplicate key value violates unique constraint\n"
        f"DETAIL:  Key (legal_last_name, date_of_birth)=({client.legal_last_name}, "
        f"{client.date_of_birth.isoformat()}) already exists. Note: {NOTE}"
    )


def test_an_error_in_the_chart_is_logged_without_the_clients_data(
    login, counselor1, client_of_counselor1, monkeypatch, configured_log, settings
):
    settings.DEBUG = False
    client = client_of_counselor1

    def failing_chart_context(request, chart_client, **kwargs):
        raise _error_quoting(chart_client)

    monkeypatch.setattr(records, "chart_context", failing_chart_context)
    browser = login(counselor1)
    browser.raise_request_exception = False
    url = reverse("clients:client-detail", args=[client.public_id])

    response = browser.get(url, {"q": client.legal_last_name, "dob": client.date_of_birth})

    assert response.status_code == 500
    page = response.content.decode()
    assert page == get_template("500.html").render()
    logged = configured_log.getvalue()
    assert f"Internal Server Error: {url}" in logged
    assert "django.db.utils.IntegrityError: [message removed]" in logged
    assert "failing_chart_context" in logged  # the frames are kept
    for value in _client_data(client):
        assert value not in logged
        assert value not in page


def test_a_failed_form_post_is_logged_without_what_was_typed(
    login, supervisor, client_of_counselor1, monkeypatch, configured_log, settings
):
    settings.DEBUG = False
    client = client_of_counselor1

    def failing_form(data=None, **kwargs):
        raise ValueError(f"cannot save {data.get('legal_last_name')}: {data.get('notes')}")

    monkeypatch.setattr(records, "ClientForm", failing_form)
    browser = login(supervisor)
    browser.raise_request_exception = False

    response = browser.post(
        reverse("clients:client-update", args=[client.public_id]),
        {
            "legal_last_name": client.legal_last_name,
            "legal_first_name": client.legal_first_name,
            "date_of_birth": client.date_of_birth.isoformat(),
            "notes": NOTE,
        },
    )

    assert response.status_code == 500
    logged = configured_log.getvalue()
    assert "ValueError: [message removed]" in logged
    for value in _client_data(client):
        assert value not in logged
        assert value not in response.content.decode()


def test_every_configured_handler_carries_the_redaction_filter():
    filter_names = {
        name
        for name, spec in settings.LOGGING.get("filters", {}).items()
        if spec.get("()") == "iop.logging.RedactClientDataFilter"
    }
    assert filter_names
    for name, handler in settings.LOGGING["handlers"].items():
        assert filter_names & set(handler.get("filters", [])), name
    # And on the live loggers Django configures (its defaults would add an
    # unfiltered console and mail handler): only the test runner's own capture
    # handlers are exempt.
    names = ["", "django", "django.request", "django.server", "django.security", "py.warnings"]
    loggers = [logging.getLogger(name) for name in names]
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, logging.NullHandler):
                continue  # writes nothing
            if type(handler).__module__.startswith("_pytest"):
                continue
            assert any(isinstance(f, RedactClientDataFilter) for f in handler.filters), (
                logger.name,
                handler,
            )


def test_django_does_not_mail_error_reports():
    assert settings.ADMINS == []
    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER == "iop.logging.SafeExceptionReporterFilter"


def _record(name="iop.test", msg="%s", args=(), exc=None, **extra):
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    record = logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, exc_info)
    record.__dict__.update(extra)
    return record


def _formatted(record) -> str:
    RedactClientDataFilter().filter(record)
    return logging.Formatter("%(name)s %(message)s").format(record)


def _raised(exc):
    try:
        raise exc
    except Exception as caught:
        return caught


def test_the_filter_removes_query_strings_from_request_lines():
    text = _formatted(
        _record("django.server", '"%s" %s', ("GET /clients/?q=Smith&dob=1984-03-09 HTTP/1.1", 200))
    )
    assert text == 'django.server "GET /clients/?[query removed] HTTP/1.1" 200'


def test_the_filter_keeps_no_sql_text_or_parameters():
    record = _record(
        "django.db.backends",
        "(%.3f) %s; args=%s; alias=%s",
        (0.0042, "SELECT 1 WHERE legal_last_name = 'Smith'", ("Smith",), "default"),
        duration=0.0042,
        sql="SELECT 1 WHERE legal_last_name = 'Smith'",
        params=("Smith",),
    )
    text = _formatted(record)
    assert "Smith" not in text
    assert record.sql is None and record.params is None
    assert "4.2 ms" in text


def test_the_filter_replaces_an_exception_message_quoted_in_the_log_message():
    # Celery's task failure record: "Task name[id] raised unexpected: <exc>".
    exc = _raised(KeyError("Maria Smith 1984-03-09"))
    record = _record(
        "celery.app.trace",
        "Task %(name)s[%(id)s] %(description)s: %(exc)s",
        ({"name": "t", "id": "1", "description": "raised unexpected", "exc": repr(exc)},),
        exc=exc,
        data={"args": ["Maria Smith"]},
    )
    text = _formatted(record)
    assert "Maria" not in text and "1984" not in text
    assert "KeyError(message removed)" in text
    assert record.data is None


def test_chained_exceptions_keep_their_classes_and_lose_their_messages():
    name, note = "Maria Smith", "note: relapsed"  # source lines are kept, values are not
    try:
        try:
            raise ValueError(name)
        except ValueError as inner:
            raise RuntimeError(note) from inner
    except RuntimeError as outer:
        text = safe_traceback(outer)
    assert "ValueError: [message removed]" in text
    assert "RuntimeError: [message removed]" in text
    assert "Maria" not in text and "relapsed" not in text
    assert "test_chained_exceptions_keep_their_classes_and_lose_their_messages" in text


def test_a_record_with_a_request_reaches_no_handler_with_it():
    request = RequestFactory().post("/clients/x/edit/", {"notes": NOTE})
    record = _record("django.request", "Internal Server Error: %s", ("/clients/x/edit/",))
    record.request = request
    _formatted(record)
    assert record.request is None


def test_the_filter_never_drops_a_record_even_a_broken_one():
    record = _record("iop.test", "%s %s", ("only one",))  # a formatting error
    assert RedactClientDataFilter().filter(record) is True
    assert "could not be redacted" in record.getMessage()


def test_error_reports_hide_every_post_value_and_local_variable(settings):
    settings.DEBUG = False
    request = RequestFactory().post("/clients/x/edit/", {"notes": NOTE, "legal_last_name": "X"})
    reporter_filter = SafeExceptionReporterFilter()
    cleansed = reporter_filter.get_post_parameters(request)
    assert set(cleansed.values()) == {reporter_filter.cleansed_substitute}
    frame = sys._getframe()
    assert reporter_filter.get_traceback_frame_variables(request, frame) == [
        ("(local variables)", reporter_filter.cleansed_substitute)
    ]


def test_a_form_posted_without_its_csrf_token_gets_the_plain_expired_page(
    supervisor, client_of_counselor1
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(supervisor)
    response = browser.post(
        reverse("clients:client-update", args=[client_of_counselor1.public_id]),
        {"legal_last_name": "Whitfield-Oduya", "notes": NOTE},
    )
    assert response.status_code == 403
    assert response.content.decode() == get_template("403_csrf.html").render()


@pytest.mark.parametrize("name", ["400.html", "403_csrf.html", "500.html"])
def test_pages_rendered_without_a_request_use_no_context(name):
    # Django renders these without a request context: they must show a fixed
    # text and can show no data.
    source = get_template(name).template.source
    assert "{{" not in source and "{%" not in source


def test_a_disallowed_host_is_still_named_for_the_operators():
    exc = _raised(DisallowedHost("Invalid HTTP_HOST header: 'evil.example'."))
    text = _formatted(_record("django.security.DisallowedHost", "%s", (str(exc),), exc=exc))
    assert "evil.example" in text


def test_the_worker_log_handlers_get_the_filter():
    logger = logging.getLogger("tests.worker")
    handler = logging.StreamHandler(io.StringIO())
    logger.addHandler(handler)
    try:
        _redact_worker_logs(logger=logger)
        assert any(isinstance(f, RedactClientDataFilter) for f in handler.filters)
    finally:
        logger.removeHandler(handler)


def test_the_web_servers_access_log_leaves_out_query_strings_and_referers():
    config: dict = {}
    source = (settings.BASE_DIR / "gunicorn.conf.py").read_text()
    exec(compile(source, "gunicorn.conf.py", "exec"), config)  # noqa: S102 - the project's file
    log_format = config["access_log_format"]
    assert "%(U)s" in log_format  # the path alone
    for atom in ("%(r)s", "%(q)s", "%(f)s", "}i)s"):
        assert atom not in log_format


def test_the_sign_in_page_is_not_cached(client):
    # It carries a CSRF token; signed-in pages are covered in tests/test_routes.py.
    response = client.get(reverse("accounts:login"))
    assert "no-store" in response["Cache-Control"]
