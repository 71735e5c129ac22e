from django.urls import path

from . import views

app_name = "payments"

base = "handlaggning/utbetalningar"
urlpatterns = [
    path(f"{base}/", views.index, name="index"),
    path(f"{base}/ny/", views.create, name="create"),
    path(f"{base}/omgangar/", views.batches, name="batches"),
    path(f"{base}/<int:pk>/", views.batch, name="batch"),
    path(f"{base}/<int:pk>/godkann/", views.approve, name="approve"),
    path(f"{base}/<int:pk>/betald/", views.confirm, name="confirm"),
    path(f"{base}/<int:pk>/makulera/", views.cancel, name="cancel"),
    path(f"{base}/<int:pk>/pain001.xml", views.pain001, name="pain001"),
    path(f"{base}/<int:pk>.csv", views.batch_csv, name="csv"),
]
