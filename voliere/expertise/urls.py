from django.urls import path

from voliere.expertise import views

urlpatterns = [
    path("experts/", views.experts, name="experts"),
    path("experts/ask/", views.ask, name="experts_ask"),
    path("experts/route/<int:thread_id>/", views.route, name="experts_route"),
    path("experts/report/", views.report, name="experts_report"),
]
