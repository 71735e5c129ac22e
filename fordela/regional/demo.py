"""Demo regional sub-grants (issue 20): Västra Götalandsregionen's own round
"Statliga medel 2022 – våld i nära relationer" with the VKV dates, backed by
the region's paid 2022 requisition, and applications in every state — a
draft, submitted, proposed, decided (granted and rejected), a report
submitted, a report approved, an invoice recorded and an invoice paid —
from the region's own units (unit code) and local actors (kommuner in län 14
and an association, with their organisation numbers).

The region's staff: ``vkv`` (administrator: rounds, assessment, reports,
invoices) and ``vkv-beslut`` (decision maker), password "demo". The
applicants are the demo's ombud: ``ombud-r14`` for the region's own units,
``ombud-<kommunkod>`` for the kommuner, ``ombud-ngo`` for the association.

Every change goes through the regional services with the clock moved to the
day it happens (spring 2022 to February 2023). Run after
seed_demo_recovery. Idempotent: the round is found by its title, each
application by its applicant (and unit), and each step acts only on what has
not reached its state, so a second run changes nothing."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test.utils import override_settings

from fordela.access.models import Membership, OrganisationRole, RegionalAssignment, RegionalRole
from fordela.allocation.models import AllocationKey
from fordela.allocation.services import freeze_key
from fordela.applications.demo import DEMO_NGO, seed_demo_applicants
from fordela.organisations.models import Organisation, OrganisationKind
from fordela.payments import services as payments
from fordela.payments.models import Payable, PayableSource, PayableStatus
from fordela.programmes.models import Pool, PoolKind
from fordela.reports.models import ReportStatus
from fordela.requisitions.demo import _staff, _submit
from fordela.requisitions.models import Requisition, RequisitionStatus

from .models import (
    RoundStatus,
    SubGrantApplication,
    SubGrantInvoice,
    SubGrantInvoiceStatus,
    SubGrantReport,
    SubGrantRound,
    SubGrantStatus,
)
from .services import applying, decisions, invoices, reports, rounds

D = datetime.date
DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts only, documented in the README
YEAR = 2022
REGION_COUNTY = "14"
TITLE = "Statliga medel 2022 – våld i nära relationer"
STAFF = {
    "vkv": ("Vera", "Våldsprevention", RegionalRole.ADMINISTRATOR),
    "vkv-beslut": ("Bengt", "Beslut", RegionalRole.DECISION_MAKER),
}
ROUND = {
    "title": TITLE,
    "summary": "Västra Götalandsregionen fördelar 2022 års statliga utvecklingsmedel för "
    "arbetet mot våld i nära relationer vidare till kommuner, föreningar och regionens "
    "egna verksamheter i länet.",
    "purposes": "Insatser för våldsutsatta vuxna och barn, för våldsutövare som vill "
    "förändras, och kompetensutveckling och samverkan i arbetet mot våld i nära relationer, "
    "hedersrelaterat våld och förtryck.",
    "contact": "Regionalt kunskapscentrum för våld i nära relationer, vkv@demo.fordela.example",
    "apply_by": D(2022, 5, 15),
    "decide_by": D(2022, 6, 30),
    "use_from": D(2022, 1, 1),
    "use_to": D(2022, 12, 31),
    "report_by": D(2023, 1, 15),
    "own_funding_sek": 250_000,
}
QUESTIONS = [
    {
        "key": "purpose",
        "text": "Vad ska medlen användas till?",
        "help": "Beskriv insatsen och vad den ska leda till.",
        "max_length": 3000,
        "required": True,
    },
    {
        "key": "target_group",
        "text": "Vilka når insatsen?",
        "help": "Till exempel våldsutsatta vuxna, barn som upplevt våld eller personal.",
        "max_length": 1500,
        "required": True,
    },
    {
        "key": "cooperation",
        "text": "Vilka samverkar ni med?",
        "help": "",
        "max_length": 1500,
        "required": False,
    },
]
# The calendar: (day, hour) of each step.
DAYS = {
    "requisition": (D(2022, 4, 19), 10),
    "paid": (D(2022, 4, 20), 9),
    "round": (D(2022, 4, 21), 9),
    "start": (D(2022, 4, 26), 10),
    "submit": (D(2022, 5, 12), 14),
    "close": (D(2022, 5, 16), 8),
    "propose": (D(2022, 6, 8), 10),
    "decide": (D(2022, 6, 15), 11),
    "open_reports": (D(2022, 7, 1), 8),
    "report": (D(2023, 1, 12), 13),
    "review": (D(2023, 1, 20), 10),
    "invoice": (D(2023, 1, 27), 10),
    "pay": (D(2023, 2, 10), 10),
}
# The stage each application reaches, in the order of the steps.
STAGES = [
    "draft",
    "submitted",
    "proposed",
    "granted",  # or rejected
    "report_submitted",
    "report_approved",
    "invoice_recorded",
    "invoice_paid",
]


@dataclass(frozen=True)
class Plan:
    """One demo application: who applies (a kommun by its code, the region
    for an own unit, or the association) and how far it goes."""

    applicant: str  # "region", "ngo" or a kommun code
    title: str
    requested_sek: int
    stage: str
    unit_code: str = ""
    unit_name: str = ""
    granted_sek: int | None = None  # None: as requested
    rejected: bool = False
    unused_sek: int = 0


PLANS = [
    Plan(
        "region",
        "Våldsutsatta patienter upptäcks tidigt i mödrahälsovården",
        480_000,
        "invoice_paid",
        unit_code="K4120",
        unit_name="Kvinnokliniken, Södra Älvsborgs sjukhus",
        granted_sek=450_000,
    ),
    Plan(
        "1490",
        "Stödsamtal för barn som har upplevt våld",
        600_000,
        "invoice_paid",
        unused_sek=35_000,
    ),
    Plan("1440", "Ale mot våld: en väg in för våldsutsatta", 350_000, "invoice_recorded"),
    Plan(
        "region",
        "Frågor om våld i tandvårdens anamnes",
        220_000,
        "report_approved",
        unit_code="T2200",
        unit_name="Tandvården Fyrbodal",
    ),
    Plan(
        "region",
        "Traumamedveten behandling för barn som har upplevt våld",
        540_000,
        "report_submitted",
        unit_code="B3150",
        unit_name="Barn- och ungdomspsykiatrin",
        granted_sek=500_000,
    ),
    Plan("1488", "Samordnare för våld i nära relationer", 420_000, "granted"),
    Plan(
        "1487",
        "Informationskampanj i lokaltidningen",
        150_000,
        "granted",
        rejected=True,
    ),
    Plan("ngo", "Jourtelefon på kvällar och helger", 180_000, "proposed"),
    Plan("1485", "Gruppverksamhet för våldsutövare som vill förändras", 390_000, "submitted"),
    Plan("1441", "Utbildning i FREDA för socialtjänsten", 120_000, "draft"),
]
REPORT_ANSWERS = {
    "activities_socialtjanst": "Utbildning i FREDA-kortfrågor och en gemensam rutin för att "
    "upptäcka våld i nära relationer.",
    "activities_barn": "Stödsamtal i grupp och enskilt för barn som har upplevt våld.",
    "activities_samverkan": "Ett gemensamt handlingsprogram med regionen, kommunerna och "
    "polisen i länet.",
    "results": "Fler våldsutsatta upptäcktes tidigare och fick stöd inom en vecka.",
    "lessons": "Samverkan fungerade bäst när en person hade samordningsansvaret. Arbetet "
    "fortsätter i ordinarie verksamhet.",
}


def _at(day: datetime.date, hour: int = 10):
    return override_settings(FORDELA_TODAY=f"{day.isoformat()}T{hour:02d}:00")


def _when(step: str):
    return _at(*DAYS[step])


def _reached(plan: Plan, stage: str) -> bool:
    return STAGES.index(plan.stage) >= STAGES.index(stage)


def region() -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.REGION, region_county_code=REGION_COUNTY)


def _staff_users(vgr: Organisation) -> dict[str, object]:
    """``vkv`` and ``vkv-beslut`` with their regional roles (password demo,
    reset on every run as seed_demo_users does)."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    users = {}
    for username, (first, last, role) in STAFF.items():
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.fordela.example",
            },
        )
        user.password = password
        user.save(update_fields=["password"])
        RegionalAssignment.objects.get_or_create(user=user, region=vgr, role=role)
        users[username] = user
    return users


