"""No form guesses an answer: every choice a person makes on a form of the
program starts unanswered. A choice field has no initial value, and a select
starts with an empty option (without one the browser shows, and posts, its
first option as if chosen). The few choices that are not clinical or TEDS
answers and start from a stated value are listed below with the reason."""

from types import SimpleNamespace

import pytest
from django import forms
from django.urls import get_resolver
from django.utils import timezone

from billing.models import Coverage
from family.models import FamilyMember
from groups.models import RecurringGroup, Track
from iop.clients.models import Client, Objective
from screening.instruments import REGISTRY
from screening.models import ReferralSubstance, Screening

PROJECT_PACKAGES = (
    "iop.",
    "screening.",
    "groups.",
    "family.",
    "aftercare.",
    "billing.",
    "outcomes.",
    "interop.",
)

# (form, field prefix) -> why it may start from a value.
STATED_DEFAULTS = {
    # DOMAIN.md 5a: a group is documented by exception, every roster client
    # starts present; the page's undo and action count depend on it.
    ("groups.forms.SessionForm", "status_"): "attendance by exception",
    # A toggle posted by a button; never shown as a select.
    ("groups.forms.ToggleForm", "status"): "posted by a button",
    ("family.forms.FamilyAttendanceForm", "status"): "posted by a button",
    # How the consent was signed, not a clinical answer: the on-screen
    # confirmation is the method the form itself offers.
    ("family.forms.ConsentForm", "signature_method"): "the form's own signing method",
    # Model defaults of settings, not answers: the language reminders are
    # written in, and where a booked appointment takes place.
    ("iop.clients.forms.ClientForm", "preferred_language"): "reminder language",
    ("family.forms.FamilyMemberForm", "preferred_language"): "reminder language",
    ("iop.clients.clinical_forms.AppointmentForm", "mode"): "the clinic's usual mode",
    # The program's usual panel (DRUG_TEST_SPECIMEN), a setting that makes a
    # routine test two actions; results themselves start empty.
    ("iop.clients.clinical_forms.DrugTestForm", "specimen"): "the program's usual panel",
    # A payer's billing rules are settings (DOMAIN.md section 13): a new
    # payer starts from the usual rule, H0005 for groups, H0004 for sessions.
    ("billing.forms.payers.PayerForm", "group_code"): "the usual billing rule",
    ("billing.forms.payers.PayerForm", "individual_code_basis"): "the usual billing rule",
    ("billing.forms.payers.PayerForm", "claim_span"): "the usual billing rule",
    # The measurement plan is program data: a new line starts from the
    # plan's usual way of giving a measure (a self-report link).
    ("outcomes.forms.PlanEntryForm", "method"): "the plan's usual method",
    # The language the clinic tablet shows the questions in, not an answer.
    ("outcomes.forms.KioskStartForm", "language"): "display language",
}


def _project_forms():
    get_resolver().url_patterns  # noqa: B018 - imports every view, and so every form
    seen, stack = [], [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith(PROJECT_PACKAGES) and sub not in seen:
                seen.append(sub)
    return sorted(seen, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _kwargs(cls) -> dict:
    """What each form that needs context is built with: empty where it can be."""
    session = SimpleNamespace(summary="", duration_minutes=90, starts_at=timezone.now())
    roster = [SimpleNamespace(client=SimpleNamespace(pk=0), attendance=None, named=True)]
    return {
        "groups.forms.SessionForm": {"session": session, "roster": roster},
        "groups.forms.DropInForm": {"clients": Client.objects.none()},
        "groups.forms.AddSessionForm": {"group": RecurringGroup(track=Track.objects.first())},
        "groups.forms.EnrollmentGroupForm": {"track": None},
        "family.forms.LinkMemberForm": {"members": FamilyMember.objects.none()},
        "family.forms.ConsentForm": {"members": FamilyMember.objects.none()},
        "family.forms.ConjointForm": {"members": FamilyMember.objects.none()},
        "screening.forms.CompletionForm": {"screening": Screening()},
        "screening.forms.InstrumentForm": {"instrument": next(iter(REGISTRY.values()))},
        "outcomes.forms.QuestionnaireForm": {"instrument": next(iter(REGISTRY.values()))},
        "screening.forms.SubstanceForm": {"rank": ReferralSubstance.Rank.SECONDARY},
        "iop.clients.clinical_forms.SessionNoteForm": {"objectives": Objective.objects.none()},
        "iop.accounts.mfa.forms.ReauthForm": {"request": None, "with_code": False},
        "iop.clients.diagnosis_forms.DischargeDiagnosisForm": {"diagnoses": []},
        "iop.clients.diagnosis_forms.ProblemForm": {"episode": None},
        "billing.forms.authorizations.AuthorizationForm": {"coverages": Coverage.objects.none()},
    }.get(_name(cls), {})


def _choice_fields():
    for cls in _project_forms():
        form = cls(**_kwargs(cls))
        for name, field in form.fields.items():
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField | forms.MultipleChoiceField
            ):
                yield cls, form, name, field


def _stated(cls, name) -> bool:
    return any(_name(cls) == form and name.startswith(prefix) for form, prefix in STATED_DEFAULTS)


@pytest.mark.django_db
def test_the_walk_finds_the_forms_that_used_to_guess():
    names = {_name(cls) for cls in _project_forms()}

    assert {
        "aftercare.forms.DischargeForm",
        "screening.forms.CompletionForm",
        "screening.forms.SubstanceForm",
        "screening.forms.DimensionRatingsForm",
        "iop.clients.clinical_forms.DrugTestForm",
    } <= names


@pytest.mark.django_db
def test_no_choice_field_of_a_form_has_an_initial_value():
    guessed = [
        f"{_name(cls)}.{name} = {form.get_initial_for_field(field, name)!r}"
        for cls, form, name, field in _choice_fields()
        if form.get_initial_for_field(field, name) not in (None, "") and not _stated(cls, name)
    ]

    assert guessed == [], "\n".join(guessed)


@pytest.mark.django_db
def test_every_select_starts_with_an_empty_option():
    preselected = [
        f"{_name(cls)}.{name}"
        for cls, form, name, field in _choice_fields()
        if type(field.widget) is forms.Select
        and not field.disabled
        and list(field.choices)[:1] != []
        and list(field.choices)[0][0] not in ("", None)
        and not _stated(cls, name)
    ]

    assert preselected == [], "\n".join(preselected)
