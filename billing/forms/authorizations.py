from django import forms
from django.utils.translation import gettext_lazy as _

from billing.codes import PROCEDURE_CODE_CHOICES
from billing.models import Payer, UtilizationReview
from billing.selectors.authorizations import Status
from family.models import DisclosureCategory
from iop import horizon
from iop.clients.models import LevelOfCare
from iop.formtools import choose

DATE = {"type": "date"}


class AuthorizationForm(forms.Form):
    coverage = forms.ModelChoiceField(label=_("Coverage"), queryset=None, to_field_name="public_id")
    number = forms.CharField(label=_("Authorization number"), max_length=50, required=False)
    service_codes = forms.MultipleChoiceField(
        label=_("Service codes"),
        choices=PROCEDURE_CODE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    units_authorized = forms.IntegerField(label=_("Units authorized"), min_value=0)
    starts_on = horizon.QueryDateField(label=_("From"), widget=forms.DateInput(attrs=DATE))
    ends_on = horizon.QueryDateField(label=_("To"), widget=forms.DateInput(attrs=DATE))
    level_of_care = forms.ChoiceField(
        label=_("Level of care"), choices=choose(LevelOfCare.choices), required=False
    )
    reviewer_name = forms.CharField(label=_("Payer's reviewer"), max_length=120, required=False)
    reviewer_contact = forms.CharField(
        label=_("Reviewer's phone or e-mail"), max_length=120, required=False
    )
    next_review_on = horizon.QueryDateField(
        label=_("Next concurrent review"), widget=forms.DateInput(attrs=DATE), required=False
    )

    def __init__(self, *args, coverages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coverage"].queryset = coverages
        self.fields["coverage"].label_from_instance = lambda coverage: (
            f"{coverage.payer.name} · {coverage.get_order_display()} · {coverage.member_id}"
        )


class ReviewForm(forms.Form):
    reviewed_on = horizon.PastDateField(
        label=_("Date of the review"),
        widget=forms.DateInput(attrs=DATE),
        late_message=_("A review cannot be recorded before it happens."),
    )
    reviewer = forms.CharField(label=_("Payer's reviewer"), max_length=120, required=False)
    categories_sent = forms.MultipleChoiceField(
        label=_("Kind of information sent"),
        choices=DisclosureCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    information_sent = forms.CharField(
        label=_("What was sent"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=choose(UtilizationReview.Decision.choices)
    )
    units_granted = forms.IntegerField(label=_("Units granted"), min_value=0, required=False)
    extension_number = forms.CharField(
        label=_("Authorization number of the extension (if new)"), max_length=50, required=False
    )
    extension_from = horizon.QueryDateField(
        label=_("Extension from"), widget=forms.DateInput(attrs=DATE), required=False
    )
    extension_to = horizon.QueryDateField(
        label=_("Extension to"), widget=forms.DateInput(attrs=DATE), required=False
    )
    next_review_on = horizon.QueryDateField(
        label=_("Next review"), widget=forms.DateInput(attrs=DATE), required=False
    )


class AuthorizationFilterForm(forms.Form):
    payer = forms.ModelChoiceField(
        label=_("Payer"),
        queryset=Payer.objects.order_by("name"),
        to_field_name="public_id",
        required=False,
        empty_label=_("All payers"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *((key, Status.LABELS[key]) for key in Status.FILTERS)],
        required=False,
    )
