"""Showing a service's ValidationError on the form that called it.

Services validate again what forms cannot know (the state of the record, a
row locked meanwhile); their errors name form fields where they can. Every
view reports them the same way through these two helpers."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from iop import horizon


def add_service_errors(form, error: ValidationError) -> None:
    """Attach each message to its field when the form has it, else to the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def message_service_errors(request, error: ValidationError) -> None:
    """For actions without a form of their own: one message per error."""
    for message in error.messages:
        messages.error(request, message)


def message_date_error(request, form, field: str, fallback: str) -> None:
    """For actions without a page of their own, when the form is invalid: a
    date outside the horizon (or in the future) says which dates are
    possible; anything else gets the action's own message."""
    if form.has_error(field, code=horizon.HorizonValidator.code):
        messages.error(request, form.errors[field][0])
    else:
        messages.error(request, fallback)
