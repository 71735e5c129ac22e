"""Recovery: invoices pages."""

from django.urls import path

from ..views import invoices as views

staff = "ekonomi/fakturor"
urlpatterns = [
    path(f"{staff}/", views.invoice_list, name="invoices"),
    path(f"{staff}/<int:pk>/", views.invoice_page, name="invoice"),
    path(f"{staff}/<int:pk>/kreditera/", views.credit, name="invoice_credit"),
    path(f"{staff}/<int:pk>/skriv-av/", views.write_off, name="invoice_write_off"),
    path(f"{staff}/<int:pk>/e-faktura.xml", views.invoice_ubl, name="invoice_ubl"),
    path(
        f"{staff}/kreditfaktura/<int:pk>/e-faktura.xml",
        views.credit_note_ubl,
        name="credit_note_ubl",
    ),
    path("faktura/<int:pk>/faktura.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("kreditfaktura/<int:pk>/kreditfaktura.pdf", views.credit_note_pdf, name="credit_note_pdf"),
    path(
        "organisation/<int:organisation_id>/aterkrav/",
        views.organisation_recovery,
        name="organisation",
    ),
]
