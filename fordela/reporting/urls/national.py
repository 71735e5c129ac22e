"""Reporting: the national report (delredovisning / slutredovisning)."""

from django.urls import path

from ..views import national

urlpatterns = [
    path("handlaggning/redovisning/<slug:slug>/", national.report, name="national"),
    path("handlaggning/redovisning/<slug:slug>.xlsx", national.report_xlsx, name="national_xlsx"),
    path(
        "handlaggning/redovisning/<slug:slug>/text/", national.narrative_page, name="national_text"
    ),
    path("handlaggning/redovisning/<slug:slug>.pdf", national.report_pdf, name="national_pdf"),
]
