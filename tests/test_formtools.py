"""How a service's ValidationError reaches the user (iop/formtools.py):
on the form, or as one message per error for an action that redirects."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from iop import horizon
from iop.formtools import (
    add_service_errors,
    form_saved,
    message_form_outcome,
    message_outcome,
    message_service_errors,
    plain_text_400,
)


class NoteForm(forms.Form):
    text = forms.CharField()


class DateForm(forms.Form):
    day = horizon.HorizonDateField()


@pytest.fixture
def request_():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _messages(request) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(request)]


def _refuse(*texts):
    def call(*args):
        raise ValidationError(list(texts))

    return call


def _refuse_on(errors):
    def call(*args):
        raise ValidationError(errors)

    return call


def test_a_service_error_naming_a_field_goes_on_that_field_and_others_on_the_form():
    form = NoteForm({"text": "x"})
    form.is_valid()

    add_service_errors(form, ValidationError({"text": "Too short.", "elsewhere": "Locked."}))

    assert form.errors == {"text": ["Too short."], "__all__": ["Locked."]}


def test_a_page_that_is_only_shown_saves_nothing():
    calls = []
    request = RequestFactory().get("/")

    assert form_saved(request, NoteForm(), calls.append, success="Saved.") is False
    assert calls == []


def test_a_page_saves_a_valid_form_through_its_service(request_):
    calls = []

    assert form_saved(request_, NoteForm({"text": "Seen."}), calls.append, success="Saved.")
    assert calls == [{"text": "Seen."}]
    assert _messages(request_) == [("success", "Saved.")]


def test_a_page_the_service_refuses_shows_the_errors_on_its_form(request_):
    form = NoteForm({"text": "Seen."})

    saved = form_saved(
        request_, form, _refuse_on({"text": "Too late to change."}), success="Saved."
    )

    assert saved is False
    assert form.errors == {"text": ["Too late to change."]}
    assert _messages(request_) == []


def test_an_invalid_form_on_a_page_does_not_call_the_service(request_):
    calls = []
    form = NoteForm({})

    assert form_saved(request_, form, calls.append, success="Saved.") is False
    assert calls == []
    assert "text" in form.errors


def test_each_of_a_services_errors_is_its_own_message(request_):
    message_service_errors(request_, ValidationError(["Signed already.", "Not yours."]))

    assert _messages(request_) == [("error", "Signed already."), ("error", "Not yours.")]


def test_a_template_carries_each_error_as_its_reason(request_):
    message_service_errors(request_, ValidationError(["Expired."]), template="Refused: %(reason)s")

    assert _messages(request_) == [("error", "Refused: Expired.")]


def test_an_action_that_succeeds_says_so(request_):
    calls = []

    assert message_outcome(request_, lambda: calls.append(1), success="Done.") is True
    assert calls == [1]
    assert _messages(request_) == [("success", "Done.")]


def test_an_action_the_service_refuses_reports_every_error_and_no_success(request_):
    done = message_outcome(request_, _refuse("Signed already.", "Not yours."), success="Done.")

    assert done is False
    assert _messages(request_) == [("error", "Signed already."), ("error", "Not yours.")]


def test_an_invalid_form_does_not_call_the_service_and_says_what_to_do(request_):
    calls = []

    done = message_form_outcome(
        request_, NoteForm({}), calls.append, success="Signed.", invalid="Write the note."
    )

    assert done is False
    assert calls == []
    assert _messages(request_) == [("error", "Write the note.")]


def test_a_valid_form_passes_its_cleaned_data_to_the_service(request_):
    calls = []

    done = message_form_outcome(
        request_, NoteForm({"text": "Seen."}), calls.append, success="Signed.", invalid="Write."
    )

    assert done is True
    assert calls == [{"text": "Seen."}]
    assert _messages(request_) == [("success", "Signed.")]


def test_a_valid_form_the_service_refuses_reports_its_errors(request_):
    done = message_form_outcome(
        request_, NoteForm({"text": "Seen."}), _refuse("Locked."), success="Signed.", invalid="W."
    )

    assert done is False
    assert _messages(request_) == [("error", "Locked.")]


def test_a_date_outside_the_horizon_says_which_dates_are_possible(request_):
    message_form_outcome(
        request_,
        DateForm({"day": "1800-01-01"}),
        _refuse("never called"),
        success="Moved.",
        invalid="Give the new date.",
        date_field="day",
    )

    [(level, text)] = _messages(request_)
    assert level == "error"
    assert text != "Give the new date."
    assert "1900" in text


def test_a_download_asked_for_with_bad_input_is_a_plain_text_400():
    response = plain_text_400(["Too early.", "Too late."])
    empty = plain_text_400([], "Check the dates.")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "Too early. Too late."
    assert empty.content.decode() == "Check the dates."
