"""The organiser's pages (logged in; ``services.organiser`` says whose)."""

from django.urls import path

from ..views import organiser as views

urlpatterns = [
    path("arrangor/utbildningar/", views.event_list, name="organiser_events"),
    path("arrangor/utbildningar/ny/", views.event_new, name="event_new"),
    path("arrangor/utbildningar/<int:pk>/", views.event_detail, name="manage_event"),
    path("arrangor/utbildningar/<int:pk>/andra/", views.event_edit, name="event_edit"),
    path("arrangor/utbildningar/<int:pk>/publicera/", views.event_publish, name="event_publish"),
    path("arrangor/utbildningar/<int:pk>/nytt-tillfalle/", views.session_new, name="session_new"),
    path(
        "arrangor/utbildningar/<int:pk>/deltagare.csv",
        views.participants_csv,
        name="participants_csv",
    ),
    path(
        "arrangor/utbildningar/<int:pk>/deltagare.xlsx",
        views.participants_xlsx,
        name="participants_xlsx",
    ),
    path("arrangor/tillfallen/<int:pk>/andra/", views.session_edit, name="session_edit"),
    path("arrangor/tillfallen/<int:pk>/stall-in/", views.session_cancel, name="session_cancel"),
    path("arrangor/tillfallen/<int:pk>/deltagare/", views.participants, name="participants"),
    path("arrangor/tillfallen/<int:pk>/narvaro/", views.attendance, name="attendance"),
    path(
        "arrangor/anmalningar/<int:pk>/ge-plats/",
        views.registration_confirm,
        name="registration_confirm",
    ),
    path(
        "arrangor/anmalningar/<int:pk>/flytta/", views.registration_move, name="registration_move"
    ),
]
