from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("logga-in/", views.login_view, name="login"),
    path("logga-ut/", LogoutView.as_view(), name="logout"),
    path("mina-sidor/", views.my_pages, name="my_pages"),
    path("mina-sidor/kontaktuppgifter/", views.my_contact_details, name="my_contact_details"),
    path("organisation/<int:organisation_id>/", views.organisation_detail, name="organisation"),
    path(
        "organisation/<int:organisation_id>/kontaktuppgifter/",
        views.organisation_contact_details,
        name="organisation_contact_details",
    ),
    path("organisation/<int:organisation_id>/bjud-in/", views.invite, name="invite"),
    path(
        "organisation/<int:organisation_id>/behorigheter/<int:membership_id>/ta-bort/",
        views.remove_membership,
        name="remove_membership",
    ),
    path(
        "organisation/<int:organisation_id>/inbjudningar/<int:invitation_id>/aterkalla/",
        views.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path("inbjudan/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("ombud/ansok/", views.ombud_apply, name="ombud_apply"),
    path("ombud/ansokan/<int:pk>/", views.ombud_application, name="ombud_application"),
    path("ombud/ansokan/<int:pk>/bilagor/", views.ombud_attachment_upload, name="ombud_upload"),
    path("ombud/ansokan/<int:pk>/skicka-in/", views.ombud_application_submit, name="ombud_submit"),
    path("ombud/bilaga/<int:pk>/", views.ombud_attachment_download, name="ombud_attachment"),
    path("handlaggning/ombudsansokningar/", views.application_queue, name="queue"),
    path("handlaggning/ombudsansokningar/<int:pk>/", views.case_detail, name="case"),
    path(
        "handlaggning/ombudsansokningar/<int:pk>/godkann/", views.case_approve, name="case_approve"
    ),
    path(
        "handlaggning/ombudsansokningar/<int:pk>/komplettering/",
        views.case_request_completion,
        name="case_request_completion",
    ),
    path(
        "handlaggning/ombudsansokningar/<int:pk>/avskriv/",
        views.case_write_off,
        name="case_write_off",
    ),
]
