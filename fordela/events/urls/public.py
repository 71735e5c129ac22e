"""The public competence-support pages and the calendars."""

from django.urls import path

from ..views import public as views

urlpatterns = [
    path("kompetensstod/", views.hub, name="hub"),
    path("utbildningar/", views.event_list, name="list"),
    path("utbildningar/<int:pk>/kalender.ics", views.event_ics, name="event_ics"),
    path(
        "utbildningar/arrangor/<int:organiser_id>/kalender.ics",
        views.organiser_feed,
        name="organiser_feed",
    ),
]
