"""The demo's follow-up reports (issue 17 §9) go through the real services
and a second run changes nothing."""

from fordela.audit.models import AuditEvent
from fordela.reports.demo import seed_demo_reports
from fordela.reports.models import Report, ReportStatus


def test_demo_reports_in_their_states_and_idempotent(paid_round):
    first = seed_demo_reports()
    assert first["opened"] == 2
    statuses = dict(Report.objects.values_list("organisation__name", "status"))
    assert statuses == {
        "Ale kommun": ReportStatus.APPROVED,
        "Bjurholms kommun": ReportStatus.SUBMITTED,
    }
    events = AuditEvent.objects.count()
    assert seed_demo_reports() == {"opened": 0, "submitted": 0, "reviewed": 0, "overdue": 0}
    assert AuditEvent.objects.count() == events
