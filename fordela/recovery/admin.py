"""Admin for what the agency sets by hand: each programme's recovery terms
(payment terms, the reminder day, interest). Invoices and credit notes are
listed read-only: they change only through the services (credit, write off,
payments), which lock, audit and e-mail."""

from django.contrib import admin

from .models import CreditNote, Invoice, RecoverySettings


@admin.register(RecoverySettings)
class RecoverySettingsAdmin(admin.ModelAdmin):
    list_display = [
        "programme",
        "payment_terms_days",
        "reminder_days",
        "interest_enabled",
        "interest_terms",
    ]
    list_select_related = ["programme"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "organisation",
        "case_number",
        "issued_on",
        "due_on",
        "amount_sek",
        "paid_sek",
        "credited_sek",
        "written_off_sek",
        "status",
    ]
    list_filter = ["status"]
    list_select_related = ["organisation"]
    search_fields = ["number", "ocr", "case_number"]
    show_full_result_count = False


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "invoice", "issued_on", "amount_sek", "reason"]
    list_select_related = ["invoice"]
    search_fields = ["number", "invoice__number"]
