"""Demo recovery (issue 18): from the demo's follow-up reports
(``fordela.reports.demo``), the reports that need a recovery decision (approved
with unused money, rejected) are taken, in case-number order, through each
state a new user should see:

- two proposals waiting for the beslutsfattare;
- a decided claim whose invoice is partly paid by a BgMax file and then
  reminded (Ale kommun, ``ombud-1440``, sees it on the start page);
- an invoice paid in full from the BgMax file, with 250 kr too much in the
  queue; one paid by hand; one credited in full; one written off after its
  reminder; one issued and reminded, still unpaid; a claim waived;
- in the same BgMax file, a payment that matches no invoice (in the queue).

The rest stay in the handläggare's list. Every change goes through the
services with the clock moved to its day (the grant year's next spring and
summer), so the audit trail, the letters and the e-mails are real.
Idempotent: each step acts only on what has not reached its state, the
payments by hand have a fixed submission key and the BgMax file is the same
bytes (refused by its checksum) on a second run."""

import datetime
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.test.utils import override_settings

from fordela.access.models import Membership
from fordela.core.formatting import grouped

from .models import (
    BgMaxImport,
    Invoice,
    RecoveryDecision,
    RecoveryOutcome,
    RecoveryStatus,
)
from .reminders import send_invoice_reminders
from .services import decisions, invoices, payments
from .services.payments import AlreadyRegistered

D = datetime.date
# The demo organisation whose ombud follows a case (Ale kommun, ombud-1440).
DEMO_ORGANISATIONS = {"ombud-1440": "partly_paid"}
# What happens to the other reports, in order; the rest are left to propose.
PLANS = [
    "paid_bgmax",
    "paid_by_hand",
    "credited",
    "written_off",
    "waived",
    "reminded",
    "proposed",
    "proposed",
]
DECIDED = {
    "partly_paid",
    "paid_bgmax",
    "paid_by_hand",
    "credited",
    "written_off",
    "waived",
    "reminded",
}
MOTIVATION = {
    "unused": "Enligt återrapporten har {amount} kr inte förbrukats under bidragsåret. "
    "Medel som inte har använts ska betalas tillbaka.",
    "other": "Återrapporten har inte godkänts: redovisningen visar inte att medlen har använts "
    "för bidragets syfte. Hela beloppet ska därför betalas tillbaka.",
    "waive": "Beloppet är litet och kommunen har visat att medlen kommer att användas i "
    "verksamheten under nästa år. Socialstyrelsen avstår därför från återkrav.",
}
OVERPAID_SEK = 250
UNMATCHED_SEK = 3_400
SERIAL_PREFIX = "9020"  # the demo's BGC serial numbers: 9020 + eight digits


def _at(day: datetime.date, hour: int = 10):
    return override_settings(FORDELA_TODAY=f"{day.isoformat()}T{hour:02d}:00")


def _days(year: int) -> dict[str, datetime.date]:
    """The demo's calendar for the recovery of grant year ``year`` (whose
    reports were reviewed in April the year after)."""
    after = year + 1
    return {
        "propose": D(after, 5, 3),
        "decide": D(after, 5, 10),  # invoices due 30 days later, 9 June
        "paid_by_hand": D(after, 5, 20),
        "credit": D(after, 5, 25),
        "bgmax": D(after, 6, 7),
        "remind": D(after, 6, 24),  # 15 days after the due date
        "write_off": D(after, 9, 1),
    }


def _eligible():
    """The reports that need (or got) a recovery decision, in a stable order."""
    from fordela.reports.models import Report, ReportStatus

    return list(
        Report.objects.filter(
            Q(status=ReportStatus.APPROVED, unused_sek__gt=0) | Q(status=ReportStatus.REJECTED)
        )
        .select_related("organisation")
        .order_by("year", "case_number", "pk")
    )


def _plans() -> list[tuple[object, str]]:
    demo = dict(
        Membership.objects.filter(user__username__in=DEMO_ORGANISATIONS).values_list(
            "organisation_id", "user__username"
        )
    )
    chosen, others = [], iter(PLANS)
    taken: set[str] = set()
    for report in _eligible():
        username = demo.get(report.organisation_id)
        if username and DEMO_ORGANISATIONS[username] not in taken:
            chosen.append((report, DEMO_ORGANISATIONS[username]))
            taken.add(DEMO_ORGANISATIONS[username])
            continue
        plan = next(others, None)
        if plan is None:
            continue
        chosen.append((report, plan))
    return chosen


def _propose(officer, report, plan: str) -> RecoveryDecision | None:
    existing = RecoveryDecision.objects.filter(report=report).first()
    if existing is not None:
        return existing
    candidate = decisions.candidate_for(report)
    if candidate is None:
        return None
    waive = plan == "waived"
    if waive:
        motivation = MOTIVATION["waive"]
    elif candidate.ground == "unused":
        motivation = MOTIVATION["unused"].format(amount=grouped(candidate.suggested_sek))
    else:
        motivation = MOTIVATION["other"]
    return decisions.propose_recovery(
        officer,
        report,
        outcome=RecoveryOutcome.WAIVE if waive else RecoveryOutcome.CLAIM,
        ground=candidate.ground,
        amount_sek=candidate.suggested_sek,
        motivation=motivation,
    )


# ------------------------------------------------------------------- BgMax


def _line(text: str) -> str:
    assert len(text) <= 80, text
    return text.ljust(80)


