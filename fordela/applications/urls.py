from django.urls import path

from . import views

app_name = "applications"

staff = "handlaggning/ansokningar"
urlpatterns = [
    # Public.
    path("utlysningar/", views.call_list, name="calls"),
    path("utlysningar/<int:pk>/", views.call_detail, name="call"),
    path("utlysningar/<int:pk>/beviljade/", views.granted_list, name="granted"),
    path("utlysningar/<int:pk>/beviljade.csv", views.granted_list_csv, name="granted_csv"),
    # The applicant.
    path(
        "organisation/<int:organisation_id>/utlysning/<int:call_id>/ansok/",
        views.start,
        name="start",
    ),
    path("ansokningar/", views.my_applications, name="mine"),
    path("ansokan/<int:pk>/", views.edit, name="edit"),
    path("ansokan/<int:pk>/autospara/", views.autosave, name="autosave"),
    path("ansokan/<int:pk>/bilagor/", views.attach, name="attach"),
    path(
        "ansokan/<int:pk>/bilagor/<int:attachment_id>/",
        views.attachment_file,
        name="attachment",
    ),
    path(
        "ansokan/<int:pk>/bilagor/<int:attachment_id>/ta-bort/",
        views.remove_attachment,
        name="remove_attachment",
    ),
    path("ansokan/<int:pk>/kontrollera/", views.check, name="check"),
    path("ansokan/<int:pk>/status/", views.status, name="status"),
    path("ansokan/<int:pk>/komplettera/", views.complete, name="complete"),
    path("ansokan/<int:pk>/beslut.pdf", views.letter, name="letter"),
    # Handläggare and beslutsfattare.
    path(f"{staff}/", views.staff_calls, name="staff_calls"),
    path(f"{staff}/utlysning/<int:call_id>/", views.queue, name="queue"),
    path(f"{staff}/utlysning/<int:call_id>/massbeslut/", views.bulk_start, name="bulk_start"),
    path(f"{staff}/massbeslut/<int:run_id>/", views.bulk, name="bulk"),
    path(f"{staff}/massbeslut/<int:run_id>.json", views.bulk_progress, name="bulk_progress"),
    path(f"{staff}/<int:pk>/", views.case, name="case"),
    path(f"{staff}/<int:pk>/bedomning/", views.score, name="score"),
    path(f"{staff}/<int:pk>/riskkontroll/", views.risk, name="risk"),
    path(f"{staff}/<int:pk>/komplettering/", views.request_completion, name="request_completion"),
    path(f"{staff}/<int:pk>/remiss/", views.consult, name="consult"),
    path(f"{staff}/<int:pk>/forslag/", views.propose, name="propose"),
    path(f"{staff}/<int:pk>/beslut/", views.decide, name="decide"),
    path(f"{staff}/<int:pk>/aterforvisa/", views.return_proposal, name="return_proposal"),
    # The consultee (Jämställdhetsmyndigheten).
    path("remisser/", views.consultations, name="consultations"),
    path("remisser/<int:pk>/", views.consultation, name="consultation"),
]
