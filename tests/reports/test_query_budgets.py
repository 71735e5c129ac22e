"""The report lists and the case page run as many queries for many rows as
for few (issue 17 §8's query budget, for the pages there are so far)."""

import datetime

from django.urls import reverse

from fordela.reports import review, services
from fordela.reports.models import Report
from tests.query_budget import query_budget

from .conftest import client_for
from .test_form import ANSWERS


def test_lists_do_not_grow_with_reports(paid_round):
    services.open_report_period(2021)
    bjurholm = paid_round.organisations[1]
    Report.objects.filter(organisation=bjurholm).delete()
    officer = client_for(paid_round.users["handlaggare"])
    urls = [
        reverse("reports:staff_list"),
        reverse("reports:staff_csv"),
        reverse("reports:staff_xlsx"),
        reverse("reports:organisation", args=[bjurholm.pk]),
    ]
    # Filtered by programme (with another filter), on the page and in the files.
    programme = paid_round.pool.programme_year.programme_id
    urls += [f"{url}?programme={programme}&year=2021" for url in urls[:3]]
    with query_budget(officer, *urls):
        assert services.open_report_period(2021).created == 1
    assert Report.objects.count() == 2


def test_the_case_page_does_not_grow_with_submissions(paid_round):
    services.open_report_period(2021)
    report = Report.objects.get(organisation=paid_round.ale)
    ombud = paid_round.users["ombud"]
    officer = paid_round.users["handlaggare"]
    services.save_draft(ombud, report, {**ANSWERS, "used_sek": 1000})
    services.submit_report(ombud, report)
    review.request_completion(officer, report, "Mer om resultaten.", datetime.date(2022, 5, 1))
    services.save_draft(ombud, report, {"results": "Ännu fler fick stöd."})
    services.submit_report(ombud, report)
    with query_budget(client_for(officer), reverse("reports:staff_case", args=[report.pk])):
        review.request_completion(officer, report, "Och lärdomarna.", datetime.date(2022, 5, 2))
        services.save_draft(ombud, report, {"lessons": "Samverkan är nyckeln."})
        services.submit_report(ombud, report)
    assert report.submissions.count() == 3
