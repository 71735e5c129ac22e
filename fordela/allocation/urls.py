from django.urls import path

from . import views

app_name = "allocation"

base = "program/<slug:programme>/<int:year>/<slug:pool>/fordelningsnyckel"
urlpatterns = [
    path(f"{base}/", views.key_detail, name="key"),
    path(f"{base}.csv", views.key_csv, name="key_csv"),
    path(f"{base}.xlsx", views.key_xlsx, name="key_xlsx"),
]
