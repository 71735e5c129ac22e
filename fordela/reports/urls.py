from django.urls import path

from . import views

app_name = "reports"

staff = "handlaggning/aterrapporter"
urlpatterns = [
    path(
        "organisation/<int:organisation_id>/aterrapporter/",
        views.organisation_reports,
        name="organisation",
    ),
    path("aterrapport/<int:pk>/", views.edit, name="edit"),
    path("aterrapport/<int:pk>/autospara/", views.autosave, name="autosave"),
    path("aterrapport/<int:pk>/granska/", views.check, name="check"),
    path("aterrapport/<int:pk>/kvittens/", views.receipt, name="receipt"),
    path("aterrapport/<int:pk>/kontaktperson/", views.contact, name="contact"),
    path("aterrapport/lank/<str:token>/", views.contact_link, name="contact_link"),
    path(f"{staff}/", views.staff_reports, name="staff_list"),
    path(f"{staff}.csv", views.staff_reports_csv, name="staff_csv"),
    path(f"{staff}.xlsx", views.staff_reports_xlsx, name="staff_xlsx"),
    path(f"{staff}/<int:pk>/", views.staff_case, name="staff_case"),
    path(f"{staff}/<int:pk>/granskning/", views.staff_review, name="review"),
]
