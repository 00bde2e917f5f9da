from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Attendance, RecurringGroup, Topic
from groups.selectors import active_objectives_by_client
from groups.services.sessions import Line, default_minutes
from iop import horizon

STATUS_CHOICES = Attendance.Status.choices
PARTICIPATION_CHOICES = [("", "—"), *Attendance.Participation.choices]


class SessionForm(forms.Form):
    """The one-screen session form: the group note and a line per roster
    client. Field names carry the client's row key; the service refuses any
    client that is not on the roster."""

    summary = forms.CharField(
        label=_("Group note (topic, content, process)"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    accept_identical = forms.BooleanField(
        label=_("I confirm the identical remarks are accurate for each client"), required=False
    )

    def __init__(self, *args, session, roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.roster = roster
        self.fields["summary"].initial = session.summary
        objectives = active_objectives_by_client([entry.client.pk for entry in roster])
        for entry in roster:
            key = entry.client.pk
            row = entry.attendance
            status = row.status if row else Attendance.Status.PRESENT
            self.fields[f"status_{key}"] = forms.ChoiceField(
                choices=STATUS_CHOICES, initial=status, widget=forms.RadioSelect
            )
            self.fields[f"minutes_{key}"] = forms.IntegerField(
                min_value=0,
                max_value=session.duration_minutes,
                initial=row.minutes if row else default_minutes(session, status),
                required=False,
            )
            self.fields[f"participation_{key}"] = forms.ChoiceField(
                choices=PARTICIPATION_CHOICES,
                initial=row.participation if row else "",
                required=False,
            )
            self.fields[f"remark_{key}"] = forms.CharField(
                max_length=500, initial=row.remark if row else "", required=False
            )
            self.fields[f"objective_{key}"] = forms.TypedChoiceField(
                choices=[("", "—")]
                + [
                    (str(objective.pk), objective.label[:80])
                    for objective in objectives.get(key, [])
                ],
                coerce=int,
                empty_value=None,
                initial=row.objective_id if row else None,
                required=False,
            )
            if (row is not None and row.is_signed) or not entry.named:
                # Locked (signed, or a former member the viewer may no longer
                # open): the browser posts nothing for it and nothing changes.
                for name in ("status", "minutes", "participation", "remark", "objective"):
                    self.fields[f"{name}_{key}"].disabled = True

    def rows(self):
        """Roster entries paired with their bound fields, for the template."""
        for entry in self.roster:
            key = entry.client.pk
            signed = entry.attendance is not None and entry.attendance.is_signed
            yield {
                "entry": entry,
                "locked": signed or not entry.named,
                "status": self[f"status_{key}"],
                "minutes": self[f"minutes_{key}"],
                "participation": self[f"participation_{key}"],
                "remark": self[f"remark_{key}"],
                "objective": self[f"objective_{key}"],
            }

    def lines(self) -> dict[int, Line]:
        """Lines for the unsigned rows (signed rows are locked and not posted)."""
        lines = {}
        for entry in self.roster:
            if entry.attendance is not None and entry.attendance.is_signed:
                continue
            if not entry.named:
                continue
            key = entry.client.pk
            lines[key] = Line(
                status=self.cleaned_data[f"status_{key}"],
                minutes=self.cleaned_data[f"minutes_{key}"],
                participation=self.cleaned_data[f"participation_{key}"],
                remark=self.cleaned_data[f"remark_{key}"],
                objective_id=self.cleaned_data[f"objective_{key}"],
            )
        return lines


class ToggleForm(forms.Form):
    """One attendance toggle posted by htmx; the row's participation and
    remark come along under their session-form names."""

    client = forms.IntegerField()
    status = forms.ChoiceField(choices=STATUS_CHOICES)

    def line(self) -> Line:
        key = self.cleaned_data["client"]
        objective = self.data.get(f"objective_{key}", "")
        return Line(
            status=self.cleaned_data["status"],
            participation=self.data.get(f"participation_{key}", "")[:20],
            remark=self.data.get(f"remark_{key}", "")[:500],
            objective_id=int(objective) if objective.isascii() and objective.isdigit() else None,
        )


class DropInForm(forms.Form):
    client = forms.ModelChoiceField(label=_("Add a client to this session"), queryset=None)

    def __init__(self, *args, clients, **kwargs):
        # clients: the queryset a posted choice must be in (None to render
        # the label only: the page lists the choices itself).
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients


class MoveSessionForm(forms.Form):
    starts_at = horizon.ScheduledDateTimeField(label=_("New date and time"))


class CancelSessionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class AddSessionForm(forms.Form):
    starts_at = horizon.ScheduledDateTimeField(label=_("Date and time"))
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=None, required=False)

    def __init__(self, *args, group: RecurringGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(track=group.track)

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at < timezone.now():
            raise forms.ValidationError(_("Add sessions in the future."))
        return starts_at


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum to the group note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=8000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Sign and add")))


class EnrollmentGroupForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=None, required=False)

    def __init__(self, *args, track, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = RecurringGroup.objects.filter(track=track, active=True)
