"""Starting, saving and submitting a requisition (rekvisition)."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fordela.audit.services import events_for
from fordela.core import clock
from fordela.payments.models import Payable
from fordela.requisitions import services
from fordela.requisitions.models import Requisition, RequisitionStatus

from .conftest import filled


@pytest.fixture
def draft(round_):
    return services.start_requisition(round_.users["ombud"], round_.ale, round_.pool)


def test_start_prefills_the_full_allocation(round_, draft):
    assert draft.amount_sek == round_.allocation(round_.ale)
    assert draft.status == RequisitionStatus.DRAFT
    assert draft.bank_giro == "50501055"


def test_starting_twice_gives_the_same_case(round_, draft):
    again = services.start_requisition(round_.users["representant"], round_.ale, round_.pool)
    assert again.pk == draft.pk


def test_uppgiftssamordnare_cannot_start(round_):
    with pytest.raises(PermissionDenied):
        services.start_requisition(round_.users["uppgiftssamordnare"], round_.ale, round_.pool)


def test_uppgiftssamordnare_can_save_a_draft(round_, draft):
    services.save_draft(round_.users["uppgiftssamordnare"], draft, {"contact_name": "Bo"})
    draft.refresh_from_db()
    assert draft.contact_name == "Bo"


def test_submit_gives_case_number_payable_and_audit(round_, draft):
    submitted = services.submit_requisition(round_.users["ombud"], draft, filled())
    assert submitted.status == RequisitionStatus.SUBMITTED
    assert re.fullmatch(r"2021-10-\d{4}", submitted.case_number)
    payable = Payable.objects.get(requisition=submitted)
    assert payable.amount_sek == submitted.amount_sek
    assert payable.due_on.isoformat() == "2021-10-27"  # 30 working days after 15 Sept
    assert events_for(submitted).first().action == "requisition.submitted"


def test_representant_can_submit(round_, draft):
    services.submit_requisition(round_.users["representant"], draft, filled())
    assert Requisition.objects.get().status == RequisitionStatus.SUBMITTED


def test_case_numbers_run_on(round_, draft):
    first = services.submit_requisition(round_.users["ombud"], draft, filled())
    other = services.start_requisition(
        round_.users["ombud_b"], round_.organisations[1], round_.pool
    )
    second = services.submit_requisition(round_.users["ombud_b"], other, filled())
    assert int(second.case_number[-4:]) == int(first.case_number[-4:]) + 1


def _refused(round_, draft, user, changes, field):
    before = Requisition.objects.values().get(pk=draft.pk)
    with pytest.raises((ValidationError, PermissionDenied)) as info:
        services.submit_requisition(user, draft, changes)
    assert Requisition.objects.values().get(pk=draft.pk) == before
    assert not Payable.objects.exists()
    if field:
        assert field in info.value.message_dict
        return " ".join(info.value.message_dict[field])
    return str(info.value)


def test_uppgiftssamordnare_cannot_submit(round_, draft):
    message = _refused(round_, draft, round_.users["uppgiftssamordnare"], filled(), None)
    assert "ombud" in message


def test_late_submission_is_refused(round_, draft, clock_at):
    clock_at("2021-10-02T00:00:01")
    message = _refused(round_, draft, round_.users["ombud"], filled(), "__all__")
    assert "1 oktober 2021" in message or "1 October 2021" in message


def test_submission_at_2359_on_the_last_day_is_on_time(round_, draft, clock_at):
    clock_at("2021-10-01T23:59:59")
    assert services.submit_requisition(round_.users["ombud"], draft, filled()).case_number


def in_kronor(amount: int) -> str:
    """Written out by hand, the Swedish way: 1 234 567 kr (narrow no-break
    spaces between thousands, a no-break space before kr)."""
    return f"{amount:,}".replace(",", "\u202f") + "\u00a0kr"


def test_amount_above_allocation_is_refused(round_, draft):
    limit = round_.allocation(round_.ale)
    assert limit >= 1000  # so the limit is written with a thousands space
    message = _refused(
        round_, draft, round_.users["ombud"], filled(amount_sek=limit + 1), "amount_sek"
    )
    assert in_kronor(limit) in message
    assert in_kronor(limit + 1) not in message


def test_bad_bank_giro_is_refused(round_, draft):
    _refused(round_, draft, round_.users["ombud"], filled(bank_giro="5050-1056"), "bank_giro")


def test_opt_in_needs_the_full_amount(round_, draft):
    _refused(
        round_,
        draft,
        round_.users["ombud"],
        filled(amount_sek=1000, wants_redistribution=True),
        "wants_redistribution",
    )


def test_unconfirmed_conditions_are_refused(round_, draft):
    _refused(
        round_,
        draft,
        round_.users["ombud"],
        filled(conditions_confirmed=False),
        "conditions_confirmed",
    )


def test_unpublished_key_cannot_be_requisitioned(round_):
    from fordela.allocation.services import compute_key
    from tests.factories import PoolFactory

    pool = PoolFactory(
        programme_year=round_.pool.programme_year, slug="kommuner", closes_on=round_.pool.closes_on
    )
    compute_key(pool, actor="tests")
    with pytest.raises(ValidationError, match="not published"):
        services.start_requisition(round_.users["ombud"], round_.ale, pool)


def test_submitting_twice_is_refused(round_, draft):
    services.submit_requisition(round_.users["ombud"], draft, filled())
    with pytest.raises(ValidationError, match="already been submitted"):
        services.submit_requisition(round_.users["ombud"], draft, filled())
    assert Payable.objects.count() == 1


def test_receipt_email_over_smtp(round_, draft, smtp_sink, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.submit_requisition(round_.users["ombud"], draft, filled())
    messages = smtp_sink.parsed()
    assert len(messages) == 1
    assert submitted.case_number in messages[0]["Subject"]
    assert submitted.case_number in messages[0].get_content()
    assert "anna@example.se" in messages[0]["To"]


def test_the_submitted_case_loads_what_it_was_not_read_with(round_, draft, clock_at):
    # The returned case is whole: what the submission did not read loads on
    # access, with the database's values.
    clock_at("2021-09-15T10:05")
    submitted = services.submit_requisition(round_.users["ombud"], draft.pk, filled())
    assert submitted.organisation.name == "Ale kommun"
    assert submitted.organisation.municipality_code == "1440"
    assert submitted.pool.slug == "kommuner-pafyllnad"
    assert submitted.pool.programme_year.programme_id == round_.pool.programme_year.programme_id
    assert submitted.allocation.amount_sek == round_.allocation(round_.ale)
    assert str(submitted) == f"{submitted.case_number} Ale kommun – Kommuner, påfyllnad 2021"
    stored = Requisition.objects.get()
    assert (stored.case_number, stored.submitted_by, stored.status) == (
        submitted.case_number,
        round_.users["ombud"],
        RequisitionStatus.SUBMITTED,
    )
    # auto_now, at the product clock's time (core.clock.DateTimeField).
    assert stored.updated_at == stored.submitted_at == clock.now()
    assert stored.updated_at > draft.updated_at


def test_audit_events_of_a_submission_name_the_case_and_the_payable(round_, draft):
    submitted = services.submit_requisition(round_.users["ombud"], draft, filled(contact_name="Bo"))
    event = events_for(submitted).get(action="requisition.submitted")
    assert event.actor == round_.users["ombud"]
    assert event.before["status"] == "draft" and event.after["status"] == "submitted"
    assert event.after["case_number"] == submitted.case_number
    assert event.after["contact_name"] == "Bo"
    payable = Payable.objects.get(requisition=submitted)
    created = events_for(payable).get()
    assert created.action == "payable.created"
    assert created.object_label == f"{submitted.case_number} Ale kommun: {payable.amount_sek} kr"
    assert created.after == {"amount_sek": payable.amount_sek, "due_on": "2021-10-27"}
