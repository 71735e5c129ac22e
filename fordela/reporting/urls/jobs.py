"""Reporting: the long jobs (issue 19 §7): starting them and their pages."""

from django.urls import path

from ..views import jobs

urlpatterns = [
    path("handlaggning/redovisning/<slug:slug>/bygg/", jobs.national_build, name="national_build"),
    path(
        "handlaggning/oppna-data/<slug:slug>/<int:year>/bygg/",
        jobs.opendata_build,
        name="opendata_build",
    ),
    path("handlaggning/jobb/<int:job_id>/", jobs.job_page, name="job"),
    path("handlaggning/jobb/<int:job_id>/status.json", jobs.job_status, name="job_status"),
    path("handlaggning/jobb/<int:job_id>/forsok-igen/", jobs.job_retry, name="job_retry"),
    path("handlaggning/jobb/<int:job_id>/filer/<int:file_id>/", jobs.job_file, name="job_file"),
]
