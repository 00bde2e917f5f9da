from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.audit.policy import clients_visible_to
from iop.audit.services import audit_list_view
from iop.reminders import inbound
from iop.reminders.models import StaffNotification
from iop.reminders.services import notifications_mark_read

NOTIFICATIONS_SHOWN = 100


@role_required(*roles.ALL_ROLES)
def notification_list(request):
    """The user's notifications, newest first. One about a client the user
    can no longer open (reassigned, discharged) is kept, never deleted, but
    shown without its text or link; the clients of the others are audited
    as seen on the list (their text may hold a record number)."""
    visible = Q(client__isnull=True) | Q(client__in=clients_visible_to(request.user))
    notifications = list(
        StaffNotification.objects.filter(recipient=request.user)
        .annotate(client_visible=ExpressionWrapper(visible, output_field=BooleanField()))
        .select_related("client")[:NOTIFICATIONS_SHOWN]
    )
    audit_list_view(
        request,
        clients=[item.client for item in notifications if item.client and item.client_visible],
        name="notifications",
    )
    return render(request, "reminders/notification_list.html", {"notifications": notifications})


@role_required(*roles.ALL_ROLES)
@require_POST
def notification_mark_read(request):
    # isdigit() alone lets through digits int() refuses, such as "²".
    ids = [value for value in request.POST.getlist("id") if value.isascii() and value.isdigit()]
    if request.POST.get("all"):
        ids = list(
            StaffNotification.objects.filter(recipient=request.user).values_list("pk", flat=True)
        )
    count = notifications_mark_read(user=request.user, ids=ids)
    messages.info(request, _("%d notifications marked as read.") % count)
    return redirect("reminders:notification-list")


@csrf_exempt
@require_POST
def sms_inbound(request):
    """Twilio's webhook for replies. Answers with empty TwiML (no auto-reply
    from us: Twilio itself confirms an opt-out to the sender)."""
    signature = request.META.get("HTTP_X_TWILIO_SIGNATURE", "")
    url = request.build_absolute_uri()
    if not inbound.signature_valid(url=url, params=request.POST.dict(), signature=signature):
        return HttpResponseForbidden("invalid signature")
    if inbound.is_stop(request.POST.get("Body", "")):
        inbound.sms_opt_out(from_number=request.POST.get("From", ""), request=request)
    return HttpResponse("<Response></Response>", content_type="application/xml")
