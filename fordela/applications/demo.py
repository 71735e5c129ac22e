"""The demo's calls, applicants and applications (``manage.py seed_calls``):
the 2022 calls of S2020/01591 for `ideella` and `stimulans` with their real
dates, questions and criteria and, for the demo, an NGO, ombud for three
organisations (password ``demo``) and an application at each stage. Every
change goes through the real services; everything is idempotent."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from pypdf import PdfWriter

from fordela.access.models import Membership, OrganisationRole
from fordela.organisations.models import Organisation, OrganisationKind
from fordela.programmes.models import Pool, PoolKind
from fordela.programmes.seed import REFERENCE_NUMBER

from .calls import add_question, create_call, draft_set, publish_question_set
from .letters import store_letter
from .models import Application, Call, QuestionKind
from .services import applying, assessment, consultation, decisions

# ---------------------------------------------------------------- the calls

NGO_CRITERIA = [
    {
        "key": "goals",
        "label": "Mål- och resultatstyrning",
        "help": "Tydliga mål, aktiviteter och uppföljning.",
    },
    {
        "key": "competence",
        "label": "Särskild kompetens eller särskilt utsatt målgrupp",
        "help": "",
    },
    {"key": "stability", "label": "Stabilitet, även ekonomisk", "help": ""},
    {
        "key": "reach",
        "label": "Omfattningen av det direkta stödet",
        "help": "Till exempel hur många som nås.",
    },
    {"key": "location", "label": "Organisationens placering i landet", "help": ""},
]
NGO_ATTACHMENTS = [
    {"key": "statutes", "label": "Stadgar"},
    {"key": "annual_report", "label": "Verksamhetsberättelse för senaste året"},
    {"key": "accounts", "label": "Årsredovisning eller ekonomisk redovisning"},
    {"key": "audit_report", "label": "Revisionsberättelse"},
]
NGO_QUESTIONS = [
    {
        "key": "purpose",
        "text": "Beskriv verksamheten som ni söker medel för",
        "help_text": "Vad ska ni göra, för vem och varför? Skriv kortfattat.",
        "kind": QuestionKind.TEXT,
        "max_length": 4000,
    },
    {
        "key": "target_group",
        "text": "Vilket område gäller ansökan?",
        "kind": QuestionKind.CHOICE,
        "choices": [
            "Våld i nära relationer",
            "Sexuellt våld",
            "Hedersrelaterat våld och förtryck",
            "Prostitution och människohandel för sexuella ändamål",
        ],
    },
    {
        "key": "goals",
        "text": "Vilka mål har ni och hur följer ni upp dem?",
        "kind": QuestionKind.TEXT,
        "max_length": 3000,
    },
    {
        "key": "people_reached",
        "text": "Ungefär hur många personer får direkt stöd under ett år?",
        "kind": QuestionKind.NUMBER,
        "min_value": 0,
        "max_value": 1_000_000,
    },
    {
        "key": "founded",
        "text": "När bildades organisationen?",
        "kind": QuestionKind.DATE,
    },
    {
        "key": "municipalities",
        "text": "I vilka kommuner bedriver ni verksamhet?",
        "kind": QuestionKind.TEXT,
        "max_length": 1000,
    },
]
STIMULUS_CRITERIA = [
    {"key": "relevance", "label": "Relevans för uppdraget", "help": ""},
    {"key": "regional_reach", "label": "Regional och nationell spridning", "help": ""},
    {"key": "feasibility", "label": "Genomförbarhet och budget", "help": ""},
]
STIMULUS_ATTACHMENTS = [{"key": "plan", "label": "Verksamhetsplan för insatsen"}]
STIMULUS_QUESTIONS = [
    {
        "key": "purpose",
        "text": "Beskriv insatsen som ni söker medel för",
        "kind": QuestionKind.TEXT,
        "max_length": 4000,
    },
    {
        "key": "cooperation",
        "text": "Hur samverkar ni med Jämställdhetsmyndigheten och andra aktörer?",
        "kind": QuestionKind.TEXT,
        "max_length": 3000,
    },
]
NGO_CONDITIONS = (
    "Medlen ska användas under 2022 till att utveckla verksamhet som förbättrar det direkta "
    "stödet till den enskilda individen, och får också användas till kompetensutveckling. "
    "Medel som inte används ska betalas tillbaka. Ni ska redovisa hur medlen har använts "
    "senast den 31 mars 2023."
)
STIMULUS_CONDITIONS = (
    "Medlen ska användas under 2022 för att sprida nationellt stöd på regional nivå i "
    "samverkan med Jämställdhetsmyndigheten. Medel som inte används ska betalas tillbaka. "
    "Ni ska redovisa hur medlen har använts senast den 31 mars 2023."
)


def _seed_one(actor, pool, defaults, questions) -> Call:
    call = Call.objects.filter(pool=pool).first()
    if call:
        return call
    call = create_call(actor, pool, **defaults)
    question_set = draft_set(call)
    for spec in questions:
        add_question(actor, question_set, **spec)
    publish_question_set(actor, question_set)
    call.refresh_from_db()
    return call


@transaction.atomic
def seed_calls(actor: str = "seed_calls") -> list[Call]:
    """The 2022 calls for `ideella` and `stimulans` of S2020/01591. Idempotent."""
    pools = Pool.objects.filter(
        programme_year__programme__reference_number=REFERENCE_NUMBER,
        programme_year__year=2022,
        kind=PoolKind.APPLICATION,
    )
    by_slug = {p.slug: p for p in pools}
    calls = []
    if "ideella" in by_slug:
        pool = by_slug["ideella"]
        calls.append(
            _seed_one(
                actor,
                pool,
                {
                    "title": "Utvecklingsmedel 2022 för ideella föreningar och stiftelser",
                    "summary": (
                        "Ideella föreningar och stiftelser som arbetar på lokal nivå mot våld i "
                        "nära relationer, sexuellt våld, hedersrelaterat våld och förtryck samt "
                        "prostitution och människohandel kan söka pengar för att utveckla det "
                        "direkta stödet till våldsutsatta."
                    ),
                    "opens_on": datetime.date(2021, 10, 18),
                    "closes_on": datetime.date(2021, 12, 21),
                    "decision_expected": "februari 2022",
                    "report_due": pool.report_due,
                    "eligible_kinds": [OrganisationKind.NONPROFIT, OrganisationKind.FOUNDATION],
                    "conditions": NGO_CONDITIONS,
                    "attachment_checklist": NGO_ATTACHMENTS,
                    "criteria": NGO_CRITERIA,
                },
                NGO_QUESTIONS,
            )
        )
    if "stimulans" in by_slug:
        pool = by_slug["stimulans"]
        calls.append(
            _seed_one(
                actor,
                pool,
                {
                    "title": "Särskilda stimulansmedel 2022",
                    "summary": (
                        "Länsstyrelserna, Nationellt centrum för kvinnofrid (NCK) vid Uppsala "
                        "universitet och Barnafrid vid Linköpings universitet kan söka medel "
                        "för regionalt och nationellt stöd. Socialstyrelsen beslutar efter att "
                        "ha hämtat in synpunkter från Jämställdhetsmyndigheten."
                    ),
                    "opens_on": datetime.date(2021, 11, 1),
                    "closes_on": datetime.date(2022, 1, 31),
                    "decision_expected": "mars 2022",
                    "report_due": pool.report_due,
                    "eligible_kinds": [
                        OrganisationKind.LANSSTYRELSE,
                        OrganisationKind.UNIVERSITY,
                    ],
                    "conditions": STIMULUS_CONDITIONS,
                    "attachment_checklist": STIMULUS_ATTACHMENTS,
                    "criteria": STIMULUS_CRITERIA,
                    "needs_consultation": True,
                },
                STIMULUS_QUESTIONS,
            )
        )
    return calls


# ------------------------------------------------- applicants and applications

DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts only, documented in the README

DEMO_NGO = {
    "reference_key": "demo-kvinnojouren",
    "name": "Kvinnojouren i Ale (demo)",
    "kind": OrganisationKind.NONPROFIT,
    "organisation_number": "8024561238",
    "bank_giro": "50501055",
    "county_code": "14",
    "county_name": "Västra Götalands län",
}
# username → organisation reference key
DEMO_OMBUD = {
    "ombud-ngo": "demo-kvinnojouren",
    "ombud-nck": "uu-nck",
    "ombud-lst14": "lansstyrelse-14",
}
DEMO_STAFF = ("handlaggare", "beslutsfattare", "jamy")


def _demo_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


DEMO_PDF = _demo_pdf()


def seed_demo_applicants() -> list[tuple[str, Organisation]]:
    """The demo NGO and one ombud for each demo organisation that exists."""
    Organisation.objects.get_or_create(reference_key=DEMO_NGO["reference_key"], defaults=DEMO_NGO)
    password = make_password(DEMO_PASSWORD)
    applicants = []
    for username, key in DEMO_OMBUD.items():
        organisation = Organisation.objects.filter(reference_key=key).first()
        if organisation is None:
            continue
        user, _created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": "Ombud",
                "last_name": organisation.name,
                "email": f"{username}@demo.fordela.example",
                "password": password,
            },
        )
        if not Membership.objects.filter(
            organisation=organisation, role=OrganisationRole.OMBUD
        ).exists():
            Membership.objects.get_or_create(
                user=user, organisation=organisation, role=OrganisationRole.OMBUD
            )
        applicants.append((username, organisation))
    return applicants


def seed_demo_applications(calls: list[Call]) -> bool:
    """A few applications at every stage, so the demo shows the whole path:
    a decided NGO grant, a stimulus application with an opinion waiting for
    its decision, and one waiting for assessment. Made on the clock of the
    application period; skipped when they exist or a demo user is missing."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_STAFF)}
    if len(calls) < 2 or len(users) < len(DEMO_STAFF) or Application.objects.exists():
        return False
    ngo_call, stimulus_call = calls
    members = {
        m.user.username: m
        for m in Membership.objects.filter(user__username__in=DEMO_OMBUD).select_related(
            "user", "organisation"
        )
    }
    if len(members) < len(DEMO_OMBUD):
        return False
    officer, decider, consultee = (users[name] for name in DEMO_STAFF)
    with override_settings(FORDELA_TODAY="2021-12-15T10:00"):
        ngo = _apply(members["ombud-ngo"], ngo_call, 300_000)
        for criterion, score in zip(
            ("goals", "competence", "stability", "reach", "location"),
            (4, 4, 3, 4, 3),
            strict=True,
        ):
            assessment.score_criterion(officer, ngo, criterion, score, "")
        decisions.propose_decision(
            officer,
            ngo,
            "partial",
            "Aktiviteterna bedöms delvis rymmas i budgeten.",
            amount_sek=250_000,
        )
        store_letter(decisions.decide(decider, ngo, send_letter=False))  # no e-mail in the demo
    with override_settings(FORDELA_TODAY="2022-01-20T10:00"):
        nck = _apply(members["ombud-nck"], stimulus_call, 2_500_000)
        request = consultation.send_to_consultation(
            officer, nck, datetime.date(2022, 2, 10), "Vi ber om era synpunkter."
        )
        consultation.file_opinion(
            consultee, request, "Jämställdhetsmyndigheten tillstyrker ansökan.", "grant"
        )
        decisions.propose_decision(officer, nck, "granted", "Insatsen är central för uppdraget.")
        _apply(members["ombud-lst14"], stimulus_call, 1_200_000)
    return True


def _apply(membership, call: Call, amount: int) -> Application:
    user, organisation = membership.user, membership.organisation
    application = applying.start_application(user, organisation, call)
    for item in call.attachment_checklist:
        applying.attach_file(user, application, item["key"], f"{item['key']}.pdf", DEMO_PDF)
    answers = {q.key: "Se bifogad verksamhetsplan." for q in call.question_set.questions.all()}
    answers.update(
        {
            "target_group": "Våld i nära relationer",
            "people_reached": "120",
            "founded": "1995-03-01",
        }
    )
    return applying.submit_application(
        user,
        application,
        {
            "project_title": "Stöd till våldsutsatta",
            "requested_sek": amount,
            "budget_personnel_sek": amount,
            "other_public_funding": "Ingen",
            "contact_name": user.get_full_name(),
            "contact_email": user.email,
            "bank_giro": "50501055",
            "truth_declared": True,
            "answers": {
                k: v
                for k, v in answers.items()
                if k in {q.key for q in call.question_set.questions.all()}
            },
        },
    )
