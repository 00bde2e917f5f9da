"""The administrator's program dashboard (supervisors see it too): the
measures of iop.dashboard.measures for a chosen period, counselor, track and
level of care, within the access policy. A fixed number of queries."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftercare.models import AftercarePlan, CheckIn
from groups.models import Attendance, GroupSession, Track
from iop import horizon
from iop.clients.forms import counselor_choices
from iop.clients.models import DrugTest, Episode, LevelOfCare, SessionNote
from iop.dashboard import measures, quality, summary
from iop.dashboard.selectors import caseload_by_counselor, open_episodes_by_phase
from iop.reminders.services.dispatch import oldest_due_pending_age
from screening.models import SafetyFlag

DEFAULT_MONTHS = 12
# No program data predates this; it also bounds the month tables.
EARLIEST_DATE = date(2000, 1, 1)


class DashboardFilterForm(forms.Form):
    start = horizon.QueryDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = horizon.QueryDateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    counselor = forms.ModelChoiceField(
        label=_("Counselor"), required=False, queryset=None, empty_label=_("All counselors")
    )
    track = forms.ModelChoiceField(
        label=_("Track"), required=False, queryset=None, empty_label=_("All tracks")
    )
    level = forms.ChoiceField(
        label=_("Level of care"),
        required=False,
        choices=[("", _("All levels")), *LevelOfCare.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = counselor_choices()
        self.fields["track"].queryset = Track.objects.order_by("name")
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )

    def clean(self):
        return clean_period(self, super().clean())


def clean_period(form: forms.Form, cleaned: dict) -> dict:
    """The checks of a dashboard's `start`/`end` period: each date within
    the horizon, and the end (or the default end) not before the start."""
    today = timezone.localdate()
    earliest, latest = EARLIEST_DATE, today + timedelta(days=366)
    for name in ("start", "end"):
        value = cleaned.get(name)
        if value and not earliest <= value <= latest:
            form.add_error(
                name, _("Choose a date between %(a)s and %(b)s.") % {"a": earliest, "b": latest}
            )
    default_start, default_end = default_period(today)
    start = cleaned.get("start") or default_start
    end = cleaned.get("end") or default_end
    if not form.errors and end < start:
        raise forms.ValidationError(_("The end of the period is before its start."))
    return cleaned


def filter_query(params) -> QueryDict:
    """Only the dashboard's filters of `params`: a figure, month or export of
    the page the parameters came from is left behind."""
    query = QueryDict(mutable=True)
    for name in DashboardFilterForm.base_fields:
        if params.get(name):
            query[name] = params[name]
    return query


def with_params(filters: QueryDict, **params) -> str:
    """`filters` with `params` set (replacing any of the same name), encoded:
    every link of the dashboard is built so, never appended to by hand."""
    query = filters.copy()
    for name, value in params.items():
        query[name] = value
    return query.urlencode()


def default_period(today: date) -> tuple[date, date]:
    return (today.replace(day=1) - timedelta(days=365)).replace(day=1), today


def program_measures(
    *, clients, start: date, end: date, counselor=None, track=None, level="", whole_program=False
) -> dict:
    """Every figure of the dashboard for the filters given. With
    `whole_program` (the clients are the whole program) and no filter on the
    episode, attendance, drug tests, initiation and engagement and the TEDS
    items missing come from the summary when it has been built; "as_of"
    then says when (None: every figure is live)."""
    today = timezone.localdate()
    # The summary is program-wide and per track: an episode filter is live.
    use_summary = whole_program and counselor is None and not level
    state = summary.summary_state() if use_summary else None
    episodes = Episode.objects.filter(client__in=clients)
    if counselor is not None:
        episodes = episodes.filter(primary_counselor=counselor)
    if level:
        episodes = episodes.filter(level_of_care=level)
    in_period = episodes.filter(admission_date__range=(start, end))
    discharged = episodes.filter(discharge_date__range=(start, end), admission_date__isnull=False)
    # A datetime range, not __date: the index on the session's start serves it.
    first = timezone.make_aware(datetime.combine(start, time.min))
    after = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    attendance = Attendance.objects.filter(
        episode__in=episodes,
        session__starts_at__gte=first,
        session__starts_at__lt=after,
        session__status="scheduled",
    )
    if track is not None:
        attendance = attendance.filter(session__group__track=track)
    tests = DrugTest.objects.filter(
        client__in=episodes.values("client"), collected_on__range=(start, end)
    )
    check_ins = CheckIn.objects.filter(plan__episode__in=episodes, due_on__range=(start, end))
    plans = AftercarePlan.objects.filter(episode__in=episodes)
    outcomes = measures.discharge_outcomes(discharged)
    if state is not None:
        attendance_by_track = summary.attendance_rate(start=start, end=end, by="track", track=track)
        attendance_by_counselor = summary.attendance_rate(
            start=start, end=end, by="facilitator", track=track
        )
        drug_tests = summary.drug_test_negative_share(start=start, end=end)
        iet = summary.initiation_and_engagement(start=start, end=end)
        teds_missing = summary.teds_missing_by_month(start=start, end=end)
    else:
        attendance_by_track = measures.attendance_rate(attendance, by="session__group__track__name")
        attendance_by_counselor = measures.attendance_rate(
            attendance,
            by="session__group__facilitator_id",
            labels=(
                "session__group__facilitator__first_name",
                "session__group__facilitator__last_name",
            ),
        )
        drug_tests = measures.drug_test_negative_share(tests)
        iet = quality.initiation_and_engagement(in_period)
        teds_missing = quality.teds_missing_by_month(in_period)
    return {
        "as_of": state.refreshed_at if state is not None else None,
        "phase_counts": open_episodes_by_phase(clients),
        "caseloads": caseload_by_counselor(clients),
        "by_month": measures.admissions_and_discharges_by_month(episodes, start=start, end=end),
        "attendance_by_track": attendance_by_track,
        "attendance_by_counselor": attendance_by_counselor,
        "retention": {
            days: measures.retention(in_period, days=days, today=today) for days in (30, 60, 90)
        },
        "outcomes": outcomes,
        "outcome_groups": [
            {
                "label": measures.OUTCOME_LABELS[key],
                "share": share,
                "benchmark": measures.TEDS_2004_IOP_OUTCOMES[key],
            }
            for key, share in outcomes.by_group.items()
        ],
        "length_of_stay": measures.length_of_stay(discharged),
        "drug_tests": drug_tests,
        "check_ins": measures.aftercare_check_ins(check_ins, today=today),
        "aftercare_retention": measures.aftercare_retention(plans, today=today),
        "referral_wait": measures.referral_to_admission(in_period),
        "iet": iet,
        "diagnoses": quality.diagnoses_by_class(in_period),
        "teds_missing": teds_missing,
        "unsigned": measures.unsigned_notes_older_than(
            SessionNote.objects.filter(appointment__client__in=clients),
            GroupSession.objects.all(),
        ),
        "open_flags": SafetyFlag.objects.filter(
            client__in=clients, addressed_at__isnull=True
        ).count(),
        "outbox_oldest_due": oldest_due_pending_age(),
    }


def chart_data(figures: dict, *, filters: QueryDict) -> dict:
    """The series the charts draw (the same numbers are in the tables), and
    for each month the drill-downs a click on its bars opens."""
    clients_url = reverse("dashboard:program-clients")
    months = [row["month"].isoformat()[:7] for row in figures["by_month"]]
    month_links = {
        figure: [
            f"{clients_url}?{with_params(filters, figure=figure, month=month)}" for month in months
        ]
        for figure in ("admitted", "discharged")
    }
    retention = {}
    for days, rows in figures["retention"].items():
        for row in rows:
            retention.setdefault(row["cohort"].isoformat()[:7], {})[days] = row["rate"]
    return {
        "months": months,
        "admissions": [row["admissions"] for row in figures["by_month"]],
        "discharges": [row["discharges"] for row in figures["by_month"]],
        "month_links": month_links,
        "caseload_names": [row["name"] for row in figures["caseloads"]],
        "caseload_intensive": [row["intensive"] for row in figures["caseloads"]],
        "caseload_aftercare": [row["aftercare"] for row in figures["caseloads"]],
        "cohorts": sorted(retention),
        "retention": {
            str(days): [retention[cohort].get(days) for cohort in sorted(retention)]
            for days in (30, 60, 90)
        },
        "attendance_tracks": [row["key"] for row in figures["attendance_by_track"]],
        "attendance_rates": [row["rate"] for row in figures["attendance_by_track"]],
    }
