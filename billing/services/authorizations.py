"""Authorizations of a coverage and the utilization reviews on them.

Each service locks, validates, changes and audits in one transaction; bad
input is a ValidationError naming the field, and nothing is written.
Nothing here edits or deletes a row: a wrong authorization is corrected by
a new one (the wrong one is left to expire or be used up, and stays in the
history the charges drawn on it point to); units granted at a review are a
new authorization for the extension period that `extends` the reviewed one.

A utilization review sends clinical information to the payer: a disclosure
under 42 CFR Part 2. It needs a consent naming the payer whose scope is
payment or treatment, payment and health care operations (2.33(b), the
2024 rule), is decided by family's one disclosure_decision and written to
its ledger in the same transaction as the review, or refused.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from billing.codes import PROCEDURE_CODE_CHOICES
from billing.models import Authorization, Coverage, UtilizationReview
from family.consents import (
    ConsentState,
    Entry,
    Recipient,
    consent_state,
    disclosure_decision,
    disclosures_record,
)
from family.models import Consent, Disclosure, DisclosureCategory
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import LevelOfCare

PAYMENT_SCOPES = (Consent.Scope.PAYMENT, Consent.Scope.TPO)
GRANTING = (UtilizationReview.Decision.APPROVED, UtilizationReview.Decision.PARTIAL)
CODES = {code for code, _label in PROCEDURE_CODE_CHOICES}


def _day(value: date) -> str:
    return formats.date_format(value, "Y-m-d")


def _coverage_errors(coverage: Coverage, starts_on: date, ends_on: date) -> dict[str, str]:
    if starts_on < coverage.effective_from:
        return {
            "starts_on": _("The coverage starts on %(day)s: an authorization cannot start before.")
            % {"day": _day(coverage.effective_from)}
        }
    if coverage.effective_to is not None and ends_on > coverage.effective_to:
        return {
            "ends_on": _("The coverage ends on %(day)s: an authorization cannot end after.")
            % {"day": _day(coverage.effective_to)}
        }
    return {}


def _period_errors(data: dict, start: str, end: str) -> dict[str, str]:
    starts_on, ends_on = data.get(start), data.get(end)
    if starts_on is None:
        return {start: _("Give the first day.")}
    if ends_on is None:
        return {end: _("Give the last day.")}
    if ends_on < starts_on:
        return {end: _("The end cannot be before the start.")}
    return {}


def _authorization_errors(coverage: Coverage, data: dict) -> dict[str, str]:
    errors = {}
    if not (data.get("number") or "").strip():
        errors["number"] = _("Give the payer's authorization number.")
    codes = list(data.get("service_codes") or [])
    if not codes:
        errors["service_codes"] = _("Choose at least one service code.")
    elif unknown := [code for code in codes if code not in CODES]:
        errors["service_codes"] = _("Not a service code: %s.") % ", ".join(unknown)
    units = data.get("units_authorized")
    if units is None or units < 1:
        errors["units_authorized"] = _("An authorization covers at least one unit.")
    if data.get("level_of_care") and data["level_of_care"] not in LevelOfCare.values:
        errors["level_of_care"] = _("Choose one of the program's levels of care.")
    period = _period_errors(data, "starts_on", "ends_on")
    errors |= period or _coverage_errors(coverage, data["starts_on"], data["ends_on"])
    review = data.get("next_review_on")
    if not period and review is not None and not data["starts_on"] <= review <= data["ends_on"]:
        errors["next_review_on"] = _("The next review falls within the authorization's dates.")
    return errors


def _create(actor, coverage, data, *, extends=None, request=None) -> Authorization:
    authorization = Authorization.objects.create(
        coverage=coverage,
        number=data["number"].strip(),
        service_codes=list(dict.fromkeys(data["service_codes"])),
        units_authorized=data["units_authorized"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        level_of_care=data.get("level_of_care") or "",
        reviewer_name=(data.get("reviewer_name") or "").strip(),
        reviewer_contact=(data.get("reviewer_contact") or "").strip(),
        next_review_on=data.get("next_review_on"),
        extends=extends,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        client=coverage.client,
        obj=authorization,
        request=request,
        details={"units": authorization.units_authorized, "extends": extends is not None},
    )
    return authorization


def authorization_add(*, actor, coverage: Coverage, data: dict, request=None) -> Authorization:
    """Record a payer's authorization of a coverage; refused with the
    reasons (nothing written) when the input cannot be right."""
    with transaction.atomic():
        coverage = Coverage.objects.select_for_update().select_related("client").get(pk=coverage.pk)
        if errors := _authorization_errors(coverage, data):
            raise ValidationError(errors)
        return _create(actor, coverage, data, request=request)


# --- the payment consent ----------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentCover:
    """What billing staff may know of a consent: that it exists, its date
    and scope, never its content."""

    allowed: bool
    reason: str
    signed_on: date | None = None
    scope: str = ""


def _recipient(coverage: Coverage) -> Recipient:
    return Recipient(kind=Consent.RecipientKind.PAYER, name=coverage.payer.name)


def _payment_consents(coverage: Coverage) -> list[Consent]:
    return list(
        Consent.objects.filter(
            client_id=coverage.client_id,
            recipient_kind=Consent.RecipientKind.PAYER,
            scope__in=PAYMENT_SCOPES,
        )
    )


def payment_consent(coverage: Coverage, categories: list[str] | None = None) -> ConsentCover:
    """Whether a consent in effect now lets the coverage's payer receive
    information for payment: for each of `categories` when given (through
    disclosure_decision), else for any category (the newest in effect)."""
    consents = _payment_consents(coverage)
    recipient = _recipient(coverage)
    if categories:
        decisions = [
            disclosure_decision(
                client=coverage.client, category=category, recipient=recipient, consents=consents
            )
            for category in categories
        ]
        if refused := next((d for d in decisions if not d.allowed), None):
            return ConsentCover(False, refused.reason)
        chosen = decisions[0].consent
    else:
        chosen = next(
            (
                consent
                for consent in sorted(consents, key=lambda c: (c.signed_on, c.pk), reverse=True)
                if recipient.named_by(consent) and consent_state(consent) == ConsentState.ACTIVE
            ),
            None,
        )
    if chosen is None:
        return ConsentCover(
            False,
            _("No consent of the client to %(payer)s covering payment is in effect.")
            % {"payer": coverage.payer.name},
        )
    return ConsentCover(True, "", chosen.signed_on, chosen.get_scope_display())


# --- utilization review -----------------------------------------------------------------------


def _review_errors(authorization: Authorization, data: dict) -> dict[str, str]:
    errors = {}
    reviewed_on = data.get("reviewed_on")
    if reviewed_on is None:
        errors["reviewed_on"] = _("Give the date of the review.")
    elif reviewed_on > timezone.localdate():
        errors["reviewed_on"] = _("A review cannot be recorded before it happens.")
    required = {
        "reviewer": _("Name the payer's reviewer."),
        "information_sent": _("Say what was sent to the payer."),
    }
    errors |= {name: msg for name, msg in required.items() if not (data.get(name) or "").strip()}
    categories = list(data.get("categories_sent") or [])
    if not categories:
        errors["categories_sent"] = _("Choose what kind of information was sent.")
    elif [c for c in categories if c not in DisclosureCategory.values]:
        errors["categories_sent"] = _("Not a category of information that can be disclosed.")
    decision = data.get("decision")
    if decision not in UtilizationReview.Decision.values:
        errors["decision"] = _("Choose the payer's decision.")
    granted = data.get("units_granted") or 0
    if decision in GRANTING:
        if granted < 1:
            errors["units_granted"] = _("An approval grants at least one unit.")
        period = _period_errors(data, "extension_from", "extension_to")
        errors |= period or _coverage_errors(
            authorization.coverage, data["extension_from"], data["extension_to"]
        )
        if not period and data["extension_from"] <= authorization.starts_on:
            errors["extension_from"] = _("The extension starts after %(day)s.") % {
                "day": _day(authorization.starts_on)
            }
    elif granted:
        errors["units_granted"] = _("Only an approval grants units.")
    next_review = data.get("next_review_on")
    if next_review is not None and reviewed_on is not None and next_review <= reviewed_on:
        errors["next_review_on"] = _("The next review comes after this one.")
    return errors


def _disclose(actor, authorization: Authorization, review: UtilizationReview) -> Disclosure:
    coverage = authorization.coverage
    entry = Entry(
        client=coverage.client,
        recipient=_recipient(coverage),
        categories=review.categories_sent,
        description=_("Utilization review of authorization %(number)s")
        % {"number": authorization.number},
        reference=f"utilization-review:{review.public_id}",
    )
    try:
        disclosures_record(
            entries=[entry],
            path=Disclosure.Path.REVIEW,
            actor=actor,
            consents=_payment_consents(coverage),
        )
    except ValidationError as error:
        raise ValidationError(
            {
                "categories_sent": [
                    *error.messages,
                    _(
                        "Sending it needs the client's consent to %(payer)s for payment, or "
                        "for treatment, payment and health care operations."
                    )
                    % {"payer": coverage.payer.name},
                ]
            }
        ) from error
    # The ledger inserts without returning ids (ignore_conflicts): read it back.
    return Disclosure.objects.get(reference=entry.reference)


def utilization_review_record(
    *, actor, authorization: Authorization, data: dict, request=None
) -> UtilizationReview:
    """Record a review with the payer, the disclosure it made (refused
    without a payment consent), and the units granted as an extension."""
    with transaction.atomic():
        authorization = (
            Authorization.objects.select_for_update()
            .select_related("coverage__client", "coverage__payer")
            .get(pk=authorization.pk)
        )
        if errors := _review_errors(authorization, data):
            raise ValidationError(errors)
        review = UtilizationReview(
            authorization=authorization,
            reviewed_on=data["reviewed_on"],
            reviewer=data["reviewer"].strip(),
            information_sent=data["information_sent"].strip(),
            categories_sent=list(dict.fromkeys(data["categories_sent"])),
            decision=data["decision"],
            units_granted=data.get("units_granted") or 0,
            next_review_on=data.get("next_review_on"),
            recorded_by=actor,
        )
        review.disclosure = _disclose(actor, authorization, review)
        if review.decision in GRANTING:
            review.extension = _create(
                actor,
                authorization.coverage,
                {
                    "number": (data.get("extension_number") or "").strip() or authorization.number,
                    "service_codes": authorization.service_codes,
                    "units_authorized": review.units_granted,
                    "starts_on": data["extension_from"],
                    "ends_on": data["extension_to"],
                    "level_of_care": authorization.level_of_care,
                    "reviewer_name": review.reviewer,
                    "reviewer_contact": authorization.reviewer_contact,
                    "next_review_on": review.next_review_on,
                },
                extends=authorization,
                request=request,
            )
        review.save(force_insert=True)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=authorization.coverage.client,
            obj=review,
            request=request,
            details={"decision": review.decision, "categories": review.categories_sent},
        )
    return review
