"""The not-on-track rules page: administrators change a rule's thresholds,
label or use (outcomes.services.rules, audited)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.formtools import form_saved
from outcomes.forms import OnTrackRuleForm
from outcomes.models import OnTrackRule
from outcomes.services.rules import on_track_rule_update


@role_required(roles.ADMINISTRATOR)
def rules(request):
    """Every rule with its form; a POST names the rule it changes."""
    rows = list(OnTrackRule.objects.order_by("kind", "instrument", "key"))
    posted = None
    if request.method == "POST":
        key = request.POST.get("rule", "")
        posted = next((rule for rule in rows if rule.key == key), None)
        if posted is None:
            raise Http404
        form = OnTrackRuleForm(request.POST, instance=posted)
        saved = form_saved(
            request,
            form,
            lambda data: on_track_rule_update(
                actor=request.user, rule=posted, data=data, request=request
            ),
            success=_("Rule saved."),
        )
        if saved:
            return redirect("outcomes:rules")
    forms = [
        form if posted is not None and rule.pk == posted.pk else OnTrackRuleForm(instance=rule)
        for rule in rows
    ]
    status = 400 if request.method == "POST" else 200
    return render(request, "outcomes/rules.html", {"forms": forms}, status=status)
