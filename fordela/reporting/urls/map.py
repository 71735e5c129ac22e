"""Reporting: the uptake map (issue 19 §4)."""

from django.urls import path

from ..views import map as views

urlpatterns = [
    path("program/<slug:programme>/<int:year>/karta/", views.uptake_map, name="map"),
]
