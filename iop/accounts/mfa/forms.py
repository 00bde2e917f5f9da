from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from iop.accounts.models import User


def _code_field(label, help_text=""):
    return forms.CharField(
        label=label,
        max_length=40,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class VerifyForm(forms.Form):
    code = _code_field(
        _("Verification code"),
        _("The six-digit code from your authenticator app, or one of your recovery codes."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Verify"), css_class="w-100"))


class EnrollForm(forms.Form):
    code = _code_field(
        _("Code from the app"),
        _("After adding the account, enter the six-digit code the app shows."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Turn on")))

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the six digits the app shows."))
        return code


class ReauthForm(forms.Form):
    """The password again, and a code when the user has MFA. The password is
    checked through authenticate(), so failed attempts are audited and
    throttled like those at the sign-in page."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args, request, with_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        if with_code:
            self.fields["code"] = _code_field(
                _("Verification code"),
                _("From your authenticator app, or one of your recovery codes."),
            )
            self.fields["code"].widget.attrs.pop("autofocus")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Confirm")))

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        checked = authenticate(self.request, username=user.get_username(), password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError(_("That is not your password."))
        return password


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=User._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))
