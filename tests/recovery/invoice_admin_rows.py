"""Rows for tests/test_admin_scale.py (every registered admin list runs as
many queries with 40 rows as with 2) for the recovery admin
(fordela/recovery/admin.py): merge ``ADMIN_ROWS`` into its ``ROWS``."""

from fordela.recovery.models import CreditNote, Invoice, RecoverySettings
from tests.factories import OrganisationFactory, ProgrammeFactory


def add_recovery_settings(count: int) -> None:
    for _ in range(count):
        RecoverySettings.objects.create(programme=ProgrammeFactory(), reminder_days=10)


def add_invoices(count: int) -> None:
    from tests.recovery.invoice_fixtures import invoice_for

    for _ in range(count):
        invoice_for(OrganisationFactory(), amount_sek=1_000)


def add_credit_notes(count: int) -> None:
    from fordela.recovery.services.invoices import credit_invoice
    from tests.recovery.invoice_fixtures import invoice_for, staff_users

    for _ in range(count):
        invoice = invoice_for(OrganisationFactory(), amount_sek=1_000)
        credit_invoice(staff_users()["ekonomi"], invoice, 100, "Fel belopp.")


ADMIN_ROWS = {
    RecoverySettings: add_recovery_settings,
    Invoice: add_invoices,
    CreditNote: add_credit_notes,
}
