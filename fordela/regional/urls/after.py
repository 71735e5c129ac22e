"""Regional URLs after the decision (issue 20 §4): the grantee's report
under ``regionala-bidrag/rapport/``, the region's review, invoices and
payments under ``regional/``."""

from django.urls import path

from ..views import after

grantee = "regionala-bidrag/rapport/<int:pk>"
urlpatterns = [
    path(f"{grantee}/", after.grantee_report, name="grantee_report"),
    path(f"{grantee}/autospara/", after.grantee_report_autosave, name="grantee_report_autosave"),
    path(f"{grantee}/granska/", after.grantee_report_check, name="grantee_report_check"),
    path(f"{grantee}/kvittens/", after.grantee_report_receipt, name="grantee_report_receipt"),
    path(
        "regional/utlysningar/<int:round_pk>/rapporter/",
        after.round_reports,
        name="round_reports",
    ),
    path(
        "regional/utlysningar/<int:round_pk>/rapporter/oppna/",
        after.open_round_reports,
        name="open_round_reports",
    ),
    path("regional/rapporter/<int:pk>/", after.report_review, name="report_review"),
    path(
        "regional/rapporter/<int:pk>/granskning/",
        after.report_review_send,
        name="report_review_send",
    ),
    path("regional/rapporter/<int:pk>/faktura/", after.invoice_new, name="invoice_new"),
    path("regional/fakturor/<int:pk>/", after.invoice, name="invoice"),
    path("regional/fakturor/<int:pk>/betalning/", after.invoice_pay, name="invoice_pay"),
    path(
        "regional/utlysningar/<int:round_pk>/fakturor/",
        after.round_invoices,
        name="round_invoices",
    ),
    path(
        "regional/utlysningar/<int:round_pk>/fakturor.csv",
        after.round_invoices_csv,
        name="round_invoices_csv",
    ),
    path(
        "regional/utlysningar/<int:round_pk>/fakturor.xlsx",
        after.round_invoices_xlsx,
        name="round_invoices_xlsx",
    ),
]
