"""Demo follow-up reports (issue 17 §9): the 2020 and 2021 report periods
opened, and reports in every state — approved (some with unused money),
rejected, completion requested, submitted and waiting for review, and open
past the deadline (overdue). Ale kommun (ombud-1440) and Västra
Götalandsregionen (ombud-r14) have one of each kind the demo users can follow.

Every change goes through the real services with the clock moved to the day
it happens. Idempotent: only reports still open are acted on, and a report
is chosen by its place in the list, so a second run changes nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.test.utils import override_settings

from fordela.access.models import Membership, OrganisationRole

from . import review, services
from .models import Report, ReportStatus
from .overdue import record_overdue_reports

D = datetime.date
DEMO_TODAY = D(2022, 6, 15)
ANSWERS = {
    "activities_socialtjanst": "Utbildning i FREDA-kortfrågor för socialsekreterare och "
    "en gemensam rutin för att upptäcka våld i nära relationer.",
    "activities_barn": "Stödsamtal i grupp för barn som har upplevt våld.",
    "activities_samverkan": "Ett gemensamt handlingsprogram med regionen och polisen.",
    "results": "Fler våldsutsatta upptäcktes tidigare och fick stöd inom en vecka.",
    "lessons": "Samverkan med regionen fungerade bäst. Arbetet fortsätter i ordinarie "
    "verksamhet (delvis).",
}
# (year, the day reports are submitted, the day they are reviewed)
YEARS = {2020: (D(2021, 3, 15), D(2021, 4, 20)), 2021: (D(2022, 3, 20), D(2022, 4, 25))}


def _at(day: datetime.date, hour: int = 10):
    return override_settings(FORDELA_TODAY=f"{day.isoformat()}T{hour:02d}:00")


def _submitter(report: Report):
    membership = (
        Membership.objects.filter(
            organisation=report.organisation,
            role__in=[OrganisationRole.OMBUD, OrganisationRole.REPRESENTANT],
        )
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return membership.user if membership else None


def _submit(report: Report, day, unused: int = 0) -> bool:
    user = _submitter(report)
    if user is None or report.status != ReportStatus.OPEN:
        return False
    with _at(day):
        used = max(report.received_sek - unused, 0)
        services.save_draft(user, report, {**ANSWERS, "used_sek": used})
        services.submit_report(user, report)
    return True


def _plan(index: int, demo_seen: int | None, year: int) -> str:
    """What happens to the index:th report of a year (by case number);
    ``demo_seen``: how many of the demo organisation's reports of the year
    came before it (None for other organisations)."""
    if demo_seen is not None:
        if year == 2020:
            return "approve_unused"
        return "completion" if demo_seen == 0 else "submitted"
    if year == 2020:
        if index % 40 == 7:
            return "reject"
        if index % 10 == 3:
            return "approve_unused"
        return "approve" if index % 6 else "open"
    return {0: "approve", 1: "submitted", 3: "completion"}.get(index % 5, "open")


def seed_demo_reports(officer_username: str = "handlaggare") -> dict[str, int]:
    officer = get_user_model().objects.get(username=officer_username)
    done = {"opened": 0, "submitted": 0, "reviewed": 0, "overdue": 0}
    demo_organisations = set(
        Membership.objects.filter(user__username__in=["ombud-1440", "ombud-r14"]).values_list(
            "organisation_id", flat=True
        )
    )
    for year, (submitted_on, reviewed_on) in YEARS.items():
        with _at(D(year + 1, 1, 10), 8):
            done["opened"] += services.open_report_period(year, actor="demo").created
        reports = Report.objects.filter(year=year).order_by("case_number", "pk")
        seen: dict[int, int] = {}
        for index, report in enumerate(reports):
            demo_seen = None
            if report.organisation_id in demo_organisations:
                demo_seen = seen.get(report.organisation_id, 0)
                seen[report.organisation_id] = demo_seen + 1
            plan = _plan(index, demo_seen, year)
            if plan == "open" or report.status != ReportStatus.OPEN:
                continue
            unused = min(25_000 + 1_000 * (index % 7), report.received_sek)
            if not _submit(report, submitted_on, unused if plan == "approve_unused" else 0):
                continue
            done["submitted"] += 1
            with _at(reviewed_on, 14):
                if plan in ("approve", "approve_unused"):
                    review.approve_report(officer, report)
                elif plan == "reject":
                    review.reject_report(
                        officer,
                        report,
                        "Redovisningen visar inte att medlen har använts för bidragets syfte.",
                    )
                elif plan == "completion":
                    review.request_completion(
                        officer,
                        report,
                        "Beskriv resultaten med siffror: hur många fick stöd, och hur "
                        "förändrades väntetiden?",
                        D(2022, 7, 15),
                    )
                else:
                    continue
            done["reviewed"] += 1
    with _at(DEMO_TODAY, 6):
        done["overdue"] = record_overdue_reports()
    return done
