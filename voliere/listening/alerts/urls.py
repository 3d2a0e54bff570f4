"""`/listening/<org>/alerts/…`: list, crisis view, acknowledge (POST), channels."""

from django.urls import path

from voliere.listening.alerts import views

urlpatterns = [
    path("", views.alert_list, name="listening_alerts"),
    path("<int:alert_id>/", views.alert_detail, name="listening_alert"),
    path("<int:alert_id>/acknowledge/", views.alert_acknowledge,
         name="listening_alert_acknowledge"),
    path("channels/", views.channels, name="listening_alert_channels"),
    path("channels/<int:channel_id>/delete/", views.channel_delete,
         name="listening_alert_channel_delete"),
    path("channels/<int:channel_id>/toggle/", views.channel_toggle,
         name="listening_alert_channel_toggle"),
]
