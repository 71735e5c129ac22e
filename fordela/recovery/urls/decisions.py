"""Recovery: decisions pages."""

from django.urls import path

from ..views import decisions as views

staff = "handlaggning/aterkrav"
urlpatterns = [
    path(f"{staff}/", views.decision_list, name="decisions"),
    path(
        "handlaggning/aterrapporter/<int:report_id>/aterkrav/",
        views.propose,
        name="propose",
    ),
    path(f"{staff}/<int:pk>/", views.decision, name="decision"),
    path(f"{staff}/<int:pk>/besluta/", views.decide, name="decide"),
    path(f"{staff}/<int:pk>/skicka-tillbaka/", views.return_proposal, name="return_proposal"),
    path("aterkrav/<int:pk>/beslutsbrev/", views.letter, name="decision_letter"),
]
