"""The recovery admin: the programmes' terms are edited there; invoices and
credit notes are listed read-only, with a constant number of queries."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.query_budget import query_budget
from tests.recovery.invoice_admin_rows import ADMIN_ROWS


@pytest.fixture
def admin_client_(db, clock_at, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    clock_at("2022-05-02T10:00")
    user = get_user_model().objects.create_superuser("root", "root@example.se", "pw")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", list(ADMIN_ROWS), ids=lambda m: m._meta.model_name)
def test_each_list_runs_as_many_queries_for_more_rows(admin_client_, model):
    ADMIN_ROWS[model](2)
    url = reverse(f"admin:recovery_{model._meta.model_name}_changelist")
    with query_budget(admin_client_, url):
        ADMIN_ROWS[model](6)


def test_invoices_cannot_be_changed_in_the_admin(admin_client_):
    from fordela.recovery.models import Invoice

    ADMIN_ROWS[Invoice](1)
    invoice = Invoice.objects.get()
    assert admin_client_.get(reverse("admin:recovery_invoice_add")).status_code == 403
    change = admin_client_.post(
        reverse("admin:recovery_invoice_change", args=[invoice.pk]), {"amount_sek": "1"}
    )
    assert change.status_code == 403
    invoice.refresh_from_db()
    assert invoice.amount_sek == 1_000
