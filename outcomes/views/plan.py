"""The measurement plan's pages: administrators list, add, edit and take
lines out of use (program data, no client in sight)."""

from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.formtools import form_saved, message_outcome
from outcomes.forms import PlanEntryForm
from outcomes.models import DueMeasure, MeasurePlanEntry
from outcomes.services import plan_entries


@role_required(roles.ADMINISTRATOR)
@require_GET
def plan(request):
    """Every line, in use first; each with how many measures it made due.
    Two queries whatever the size of the plan or of the caseload."""
    counts = dict(
        DueMeasure.objects.filter(plan_entry__isnull=False)
        .values("plan_entry")
        .annotate(n=Count("pk"))
        .values_list("plan_entry", "n")
    )
    entries = list(MeasurePlanEntry.objects.order_by("-active", *MeasurePlanEntry._meta.ordering))
    for entry in entries:
        entry.due_count = counts.get(entry.pk, 0)
    return render(request, "outcomes/plan.html", {"entries": entries})


@role_required(roles.ADMINISTRATOR)
@require_http_methods(["GET", "HEAD", "POST"])
def plan_add(request):
    form = PlanEntryForm(request.POST or None)
    if form_saved(
        request,
        form,
        lambda data: plan_entries.plan_entry_create(
            actor=request.user, values=data, request=request
        ),
        success=_("Line added to the measurement plan."),
    ):
        return redirect("outcomes:plan")
    status = 400 if request.method == "POST" else 200
    return render(request, "outcomes/plan_form.html", {"form": form}, status=status)


@role_required(roles.ADMINISTRATOR)
@require_http_methods(["GET", "HEAD", "POST"])
def plan_edit(request, entry_id):
    entry = get_object_or_404(MeasurePlanEntry, pk=entry_id)
    fixed = plan_entries.plan_entry_in_use(entry)
    form = PlanEntryForm(request.POST or None, instance=entry, schedule_fixed=fixed)
    if form_saved(
        request,
        form,
        lambda data: plan_entries.plan_entry_update(
            actor=request.user, entry=entry, values=data, request=request
        ),
        success=_("Measurement plan line saved."),
    ):
        return redirect("outcomes:plan")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "entry": entry, "schedule_fixed": fixed}
    return render(request, "outcomes/plan_form.html", context, status=status)


@role_required(roles.ADMINISTRATOR)
@require_POST
def plan_deactivate(request, entry_id):
    entry = get_object_or_404(MeasurePlanEntry, pk=entry_id)
    message_outcome(
        request,
        lambda: plan_entries.plan_entry_set_active(
            actor=request.user, entry=entry, active=False, request=request
        ),
        success=_("The line is out of use: it makes nothing more due."),
    )
    return redirect("outcomes:plan")
