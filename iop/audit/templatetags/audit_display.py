"""The audit trail's details in words: "Label: value" lines, not a dictionary."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Keys written by the services, in words; any other key is shown with its
# underscores as spaces.
DETAIL_LABELS = {
    "cosigned": _("Co-signed"),
    "discharge_reason": _("Discharge reason (TEDS)"),
    "drop_in": _("Drop-in"),
    "ip_address": _("IP address"),
    "level_of_care": _("Level of care"),
    "mfa": _("Two-factor method"),
    "primary_counselor": _("Primary counselor"),
    "re_engagement": _("Re-engagement"),
    "service_code": _("Service code"),
    "sms_consent": _("Text reminder consent"),
}
# Keys whose values are codes ("authenticator_replaced"), shown as words; other
# values (usernames, dates, identifiers) are shown exactly as written.
CODE_KEYS = frozenset(
    {
        "categories",
        "change",
        "document",
        "drug",
        "family_attendance",
        "kind",
        "list",
        "mfa",
        "outcome",
        "phase",
        "recipient_kind",
        "relationship",
        "status",
    }
)


def _words(value, *, code: bool = False) -> str:
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(_words(item, code=code) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{_label(key)}: {_value(key, item)}" for key, item in value.items())
    return str(value).replace("_", " ") if code else str(value)


def _value(key: str, value) -> str:
    return _words(value, code=key in CODE_KEYS)


def _label(key: str) -> str:
    return str(DETAIL_LABELS.get(key) or key.replace("_", " ").capitalize())


@register.filter
def detail_lines(details) -> list[tuple[str, str]]:
    """(label, value) for each key of an event's details, in their order."""
    if not isinstance(details, dict):
        return [] if not details else [(str(_("Details")), _words(details))]
    return [(_label(key), _value(key, value)) for key, value in details.items()]
