"""Forms of the files received, the held payments and the denials."""

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.models import Denial, Payer
from billing.x12.inbound.reader import X12Refused, x12_kind
from iop.formtools import choose

# An 835 of a thousand lines is about 100 KB; 5 MB leaves room for the
# largest remittance a clinic gets, and stops a wrong file early.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class InboundUploadForm(forms.Form):
    file = forms.FileField(
        label=_("X12 file (999, 277CA or 835)"),
        help_text=_("A text file as the clearinghouse or payer sent it; up to 5 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        raw = upload.read()
        if not raw.strip():
            raise forms.ValidationError(_("The file is empty."))
        if b"\x00" in raw:
            raise forms.ValidationError(_("This is a binary file, not an X12 text file."))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        try:
            x12_kind(text)
        except X12Refused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        self.cleaned_data["content"] = text
        return upload


class DenialFilterForm(forms.Form):
    payer = forms.ModelChoiceField(
        label=_("Payer"), required=False, queryset=None, empty_label=_("All payers")
    )
    reason = forms.CharField(label=_("Reason code (CARC)"), required=False, max_length=8)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payer"].queryset = Payer.objects.order_by("name")


class DenialResolveForm(forms.Form):
    action_taken = forms.ChoiceField(
        label=_("What was done"), choices=choose(Denial.NextAction.choices)
    )
    resolution = forms.CharField(
        label=_("How it was resolved"), max_length=200, widget=forms.TextInput()
    )


class ClaimSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Patient control number or client record number"),
        required=False,
        max_length=38,
    )


class ClaimChoiceForm(forms.Form):
    claim = forms.UUIDField(label=_("Claim"))
