from django.urls import path

from iop.reminders import views

app_name = "reminders"

urlpatterns = [
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/read/", views.notification_mark_read, name="notification-mark-read"),
    path("sms/inbound/", views.sms_inbound, name="sms-inbound"),
]
