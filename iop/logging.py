"""Logging without client data (DOMAIN.md section 10: no client data in logs).

Log messages written by the project name records by id only. What the project
does not write itself can still carry client data: an exception's message
(PostgreSQL's "Key (legal_last_name)=(Smith) already exists", a provider's
error quoting a phone number, a ValueError repeating what was typed), the
request Django attaches to its error records (whose POST body holds notes and
names), query strings (the client search sends a name or a date of birth), and
the SQL parameters Django logs at DEBUG level.

RedactClientDataFilter sits on every handler in settings.LOGGING (and on the
Celery worker's handlers, see iop/celery.py). It rewrites each record before
any handler formats it:

- the message keeps its text with query strings removed, and any exception
  message in it replaced by the exception's class;
- a traceback keeps the exception classes and the frames (file, line,
  function, source line) but not the exceptions' messages (except Django's
  SuspiciousOperation, about the request's headers) or local variables;
- the request attached by Django is dropped, and SQL text and parameters of
  django.db.backends records are not kept.

SafeExceptionReporterFilter is Django's DEFAULT_EXCEPTION_REPORTER_FILTER: in
production every POST value and every frame's local variables are hidden from
any error report (ADMINS is empty, so none is mailed today).
"""

import logging
import re
import traceback

from django.core.exceptions import SuspiciousOperation
from django.views.debug import SafeExceptionReporterFilter as DjangoSafeExceptionReporterFilter

# "/path?query" in a message (a request line, a URL, a Referer): the query goes.
QUERY_STRING = re.compile(r"(?P<path>(?:https?://[^\s/?\"'<>]+)?/[^\s?\"'<>]*)\?[^\s\"'<>]*")
QUERY_REMOVED = "?[query removed]"


def redact_query_strings(text: str) -> str:
    return QUERY_STRING.sub(lambda match: match.group("path") + QUERY_REMOVED, text)


def _exception_chain(exc: BaseException | None) -> list[BaseException]:
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return chain


def _message_is_kept(exc: BaseException) -> bool:
    # Django's SuspiciousOperation messages describe the request's metadata
    # (a disallowed Host header, an unsafe redirect), which operators need to
    # see; query strings in them are still removed.
    return isinstance(exc, SuspiciousOperation)


def _class_name(exc: BaseException) -> str:
    cls = type(exc)
    module = cls.__module__
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


def safe_traceback(exc: BaseException) -> str:
    """The traceback of exc and the exceptions it chains to, each as its
    frames and its class: the messages, which may quote data, are left out."""
    parts: list[str] = []
    for index, link in enumerate(reversed(_exception_chain(exc))):
        if index:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_list(traceback.extract_tb(link.__traceback__)))
        if _message_is_kept(link):
            parts.append(f"{_class_name(link)}: {redact_query_strings(str(link))}\n")
        else:
            parts.append(f"{_class_name(link)}: [message removed]\n")
    return "".join(parts).rstrip("\n")


class RedactClientDataFilter(logging.Filter):
    """Rewrites a record so that no handler can write client data. Never
    drops a record: the event is logged, its data is not."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_iop_redacted", False):
            return True
        try:
            self._redact(record)
        except Exception:  # a broken record must not hide the event itself
            record.msg, record.args = f"[{record.name} record could not be redacted]", ()
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        record._iop_redacted = True
        return True

    def _redact(self, record: logging.LogRecord) -> None:
        if record.name.startswith("django.db.backends"):
            # Query text and parameters hold whatever the query was about.
            duration = getattr(record, "duration", None)
            record.msg = "query of %s ms [text and parameters not logged]"
            record.args = (round(duration * 1000, 1) if isinstance(duration, float) else "?",)
            record.sql, record.params = None, None
        message = record.getMessage()
        exception = record.exc_info[1] if record.exc_info else None
        for link in _exception_chain(exception):
            if _message_is_kept(link):
                continue
            for text in {str(link), repr(link)}:
                if len(text) > 3:
                    message = message.replace(text, f"{_class_name(link)}(message removed)")
        record.msg, record.args = redact_query_strings(message), ()
        if exception is not None:
            record.exc_text = safe_traceback(exception)
            record.exc_info = None
        elif record.exc_text:
            # A formatted traceback from elsewhere: its messages cannot be told
            # apart from its frames, so only its last line's class is kept.
            last = record.exc_text.strip().splitlines()[-1]
            record.exc_text = f"[traceback removed] {last.split(':', 1)[0]}"
        # Django attaches the request to its error records; it must not reach
        # a handler (its POST body, cookies and query string hold data).
        if hasattr(record, "request"):
            record.request = None
        # Celery's failure records carry the task's context for other tools.
        if hasattr(record, "data"):
            record.data = None


def add_redaction_filter(logger: logging.Logger | None = None, **kwargs) -> None:
    """Puts the filter on every handler of logger (the root logger by
    default). Connected to Celery's after_setup_logger and
    after_setup_task_logger signals, which pass the logger they set up."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactClientDataFilter) for f in handler.filters):
            handler.addFilter(RedactClientDataFilter())


class SafeExceptionReporterFilter(DjangoSafeExceptionReporterFilter):
    """With DEBUG off, an error report shows no POST value and no local
    variable: any of them may be a client's name, date of birth or note."""

    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        cleansed = request.POST.copy()
        for key in cleansed:
            cleansed[key] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [("(local variables)", self.cleansed_substitute)]
