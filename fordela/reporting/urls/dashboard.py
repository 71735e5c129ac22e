"""Reporting: the staff dashboard."""

from django.urls import path

from ..views import dashboard

urlpatterns = [
    path("handlaggning/oversikt/", dashboard.dashboard, name="dashboard"),
]
