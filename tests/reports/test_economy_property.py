"""The economic statement's arithmetic for any amounts (hypothesis): a used
amount within 0…received is kept and unused = received − used, anything else
is refused and changes nothing; over any set of submitted and reviewed
reports, Σ unused of the approved reports = Σ (received − used) of them, the
figure the queue's total and recovery start from."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fordela.reports import review, services
from fordela.reports.models import Report, ReportStatus

from .test_form import ANSWERS


class Rollback(Exception):
    pass


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    used=st.lists(
        st.one_of(
            st.integers(min_value=-10, max_value=2_000_000),
            st.sampled_from(["", "1 000", "12,5", "-3", "abc", "99999999999"]),
        ),
        min_size=2,
        max_size=2,
    ),
    outcomes=st.lists(st.sampled_from(["approve", "reject", "leave"]), min_size=2, max_size=2),
)
def test_unused_is_received_minus_used(paid_round, used, outcomes):
    try:
        with transaction.atomic():
            _play(paid_round, used, outcomes)
            raise Rollback
    except Rollback:
        pass


def _play(paid_round, used, outcomes):
    services.open_report_period(2021)
    officer = paid_round.users["handlaggare"]
    submitters = {paid_round.ale.pk: "ombud", paid_round.organisations[1].pk: "ombud_b"}
    expected_unused = 0
    for report, value, outcome in zip(Report.objects.order_by("pk"), used, outcomes, strict=True):
        user = paid_round.users[submitters[report.organisation_id]]
        saved = services.save_draft(user, report, {**ANSWERS, "used_sek": value})
        report.refresh_from_db()
        amount = value if isinstance(value, int) else None
        if value == "1 000":
            amount = 1000
        if amount is not None and 0 <= amount <= report.received_sek:
            assert "used_sek" not in saved.problems
            assert (report.used_sek, report.unused_sek) == (amount, report.received_sek - amount)
        else:
            if value != "":
                assert saved.problems["used_sek"]
            assert report.used_sek is None and report.unused_sek is None
            with pytest.raises(ValidationError):
                services.submit_report(user, report)
            continue
        services.submit_report(user, report)
        if outcome == "approve":
            review.approve_report(officer, report)
            expected_unused += report.received_sek - amount
        elif outcome == "reject":
            review.reject_report(officer, report, "Nej.")
    approved = Report.objects.filter(status=ReportStatus.APPROVED)
    assert (approved.aggregate(total=Sum("unused_sek"))["total"] or 0) == expected_unused