# ------------------------------------------------------ the funding chain


def _requisition_pool() -> Pool:
    return Pool.objects.get(
        programme_year__year=YEAR,
        kind=PoolKind.REQUISITION,
        slug="regioner",
    )


def _paid_requisition(vgr: Organisation) -> Requisition:
    """The region's 2022 requisition, paid: the one the demo rounds made, or
    one submitted by its ombud on 19 April and paid in a batch of its own the
    next day (only that payable: the others wait for the month's batch)."""
    pool = _requisition_pool()
    requisition = (
        Requisition.objects.filter(pool=pool, organisation=vgr)
        .exclude(status__in=[RequisitionStatus.WITHDRAWN, RequisitionStatus.REJECTED])
        .first()
    )
    if requisition is None:
        key = AllocationKey.objects.get(pool=pool)
        if not key.is_frozen:
            freeze_key(key, actor="seed_demo_regional")
        allocation = key.allocations.get(organisation=vgr)
        day, hour = DAYS["requisition"]
        moment = datetime.datetime.combine(day, datetime.time(hour, 0))
        if not _submit(pool, moment, allocation, allocation.amount_sek, False):
            raise RuntimeError("Run seed_demo_users first: the region has no ombud.")
        requisition = Requisition.objects.get(pool=pool, organisation=vgr)
    if requisition.status != RequisitionStatus.PAID:
        staff = _staff()
        payable = Payable.objects.get(
            source=PayableSource.REQUISITION,
            requisition=requisition,
            status=PayableStatus.OPEN,
        )
        day, hour = DAYS["paid"]
        with _at(day, hour):
            batch = payments.create_batch(staff.ekonomi, day, payable_ids=[payable.pk]).batch
            payments.approve_batch(staff.approver, batch)
        with _at(day, 15):
            payments.confirm_batch_paid(staff.ekonomi, batch)
        requisition.refresh_from_db()
    return requisition


