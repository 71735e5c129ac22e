"""The public read-only JSON API under /api/ (docs/api.md). Version 1 lives
under /api/v1/; its URL names are ``api:v1:<name>``."""

from django.urls import path

from .v1 import api

app_name = "api"

urlpatterns = [path("v1/", api.urls)]
