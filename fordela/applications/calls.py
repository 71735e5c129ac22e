"""Calls (*utlysningar*) and their versioned question sets. A published
question set never changes: a change means a new version."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fordela.audit.actions import AuditAction
from fordela.audit.services import record
from fordela.core import clock
from fordela.organisations.models import OrganisationKind
from fordela.programmes.models import Pool, PoolKind

from .models import Call, Question, QuestionKind, QuestionSet, QuestionSetStatus

QUESTION_FIELDS = (
    "key",
    "text",
    "help_text",
    "kind",
    "required",
    "max_length",
    "min_value",
    "max_value",
    "choices",
)


def create_call(actor, pool: Pool, **fields) -> Call:
    """Create a call for an application pool, with an empty draft question set."""
    if pool.kind != PoolKind.APPLICATION:
        raise ValidationError(_("Calls are made only for application pools."))
    with transaction.atomic():
        call = Call.objects.create(pool=pool, **fields)
        QuestionSet.objects.create(call=call, version=1)
        record(actor, AuditAction.CALL_CREATED, call, after={"pool": pool.pk, "title": call.title})
    return call


def draft_set(call: Call) -> QuestionSet:
    return call.question_sets.filter(status=QuestionSetStatus.DRAFT).order_by("-version").first()


def add_question(actor, question_set: QuestionSet, **fields) -> Question:
    """Add a question to a draft set (refused once the set is published)."""
    with transaction.atomic():
        locked = QuestionSet.objects.select_for_update().get(pk=question_set.pk)
        if locked.is_published:
            raise ValidationError(_("A published question set cannot change; make a new version."))
        if fields.get("kind") not in QuestionKind.values:
            raise ValidationError(_("Unknown question type."))
        position = fields.pop("position", None) or locked.questions.count() + 1
        question = Question.objects.create(question_set=locked, position=position, **fields)
        record(actor, AuditAction.QUESTION_ADDED, locked, after={"key": question.key})
    return question


def publish_question_set(actor, question_set: QuestionSet) -> QuestionSet:
    """Publish a draft set and make it the one the call uses."""
    with transaction.atomic():
        locked = QuestionSet.objects.select_for_update().get(pk=question_set.pk)
        if locked.is_published:
            raise ValidationError(_("This question set is already published."))
        if not locked.questions.exists():
            raise ValidationError(_("A question set needs at least one question."))
        locked.status = QuestionSetStatus.PUBLISHED
        locked.published_at = clock.now()
        locked.save(update_fields=["status", "published_at"])
        call = Call.objects.select_for_update().get(pk=locked.call_id)
        call.question_set = locked
        call.save(update_fields=["question_set"])
        record(actor, AuditAction.QUESTION_SET_PUBLISHED, locked, after={"version": locked.version})
    return locked


def _copy_questions(source: QuestionSet, target: QuestionSet) -> None:
    Question.objects.bulk_create(
        Question(
            question_set=target,
            position=q.position,
            **{name: getattr(q, name) for name in QUESTION_FIELDS},
        )
        for q in source.questions.all()
    )


def new_version(actor, call: Call) -> QuestionSet:
    """Start a new draft version as a copy of the newest version."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if draft_set(call):
            raise ValidationError(_("There is already a draft version."))
        latest = call.question_sets.order_by("-version").first()
        created = QuestionSet.objects.create(call=call, version=latest.version + 1)
        _copy_questions(latest, created)
        record(
            actor, AuditAction.QUESTION_SET_NEW_VERSION, created, after={"version": created.version}
        )
    return created


def copy_call(actor, call: Call, pool: Pool, opens_on: datetime.date, closes_on: datetime.date):
    """A new year's call that starts as a copy of ``call`` (a draft set of
    the same questions, ready to adjust and publish)."""
    fields = {
        name: getattr(call, name)
        for name in (
            "summary",
            "decision_expected",
            "eligible_kinds",
            "conditions",
            "attachment_checklist",
            "criteria",
            "needs_consultation",
        )
    }
    with transaction.atomic():
        new = create_call(
            actor,
            pool,
            title=call.title.replace(
                str(call.pool.programme_year.year), str(pool.programme_year.year)
            ),
            opens_on=opens_on,
            closes_on=closes_on,
            report_due=pool.report_due,
            copied_from=call,
            **fields,
        )
        _copy_questions(call.question_set or call.question_sets.last(), draft_set(new))
    return new


def is_open(call: Call) -> bool:
    today = clock.today()
    return call.opens_on <= today and not clock.is_past(call.closes_on)


def days_left(call: Call) -> int | None:
    """Whole days left including the last day, or None when closed/not open."""
    if not is_open(call):
        return None
    return (call.closes_on - clock.today()).days + 1


def eligible(call: Call, organisation) -> bool:
    return organisation.kind in call.eligible_kinds


# ---------------------------------------------------------------- the seed

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
    from fordela.programmes.seed import REFERENCE_NUMBER

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
