"""The pages after a regional decision in the URL × role table
(tests/access/url_access_table.py): the grantee's report, the region's
review, the invoice and its payment, the round's invoices.

The world's region (``world.region``) runs a decided round; the world's
organisation (Ale kommun) is granted four times, as an external local
actor: one report open, one submitted, one approved without an invoice and
one approved with a recorded invoice. The grantee's pages are for the
members of the organisation that applied (every member role; the others
403). The region's pages are for its staff (READ_ROUNDS: administrator and
decision maker) and, read-only, the agency's readers (handläggare,
beslutsfattare, ekonomi); reviewing, recording invoices and payments for its
administrator only (REVIEW_REPORTS, RECORD_INVOICES); another region's
administrator gets 403."""

import datetime

from tests.access.url_access_table import Entry, expect, key

MEMBERS_200 = expect(403, anonymous=302, uppgiftssamordnare=200, representant=200, ombud=200)
READERS_200 = expect(
    403,
    anonymous=302,
    regional_admin=200,
    regional_decider=200,
    handlaggare=200,
    beslutsfattare=200,
    ekonomi=200,
)
ADMIN_200 = expect(403, anonymous=302, regional_admin=200)
ADMIN_302 = expect(403, anonymous=302, regional_admin=302)


def _objects(world) -> dict:
    if "regional_after" not in world.extras:
        from fordela.core import clock
        from fordela.programmes.models import ProgrammeYear
        from fordela.regional.models import (
            RoundQuestionSet,
            RoundStatus,
            SubGrantReport,
            SubGrantRound,
        )
        from fordela.regional.services import invoices, reports
        from tests.regional.after_fixtures import ANSWERS, decided_grant
        from tests.regional.conftest import QUESTIONS

        admin, decider = world.users["regional_admin"], world.users["regional_decider"]
        grantee = world.users["ombud"]
        year = ProgrammeYear.objects.get(
            programme__slug=key(world)["programme"], year=key(world)["year"]
        )
        round_ = SubGrantRound.objects.create(
            region=world.region,
            programme_year=year,
            title="Statliga medel efter beslut",
            apply_by=datetime.date(year.year, 5, 15),
            decide_by=datetime.date(year.year, 6, 30),
            use_from=datetime.date(year.year, 1, 1),
            use_to=datetime.date(year.year, 12, 31),
            report_by=datetime.date(year.year + 1, 1, 15),
            state_funding_sek=1_000_000,
            status=RoundStatus.FINISHED,
        )
        round_.question_set = RoundQuestionSet.objects.create(
            round=round_,
            version=1,
            questions=QUESTIONS,
            status="published",
            published_at=clock.now(),
        )
        round_.save(update_fields=["question_set"])
        decisions = [
            decided_grant(round_, world.organisation, proposer=admin, decider=decider)
            for _ in range(4)
        ]
        reports.open_reports(admin, round_)
        opened, submitted, approved, invoiced = (
            SubGrantReport.objects.get(decision=decision) for decision in decisions
        )
        for report in (submitted, approved, invoiced):
            reports.save_draft(grantee, report, {**ANSWERS, "used_sek": "80 000"})
            reports.submit(grantee, report)
        for report in (approved, invoiced):
            reports.approve(admin, report)
        invoice = invoices.record_invoice(
            admin,
            invoiced,
            reference="F-1001",
            amount_sek="80 000",
            invoice_date=clock.today() - datetime.timedelta(days=10),
            bank_giro="5050-1055",
        )
        world.extras["regional_after"] = {
            "round": round_.pk,
            "opened": opened.pk,
            "submitted": submitted.pk,
            "approved": approved.pk,
            "invoice": invoice.pk,
        }
    return world.extras["regional_after"]


def _pk(name: str):
    return lambda world: {"pk": _objects(world)[name]}


def _round(world) -> dict:
    return {"round_pk": _objects(world)["round"]}


def _payment(world) -> dict:
    from fordela.core import clock

    return {"paid_on": clock.today().isoformat(), "payment_reference": "Ver 2023-118"}


ROWS = {
    "regional:grantee_report": Entry(MEMBERS_200, kwargs=_pk("opened")),
    "regional:grantee_report_autosave": Entry(
        MEMBERS_200,
        kwargs=_pk("opened"),
        method="post",
        data=lambda w: {"results": "Fler utsatta fick stöd."},
    ),
    "regional:grantee_report_check": Entry(MEMBERS_200, kwargs=_pk("opened")),
    "regional:grantee_report_receipt": Entry(MEMBERS_200, kwargs=_pk("submitted")),
    "regional:round_reports": Entry(READERS_200, kwargs=_round),
    "regional:open_round_reports": Entry(
        ADMIN_302, kwargs=_round, method="post", note="opens none (all open): to the list"
    ),
    "regional:report_review": Entry(READERS_200, kwargs=_pk("submitted")),
    "regional:report_review_send": Entry(
        ADMIN_200,
        kwargs=_pk("submitted"),
        method="post",
        data=lambda w: {"action": "approve"},
        note="asks for a confirmation first",
    ),
    "regional:invoice_new": Entry(ADMIN_200, kwargs=_pk("approved")),
    "regional:invoice": Entry(READERS_200, kwargs=_pk("invoice")),
    "regional:invoice_pay": Entry(
        ADMIN_200,
        kwargs=_pk("invoice"),
        method="post",
        data=_payment,
        note="asks for a confirmation first",
    ),
    "regional:round_invoices": Entry(READERS_200, kwargs=_round),
    "regional:round_invoices_csv": Entry(READERS_200, kwargs=_round),
    "regional:round_invoices_xlsx": Entry(READERS_200, kwargs=_round),
}
