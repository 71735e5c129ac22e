from django.urls import path

from . import views

app_name = "requisitions"

staff = "handlaggning/rekvisitioner"
public = "program/<slug:programme>/<int:year>/<slug:pool>/omfordelningslista"
urlpatterns = [
    path(
        "organisation/<int:organisation_id>/rekvisition/<int:pool_id>/starta/",
        views.start,
        name="start",
    ),
    path("rekvisition/<int:pk>/", views.edit, name="edit"),
    path("rekvisition/<int:pk>/autospara/", views.autosave, name="autosave"),
    path("rekvisition/<int:pk>/kvittens/", views.receipt, name="receipt"),
    path(f"{staff}/", views.pools, name="pools"),
    path(f"{staff}/<int:pool_id>/", views.pool_requisitions, name="pool"),
    path(f"{staff}/<int:pool_id>.csv", views.pool_requisitions_csv, name="pool_csv"),
    path(f"{staff}/<int:pool_id>.xlsx", views.pool_requisitions_xlsx, name="pool_xlsx"),
    path(f"{staff}/arende/<int:pk>/", views.case, name="case"),
    path(f"{staff}/arende/<int:pk>/atgard/", views.case_action, name="case_action"),
    path(f"{staff}/<int:pool_id>/omfordelning/", views.redistribution, name="redistribution"),
    path(f"{staff}/<int:pool_id>/avstamning/", views.ledger, name="ledger"),
    path(f"{public}/", views.redistribution_list, name="redistribution_list"),
    path(f"{public}.csv", views.redistribution_list_csv, name="redistribution_list_csv"),
]
