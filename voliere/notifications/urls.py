from django.urls import path

from voliere.notifications import views

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
    path("notifications/count/", views.notifications_count, name="notifications_count"),
]
