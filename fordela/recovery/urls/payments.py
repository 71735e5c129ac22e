"""Recovery: incoming payments pages (ekonomi)."""

from django.urls import path

from ..views import payments as views

base = "ekonomi/inbetalningar"
urlpatterns = [
    path(f"{base}/", views.payment_list, name="payments"),
    path(f"{base}/att-hantera/", views.queue, name="payment_queue"),
    path(f"{base}/registrera/", views.register, name="payment_register"),
    path(f"{base}/bgmax/", views.import_file, name="payment_import"),
    path(f"{base}/bgmax/<int:pk>/", views.import_result, name="payment_import_result"),
    path(f"{base}/<int:pk>/", views.payment_page, name="payment"),
    path(f"{base}/<int:pk>/hantera/", views.resolve, name="payment_resolve"),
]
