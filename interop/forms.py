"""The administrator's form for registering an API client. It reads and
normalises what was typed; interop.services.api_client_register checks the
keys and the scopes and says what is wrong, field by field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from interop.models import ApiClient
from interop.services import RECIPIENT_KINDS, scope_choices
from iop.formtools import choose

JWKS_EXAMPLE = '{"keys": [{"kty": "EC", "crv": "P-384", "kid": "...", "x": "...", "y": "..."}]}'


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label=_("System name"),
        max_length=200,
        help_text=_("What the system is, as staff will recognise it (Clinic data warehouse)."),
    )
    organization = forms.CharField(
        label=_("Recipient organization"),
        max_length=200,
        help_text=_(
            "As the clients' consents name it: a consent to this organization, of this kind "
            "and for this purpose, is what lets the system read a client's record."
        ),
    )
    recipient_kind = forms.ChoiceField(label=_("Recipient kind"), choices=choose(RECIPIENT_KINDS))
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=choose(ApiClient.Purpose.choices),
        help_text=_(
            "Program-internal: the program's own system, which reads every client (audited). "
            "Any other purpose reads only what each client's consents allow."
        ),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The resource types the system may read and search (system/*.rs: all)."),
    )
    jwks = forms.CharField(
        label=_("Public keys (JWKS)"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace", "spellcheck": "false"}),
        help_text=_(
            "The JSON Web Key Set the system signs its token requests with: public RS384 or "
            "ES384 keys, each with a kid. Never a private key."
        ),
    )
    contact = forms.CharField(
        label=_("Technical contact"),
        max_length=300,
        help_text=_("Who to call about the system: a name, an email address or a phone number."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(scope, scope) for scope in scope_choices()]
        self.fields["jwks"].widget.attrs["placeholder"] = JWKS_EXAMPLE
