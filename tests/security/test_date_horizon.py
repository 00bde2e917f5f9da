"""Every date and datetime field of every form is bounded by the horizon
(iop/horizon.py), and report parameters outside it are a 400 with a message,
never a 500.

The forms are found, not listed: every module of the project's packages is
imported and every Form class defined there is read, with the admin's forms
of every registered model, so a new form cannot forget its bound."""

import importlib
import pkgutil

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from iop import horizon

PACKAGES = ("iop", "groups", "family", "aftercare", "screening")
DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)
# Enough to tell that the search found the forms (there are 27 such fields).
AT_LEAST = 25


def _import_project_modules() -> None:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if ".migrations" in module.name:
                continue
            importlib.import_module(module.name)


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _project_forms():
    _import_project_modules()
    return sorted(
        {form for form in _subclasses(forms.BaseForm) if form.__module__.startswith(PACKAGES)},
        key=lambda form: f"{form.__module__}.{form.__qualname__}",
    )


def _admin_forms(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    found = []
    for model, model_admin in admin.site._registry.items():
        for obj in (None, model()):
            found.append((f"admin {model._meta.label}", model_admin.get_form(request, obj)))
            for inline in model_admin.get_inline_instances(request, obj):
                formset = inline.get_formset(request, obj)
                found.append((f"admin inline {inline.model._meta.label}", formset.form))
    return found


def _date_fields(form_class):
    return {
        name: field
        for name, field in form_class.base_fields.items()
        if isinstance(field, DATE_FIELDS)
    }


def _bounded(field) -> bool:
    return any(isinstance(validator, horizon.HorizonValidator) for validator in field.validators)


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_every_date_and_datetime_field_of_every_form_is_bounded(superuser):
    named = [(f"{form.__module__}.{form.__qualname__}", form) for form in _project_forms()]
    fields = [
        (where, name, field)
        for where, form in [*named, *_admin_forms(superuser)]
        for name, field in _date_fields(form).items()
    ]

    unbounded = [f"{where}.{name}" for where, name, field in fields if not _bounded(field)]

    assert len(fields) >= AT_LEAST, "the search found too few forms"
    assert unbounded == [], (
        "bound these with a field of iop/horizon.py (e.g. horizon.PastDateField) or, in"
        " the admin, formfield_overrides = horizon.ADMIN_FORMFIELD_OVERRIDES"
    )


def test_the_admin_refuses_a_group_starting_beyond_the_horizon(superuser):
    from groups.models import RecurringGroup

    request = RequestFactory().get("/admin/")
    request.user = superuser
    form_class = admin.site._registry[RecurringGroup].get_form(request, None)

    form = form_class({"starts_on": "9999-12-31"})

    assert form.has_error("starts_on", code=horizon.HorizonValidator.code)


# --- report and query parameters -------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [{"end": "9999-12-31"}, {"start": "0001-01-01"}, {"start": "1899-12-31", "end": "2026-01-01"}],
)
def test_the_audit_trail_filtered_beyond_the_horizon_is_a_400_with_the_message(
    login, administrator, query
):
    browser = login(administrator)
    browser.raise_request_exception = False

    response = browser.get("/audit/", query)

    assert response.status_code == 400
    assert horizon.OUTER.error() in response.content.decode()


def test_the_disclosure_ledger_until_9999_is_a_400_with_the_message(login, administrator):
    browser = login(administrator)
    browser.raise_request_exception = False

    response = browser.get(reverse("family:ledger-export"), {"until": "9999-12-31"})

    assert response.status_code == 400
    assert response.content.decode() == horizon.OUTER.error()


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1899-12"])
@pytest.mark.parametrize("figure", ["admitted", "discharged", "lost"])
def test_a_drill_down_month_beyond_the_horizon_is_a_400_with_the_message(
    login, supervisor, figure, month
):
    browser = login(supervisor)
    browser.raise_request_exception = False

    response = browser.get("/program/clients/", {"figure": figure, "month": month, "days": "30"})

    assert response.status_code == 400
    assert response.content.decode() == horizon.OUTER.error()


def test_the_program_dashboard_reports_and_ignores_a_period_beyond_the_horizon(login, supervisor):
    browser = login(supervisor)
    browser.raise_request_exception = False

    response = browser.get("/program/", {"start": "0001-01-01", "end": "9999-12-31"})

    assert response.status_code == 200
    assert response.context["form"].has_error("end", code=horizon.HorizonValidator.code)
