"""Forms of the family app: they validate types and normalise; the services
check every rule (a consent's required elements) and say what is missing."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from family.models import Consent, DisclosureCategory, FamilyAttendance, FamilyLink, FamilyMember
from iop import horizon
from iop.formtools import choose

DATE = {"type": "date"}

REVOCATION_STATEMENT = _(
    "I understand that I may revoke this consent at any time, except to the extent that "
    "the program has already acted on it, by telling my counselor or any program staff "
    "member, orally or in writing. Revocation takes effect as soon as it is recorded."
)


class FamilyMemberForm(forms.ModelForm):
    relationship = forms.ChoiceField(
        label=_("Relationship to the client"), choices=choose(FamilyLink.Relationship.choices)
    )

    class Meta:
        model = FamilyMember
        fields = list(FamilyMember.DETAILS)
        labels = {
            "sms_consent": _("Agrees to text-message reminders"),
            "email_consent": _("Agrees to email reminders"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save family member")))
        self.helper.layout = Layout(
            Row(Column("first_name"), Column("last_name"), Column("relationship")),
            Row(Column("phone"), Column("email"), Column("preferred_language")),
            Fieldset(_("Contact"), "sms_consent", "email_consent"),
        )

    def member_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MemberSearchForm(forms.Form):
    """Find a person already known to the program (a sibling's parent)."""

    find = forms.CharField(
        label=_("Search by name, phone number or email"),
        max_length=100,
        required=False,
        help_text=_(
            "At least two letters of the first or last name, or the full phone number or "
            "email address."
        ),
    )


# The same words whether the person does not exist or is out of the user's reach.
NOT_FOUND = _("Choose a person found by the search.")


class LinkMemberForm(forms.Form):
    """Someone already family of another client (a sibling in treatment),
    chosen among a search's results. The posted choice is checked against
    everyone the user could have found (`members`), never listed whole."""

    member = forms.UUIDField(
        label=_("Person found"),
        widget=forms.RadioSelect,
        error_messages={"required": NOT_FOUND, "invalid": NOT_FOUND},
    )
    relationship = forms.ChoiceField(
        label=_("Relationship to this client"), choices=choose(FamilyLink.Relationship.choices)
    )
    # The search the choice came from, to show its results again on an error.
    find = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members if members is not None else FamilyMember.objects.none()
        self.offer([])

    def offer(self, found) -> None:
        """The choices shown: the search's results, by name only (nothing of
        the other client comes with the person)."""
        self.fields["member"].widget.choices = [(str(m.public_id), m.name) for m in found]

    def clean_member(self) -> FamilyMember:
        member = self.members.filter(public_id=self.cleaned_data["member"]).first()
        if member is None:
            raise forms.ValidationError(NOT_FOUND, code="invalid_choice")
        return member


class ConsentForm(forms.Form):
    recipient_kind = forms.ChoiceField(
        label=_("Recipient"), choices=Consent.RecipientKind.choices, widget=forms.RadioSelect
    )
    recipient_member = forms.ModelChoiceField(
        label=_("Family member"),
        queryset=FamilyMember.objects.none(),
        required=False,
        to_field_name="public_id",
    )
    recipient_name = forms.CharField(
        label=_("Recipient's name (outside party)"), required=False, max_length=200
    )
    recipient_organization = forms.CharField(
        label=_("Organization"), required=False, max_length=200
    )
    recipient_contact = forms.CharField(
        label=_("Recipient's address or contact"), required=False, max_length=300
    )
    discloser = forms.CharField(label=_("Who may disclose"), max_length=200, required=False)
    categories = forms.MultipleChoiceField(
        label=_("Information that may be disclosed"),
        choices=DisclosureCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(
        label=_("Specific description of what may be disclosed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    purpose = forms.CharField(
        label=_("Purpose of the disclosure"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    scope = forms.ChoiceField(
        label=_("Uses covered"),
        choices=Consent.Scope.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Left unanswered: the purpose described above only. Payment, or treatment, "
            "payment and health care operations: one consent for all such future uses "
            "(42 CFR 2.33(b)), e.g. for the client's health plan."
        ),
    )
    revocation_instructions = forms.CharField(
        label=_("Right to revoke and how"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    expires_on = horizon.PlannedDateField(
        label=_("Expires on"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    expiry_event = forms.CharField(
        label=_("Or expires on this event"),
        required=False,
        max_length=200,
        help_text=_("For example: discharge from the program, end of probation."),
    )
    signed_on = horizon.PastDateField(
        label=_("Date signed"),
        widget=forms.DateInput(attrs=DATE),
        late_message=_("The signature date cannot be in the future."),
    )
    signature_name = forms.CharField(
        label=_("Signed by (typed name)"), max_length=200, required=False
    )
    signature_method = forms.ChoiceField(
        label=_("Signature"),
        choices=Consent.SignatureMethod.choices,
        widget=forms.RadioSelect,
        initial=Consent.SignatureMethod.CONFIRMED,
    )
    signature_drawing = forms.CharField(required=False, widget=forms.HiddenInput)
    signature_confirmed = forms.BooleanField(
        label=_("The client confirmed the typed name above as their electronic signature"),
        required=False,
    )

    def __init__(self, *args, members, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault(
            "discloser", _("%s (the program's clinical staff)") % settings.PROGRAM_NAME
        )
        kwargs["initial"].setdefault("revocation_instructions", REVOCATION_STATEMENT)
        kwargs["initial"].setdefault("signed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["recipient_member"].queryset = members
        self.fields["recipient_member"].label_from_instance = lambda member: member.name
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Record consent")))
        self.helper.layout = Layout(
            Fieldset(
                _("Recipient"),
                "recipient_kind",
                "recipient_member",
                Row(Column("recipient_name"), Column("recipient_organization")),
                "recipient_contact",
            ),
            Fieldset(
                _("What, by whom, and why"),
                "discloser",
                "categories",
                "description",
                "purpose",
                "scope",
            ),
            Fieldset(
                _("Revocation and expiry"),
                "revocation_instructions",
                Row(Column("expires_on"), Column("expiry_event")),
            ),
            Fieldset(
                _("Signature"),
                Row(Column("signed_on"), Column("signature_name")),
                "signature_method",
                Div(
                    HTML('{% include "family/includes/_signature_pad.html" %}'),
                    "signature_drawing",
                    css_class="mb-3",
                    data_signature_pad="",
                ),
                "signature_confirmed",
            ),
        )


class RevokeForm(forms.Form):
    note = forms.CharField(
        label=_("How the client revoked (e.g. orally in session, letter of 3 May)"),
        max_length=300,
    )


class FamilyAttendanceForm(forms.Form):
    member = forms.UUIDField()
    client = forms.UUIDField()
    status = forms.ChoiceField(choices=FamilyAttendance.Status.choices)


class ConjointForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        queryset=FamilyMember.objects.none(), required=False, to_field_name="public_id"
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members


class LedgerPeriodForm(forms.Form):
    since = horizon.QueryDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    until = horizon.QueryDateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs=DATE)
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data
