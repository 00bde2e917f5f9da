"""Showing a service's ValidationError on the form that called it.

Services validate again what forms cannot know (the state of the record, a
row locked meanwhile); their errors name form fields where they can. Every
view reports them the same way through these helpers: on the form of a page
(add_service_errors, and form_saved for the whole of a page's save), as
messages for an action that answers with a redirect back to the page it
came from (message_service_errors, and message_outcome /
message_form_outcome for the whole of such an action), or as a plain-text
400 for a download asked for with bad input (plain_text_400)."""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext_lazy as _

from iop import horizon


def add_service_errors(form, error: ValidationError) -> None:
    """Attach each message to its field when the form has it, else to the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def form_saved(request, form, call: Callable[[dict], Any], *, success: str) -> bool:
    """A page with a form: True once the posted `form` is valid and
    `call(form.cleaned_data)` (its one service) succeeded, with `success` as
    a message; the service's errors go on the form (add_service_errors),
    for the page to show it again."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, success)
    return True


def message_service_errors(request, error: ValidationError, *, template: str = "") -> None:
    """For actions without a form of their own: one message per error;
    `template`, when given, is a translated message that carries each error
    as %(reason)s."""
    for message in error.messages:
        messages.error(request, template % {"reason": message} if template else message)


def message_outcome(request, call: Callable[[], Any], *, success: str = "") -> bool:
    """An action without a form: `call()` calls its one service; the
    outcome is reported as messages, `success` or each of the service's
    errors. True when the service succeeded."""
    try:
        call()
    except ValidationError as error:
        message_service_errors(request, error)
        return False
    if success:
        messages.success(request, success)
    return True


def message_form_outcome(
    request,
    form,
    call: Callable[[dict], Any],
    *,
    success: str,
    invalid: str,
    date_field: str = "",
) -> bool:
    """An action whose small form has no page of its own (an addendum, a
    review note, a new date): when the posted `form` is valid,
    `call(form.cleaned_data)` calls the one service, reported as
    message_outcome does; an invalid form gets `invalid` (through
    message_date_error when `date_field` names its date). True when the
    service succeeded."""
    if not form.is_valid():
        if date_field:
            message_date_error(request, form, date_field, invalid)
        else:
            messages.error(request, invalid)
        return False
    return message_outcome(request, lambda: call(form.cleaned_data), success=success)


def message_date_error(request, form, field: str, fallback: str) -> None:
    """For actions without a page of their own, when the form is invalid: a
    date outside the horizon (or in the future) says which dates are
    possible; anything else gets the action's own message."""
    if form.has_error(field, code=horizon.HorizonValidator.code):
        messages.error(request, form.errors[field][0])
    else:
        messages.error(request, fallback)


def plain_text_400(errors: Iterable[str], fallback: str = "") -> HttpResponseBadRequest:
    """For a download or a list asked for with bad input (no page to show a
    form on): a 400 whose plain-text body says what was wrong."""
    return HttpResponseBadRequest(
        " ".join(errors) or fallback, content_type="text/plain; charset=utf-8"
    )


def choose(choices) -> list:
    """`choices` after an empty "Choose…" option. A required select without
    one shows its first option as the answer (the browser selects it), so a
    form that was never answered would post it; with it, the form asks."""
    return [("", _("Choose…")), *choices]


# An action that cannot be taken back (signing, cancelling, discharging) is
# sent by the confirmation dialog (templates/includes/_confirm_dialog.html)
# with this field set; without it the action changes nothing.
CONFIRM_FIELD = "confirm"


def require_confirmation(request, question: str) -> None:
    """Raise a ValidationError naming `question` unless the POST carries the
    dialog's explicit confirmation."""
    if request.POST.get(CONFIRM_FIELD) != "yes":
        raise ValidationError(question, code="unconfirmed")
