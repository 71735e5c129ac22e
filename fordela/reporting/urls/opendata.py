"""Reporting: open data (public; docs/reporting.md, "Open data")."""

from django.urls import path

from ..views import opendata

urlpatterns = [
    path("oppna-data/", opendata.index, name="opendata"),
    path("oppna-data/dcat.rdf", opendata.catalogue, name="opendata_dcat"),
    path(
        "oppna-data/<slug:slug>/<int:year>/360giving.json",
        opendata.package_json,
        name="opendata_json",
    ),
    path(
        "oppna-data/<slug:slug>/<int:year>/360giving.csv",
        opendata.package_csv,
        name="opendata_csv",
    ),
]
