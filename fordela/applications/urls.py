from django.urls import path

from .views import applying, assessment, consultation, decisions

app_name = "applications"

staff = "handlaggning/ansokningar"
urlpatterns = [
    # Public.
    path("utlysningar/", applying.call_list, name="calls"),
    path("utlysningar/<int:pk>/", applying.call_detail, name="call"),
    path("utlysningar/<int:pk>/beviljade/", decisions.granted_list, name="granted"),
    path("utlysningar/<int:pk>/beviljade.csv", decisions.granted_list_csv, name="granted_csv"),
    # The applicant.
    path(
        "organisation/<int:organisation_id>/utlysning/<int:call_id>/ansok/",
        applying.start,
        name="start",
    ),
    path("ansokningar/", applying.my_applications, name="mine"),
    path("ansokan/<int:pk>/", applying.edit, name="edit"),
    path("ansokan/<int:pk>/autospara/", applying.autosave, name="autosave"),
    path("ansokan/<int:pk>/bilagor/", applying.attach, name="attach"),
    path(
        "ansokan/<int:pk>/bilagor/<int:attachment_id>/",
        applying.attachment_file,
        name="attachment",
    ),
    path(
        "ansokan/<int:pk>/bilagor/<int:attachment_id>/ta-bort/",
        applying.remove_attachment,
        name="remove_attachment",
    ),
    path("ansokan/<int:pk>/kontrollera/", applying.check, name="check"),
    path("ansokan/<int:pk>/ta-bort/", applying.delete, name="delete"),
    path("ansokan/<int:pk>/status/", applying.status, name="status"),
    path("ansokan/<int:pk>/komplettera/", applying.complete, name="complete"),
    path("ansokan/<int:pk>/beslut.pdf", decisions.letter, name="letter"),
    # Handläggare and beslutsfattare.
    path(f"{staff}/", assessment.staff_calls, name="staff_calls"),
    path(f"{staff}/utlysning/<int:call_id>/", assessment.queue, name="queue"),
    path(f"{staff}/utlysning/<int:call_id>/massbeslut/", decisions.bulk_start, name="bulk_start"),
    path(f"{staff}/massbeslut/<int:run_id>/", decisions.bulk, name="bulk"),
    path(f"{staff}/massbeslut/<int:run_id>.json", decisions.bulk_progress, name="bulk_progress"),
    path(f"{staff}/<int:pk>/", assessment.case, name="case"),
    path(f"{staff}/<int:pk>/bedomning/", assessment.score, name="score"),
    path(f"{staff}/<int:pk>/riskkontroll/", assessment.risk, name="risk"),
    path(
        f"{staff}/<int:pk>/komplettering/", assessment.request_completion, name="request_completion"
    ),
    path(f"{staff}/<int:pk>/remiss/", consultation.consult, name="consult"),
    path(f"{staff}/<int:pk>/forslag/", decisions.propose, name="propose"),
    path(f"{staff}/<int:pk>/beslut/", decisions.decide, name="decide"),
    path(f"{staff}/<int:pk>/aterforvisa/", decisions.return_proposal, name="return_proposal"),
    # The consultee (Jämställdhetsmyndigheten).
    path("remisser/", consultation.consultations, name="consultations"),
    path("remisser/<int:pk>/", consultation.consultation, name="consultation"),
]