def bgmax_content(
    rows: list[tuple[str, int, str, str]], paid_on: datetime.date, written_at: datetime.datetime
) -> bytes:
    """A BgMax file (Bankgirot's layout, as ``recovery.bgmax`` reads it) of
    one deposit to the agency's bank giro: each row (OCR reference, amount in
    kronor, BGC serial number, payer's name)."""
    total = sum(amount for _ref, amount, _serial, _name in rows) * 100
    lines = [
        _line(
            "01"
            + "BGMAX".ljust(20)
            + "01"
            + written_at.strftime("%Y%m%d%H%M%S")
            + f"{written_at.microsecond:06d}"
            + "P"
        ),
        _line("05" + settings.FORDELA_AGENCY_BANKGIRO.rjust(10, "0") + " " * 10 + "SEK"),
    ]
    for reference, amount, serial, name in rows:
        lines.append(
            _line(
                "20"
                + "9912346".rjust(10, "0")
                + reference.rjust(25)
                + str(amount * 100).rjust(18, "0")
                + "2"
                + "1"
                + serial.rjust(12, "0")
                + "0"
            )
        )
        lines.append(_line("26" + name.ljust(35)))
    lines.append(
        _line(
            "15"
            + "36000123456".rjust(35, "0")
            + paid_on.strftime("%Y%m%d")
            + "00001"
            + str(total).rjust(18, "0")
            + "SEK"
            + str(len(rows)).rjust(8, "0")
        )
    )
    lines.append(_line("70" + "".join(str(n).rjust(8, "0") for n in (len(rows), 0, 0, 1))))
    return ("\r\n".join(lines) + "\r\n").encode("iso-8859-1")


def _bgmax(ekonomi, by_plan: dict[str, Invoice], day: datetime.date) -> int:
    rows = []
    serial = 0

    def add(reference: str, amount: int, name: str) -> None:
        nonlocal serial
        serial += 1
        rows.append((reference, amount, f"{SERIAL_PREFIX}{day:%y%m}{serial:04d}", name))

    if "partly_paid" in by_plan:
        invoice = by_plan["partly_paid"]
        add(invoice.ocr, invoice.amount_sek // 2, invoice.organisation.name[:35])
    if "paid_bgmax" in by_plan:
        invoice = by_plan["paid_bgmax"]
        add(invoice.ocr, invoice.amount_sek + OVERPAID_SEK, invoice.organisation.name[:35])
    add("4711", UNMATCHED_SEK, "Föreningen Okänd")
    written_at = datetime.datetime.combine(day, datetime.time(7, 30))
    content = bgmax_content(rows, day - datetime.timedelta(days=3), written_at)
    if BgMaxImport.objects.filter(sha256=payments.sha256(content)).exists():
        return 0
    with _at(day, 9):
        payments.import_bgmax(ekonomi, f"BGMAX_{day:%Y%m%d}.txt", content)
    return 1


# ---------------------------------------------------------------- the seed


def seed_demo_recovery() -> dict[str, int]:
    users = get_user_model().objects.in_bulk(
        ["handlaggare", "beslutsfattare", "ekonomi"], field_name="username"
    )
    officer, decider, ekonomi = users["handlaggare"], users["beslutsfattare"], users["ekonomi"]
    done = {"proposed": 0, "decided": 0, "paid": 0, "credited": 0, "written_off": 0}
    done |= {"reminded": 0, "imported": 0}
    plans = _plans()
    years = sorted({report.year for report, _plan in plans})
    for year in years:
        days = _days(year)
        of_year = [(r, p) for r, p in plans if r.year == year]
        by_plan: dict[str, Invoice] = {}
        for report, plan in of_year:
            if RecoveryDecision.objects.filter(report=report).exists():
                continue
            with _at(days["propose"]):
                if _propose(officer, report, plan):
                    done["proposed"] += 1
        for report, plan in of_year:
            decision = RecoveryDecision.objects.filter(report=report).first()
            if decision is None:
                continue
            if plan in DECIDED and decision.status == RecoveryStatus.PROPOSED:
                with _at(days["decide"], 14):
                    decisions.decide_recovery(decider, decision)
                done["decided"] += 1
            invoice = Invoice.objects.filter(decision=decision).select_related("organisation")
            if invoice.exists():
                by_plan[plan] = invoice.get()

        if "paid_by_hand" in by_plan:
            invoice = by_plan["paid_by_hand"]
            with _at(days["paid_by_hand"]):
                try:
                    payments.register_payment(
                        ekonomi,
                        reference=invoice.ocr,
                        amount_sek=invoice.amount_sek,
                        paid_on=days["paid_by_hand"] - datetime.timedelta(days=1),
                        payer_name=invoice.organisation.name[:100],
                        submission_key=uuid.uuid5(
                            uuid.NAMESPACE_URL, f"fordela-demo-recovery:{invoice.number}"
                        ),
                    )
                    done["paid"] += 1
                except AlreadyRegistered:
                    pass
        if "credited" in by_plan:
            invoice = by_plan["credited"]
            invoice.refresh_from_db()
            if invoice.is_open and not invoice.credited_sek:
                with _at(days["credit"]):
                    invoices.credit_invoice(
                        ekonomi,
                        invoice,
                        invoice.outstanding_sek,
                        "Kommunen har visat att beloppet användes till bidragets syfte före "
                        "årsskiftet; återrapporten var fel. Fakturan krediteras.",
                    )
                done["credited"] += 1
        done["imported"] += _bgmax(ekonomi, by_plan, days["bgmax"])
        with _at(days["remind"], 6):
            done["reminded"] += send_invoice_reminders()
        if "written_off" in by_plan:
            invoice = by_plan["written_off"]
            invoice.refresh_from_db()
            if invoice.is_open:
                with _at(days["write_off"]):
                    invoices.write_off_invoice(
                        ekonomi,
                        invoice,
                        "Beloppet understiger kostnaden för fortsatt indrivning.",
                    )
                done["written_off"] += 1
    return done