def _round(vgr: Organisation, admin) -> SubGrantRound:
    existing = SubGrantRound.objects.filter(
        region=vgr, programme_year__year=YEAR, title=TITLE
    ).first()
    if existing is not None and existing.status != RoundStatus.DRAFT:
        return existing
    pool = _requisition_pool()
    with _when("round"):
        round_ = existing or rounds.create_round(admin, vgr, pool.programme_year, ROUND)
        if round_.question_set_id is None:
            rounds.save_question_draft(admin, round_, QUESTIONS)
            rounds.publish_questions(admin, round_)
            round_.refresh_from_db()
        return rounds.open_round(admin, round_)


# ------------------------------------------------------------ applicants


def _applicant(plan: Plan, vgr: Organisation) -> tuple[Organisation, object]:
    """The organisation that applies and its ombud (who starts, fills in
    and submits)."""
    if plan.applicant == "region":
        organisation = vgr
    elif plan.applicant == "ngo":
        organisation = Organisation.objects.get(reference_key=DEMO_NGO["reference_key"])
    else:
        organisation = Organisation.objects.get(
            kind=OrganisationKind.KOMMUN, municipality_code=plan.applicant
        )
    membership = (
        Membership.objects.filter(organisation=organisation, role=OrganisationRole.OMBUD)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise RuntimeError(f"{organisation.name} has no ombud: run seed_demo_users first.")
    return organisation, membership.user


def _application(round_, plan: Plan, organisation, ombud) -> SubGrantApplication:
    existing = (
        SubGrantApplication.objects.filter(
            round=round_, organisation=organisation, unit_code=plan.unit_code
        )
        .exclude(status=SubGrantStatus.WITHDRAWN)
        .first()
    )
    if existing is not None:
        return existing
    with _when("start"):
        application = applying.start_application(
            ombud, round_, organisation, unit_code=plan.unit_code, unit_name=plan.unit_name
        )
        slug = plan.unit_code.lower() or str(organisation.pk)
        answers = {
            "project_title": plan.title,
            "requested_sek": plan.requested_sek,
            "contact_name": f"Kontaktperson {plan.unit_name or organisation.name}",
            "contact_email": f"kontakt-{slug}@demo.fordela.example",
            "contact_phone": "010-441 00 00",
            "q_purpose": f"{plan.title}. Insatsen bygger vidare på det arbete som påbörjades "
            "med 2021 års medel.",
            "q_target_group": "Våldsutsatta vuxna och barn i länet, och personal som möter dem.",
            "q_cooperation": "Socialtjänsten, hälso- och sjukvården, polisen och kvinnojouren.",
        }
        if plan.stage == "draft":
            answers.pop("q_target_group")
        problems = applying.save_draft(ombud, application, answers)
        if problems:
            raise RuntimeError(f"Demo application not saved: {problems}")
    return application


def _advance(plan: Plan, round_, vgr, users) -> SubGrantApplication:
    organisation, ombud = _applicant(plan, vgr)
    application = _application(round_, plan, organisation, ombud)
    application.refresh_from_db()
    admin, decider = users["vkv"], users["vkv-beslut"]
    if _reached(plan, "proposed") and application.status == SubGrantStatus.SUBMITTED:
        with _when("propose"):
            if plan.rejected:
                decisions.propose(
                    admin,
                    application,
                    "rejected",
                    "Ansökan avslås: en informationskampanj ryms inte i medlens syfte, som är "
                    "insatser för våldsutsatta och kompetensutveckling.",
                )
            else:
                granted = plan.granted_sek or plan.requested_sek
                motivation = "Insatsen stämmer med medlens syfte och når våldsutsatta i länet."
                if granted < plan.requested_sek:
                    motivation += " Medlen räcker inte till hela det sökta beloppet."
                decisions.propose(admin, application, "granted", motivation, granted)
        application.refresh_from_db()
    if _reached(plan, "granted") and application.status == SubGrantStatus.PROPOSED:
        with _when("decide"):
            decisions.decide(decider, application)
        application.refresh_from_db()
    return application


def _report_and_invoice(plan: Plan, application, users) -> None:
    admin = users["vkv"]
    report = SubGrantReport.objects.filter(decision__application=application).first()
    if report is None:
        return
    _organisation, ombud = _applicant(plan, application.round.region)
    if _reached(plan, "report_submitted") and report.status == ReportStatus.OPEN:
        with _when("report"):
            answers = {
                q["key"]: REPORT_ANSWERS.get(q["key"], "Se bifogad beskrivning i ansökan.")
                for q in report.form.questions
                if q.get("required") or q["key"] in REPORT_ANSWERS
            }
            used = report.granted_sek - plan.unused_sek
            saved = reports.save_draft(ombud, report, {**answers, "used_sek": used})
            if saved.problems:
                raise RuntimeError(f"Demo report not saved: {saved.problems}")
            report = reports.submit(ombud, report)
    if _reached(plan, "report_approved") and report.status == ReportStatus.SUBMITTED:
        with _when("review"):
            report = reports.approve(
                admin, report, "Redovisningen visar att medlen har använts enligt beslutet."
            )
    invoice = SubGrantInvoice.objects.filter(report=report).first()
    if _reached(plan, "invoice_recorded") and invoice is None:
        with _when("invoice"):
            external = application.kind == "external"
            from fordela.requisitions.demo import demo_bank_giro

            invoice = invoices.record_invoice(
                admin,
                report,
                reference=(
                    f"F2023-{application.case_number[-4:]}"
                    if external
                    else f"INT-{application.unit_code}-2023"
                ),
                amount_sek=report.used_sek,
                invoice_date=DAYS["invoice"][0] - datetime.timedelta(days=2),
                bank_giro=demo_bank_giro(application.organisation) if external else "",
            )
    if (
        _reached(plan, "invoice_paid")
        and invoice is not None
        and invoice.status == SubGrantInvoiceStatus.RECORDED
    ):
        with _when("pay"):
            invoices.record_payment(
                admin,
                invoice,
                paid_on=DAYS["pay"][0],
                payment_reference=f"VER-2023-{invoice.pk:05d}",
            )


def seed_demo_regional() -> dict[str, int]:
    """Seed the round and its applications; returns what this run did."""
    seed_demo_applicants()  # the demo association and its ombud (idempotent)
    vgr = region()
    users = _staff_users(vgr)
    _paid_requisition(vgr)
    events_before = _count_events()
    round_ = _round(vgr, users["vkv"])
    applications = []
    for plan in PLANS:
        organisation, ombud = _applicant(plan, vgr)
        applications.append((plan, _application(round_, plan, organisation, ombud)))
    for plan, application in applications:
        if _reached(plan, "submitted") and application.status == SubGrantStatus.DRAFT:
            with _when("submit"):
                applying.submit_application(_applicant(plan, vgr)[1], application)
    round_.refresh_from_db()
    if round_.status == RoundStatus.OPEN:
        with _when("close"):
            round_ = rounds.close_round(users["vkv"], round_)
    for plan, _application_row in applications:
        _advance(plan, round_, vgr, users)
    round_.refresh_from_db()
    opened = SubGrantReport.objects.filter(decision__round=round_).count()
    if opened != reports.granted_decisions(round_).count():
        with _when("open_reports"):
            reports.open_reports(users["vkv"], round_)
    for plan, application in applications:
        application.refresh_from_db()
        _report_and_invoice(plan, application, users)
    return {
        "applications": SubGrantApplication.objects.filter(round=round_).count(),
        "events": _count_events() - events_before,
    }


def _count_events() -> int:
    from fordela.audit.models import AuditEvent

    return AuditEvent.objects.count()
