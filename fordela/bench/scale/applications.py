"""A synthetic programme's calls, made and published by the services, and
the applications to each: attachments, scores, completion requests,
consultations and opinions, risk checks, proposals and decisions (within
the call's budget), and a payable for each grant. There is no withdrawing
an application (no service does it), so none is withdrawn."""

from collections import defaultdict

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from fordela.applications import demo as application_demo
from fordela.applications.calls import add_question, create_call, draft_set, publish_question_set
from fordela.applications.models import (
    Application,
    ApplicationStatus,
    Attachment,
    Call,
    CompletionRequest,
    ConsultationOutcome,
    ConsultationRequest,
    Decision,
    Opinion,
    Outcome,
    QuestionKind,
    Recommendation,
    RiskCheck,
    Score,
)
from fordela.applications.services.applying import _snapshot as application_snapshot
from fordela.audit.actions import AuditAction
from fordela.core import case_numbers
from fordela.organisations.models import Organisation, OrganisationKind
from fordela.payments.models import PayableSource
from fordela.programmes.models import Pool
from fordela.requisitions.demo import _at

from .common import (
    ACTOR,
    BATCH_SIZE,
    DAY,
    TODAY,
    Book,
    D,
    Planned,
    bulk_create_by_month,
    draft_label,
    fill_in,
    moment,
    pick,
    status,
)

ATTACHMENT_NAME = "applications/skala/bilaga.pdf"  # one PDF for every attachment
# An application to a decided call, and to one of 2022 on the demo's day.
DECIDED_CALL_FATES = [(ApplicationStatus.DECIDED, 0.95), (ApplicationStatus.DRAFT, 0.05)]
OPEN_CALL_FATES = [
    (ApplicationStatus.DECIDED, 0.55),
    (ApplicationStatus.PROPOSED, 0.15),
    (ApplicationStatus.SUBMITTED, 0.18),
    (ApplicationStatus.COMPLETION_REQUESTED, 0.06),
    (ApplicationStatus.DRAFT, 0.06),
]


def write_call(book: Book, pool: Pool) -> Call:
    """The year's call, made and published by the services as seed_calls does."""
    demo, year = application_demo, pool.programme_year.year
    if pool.slug == "ideella":
        opens, closes = D(year - 1, 10, 18), D(year - 1, 12, 21)
        questions = demo.NGO_QUESTIONS
        fields = {
            "title": f"Utvecklingsmedel {year} för ideella föreningar och stiftelser",
            "decision_expected": f"februari {year}",
            "eligible_kinds": [OrganisationKind.NONPROFIT, OrganisationKind.FOUNDATION],
            "conditions": demo.NGO_CONDITIONS,
            "attachment_checklist": demo.NGO_ATTACHMENTS,
            "criteria": demo.NGO_CRITERIA,
        }
    else:
        opens, closes = D(year - 1, 11, 1), D(year, 1, 31)
        questions = demo.STIMULUS_QUESTIONS
        fields = {
            "title": f"Särskilda stimulansmedel {year}",
            "decision_expected": f"mars {year}",
            "eligible_kinds": [OrganisationKind.LANSSTYRELSE, OrganisationKind.UNIVERSITY],
            "conditions": demo.STIMULUS_CONDITIONS,
            "attachment_checklist": demo.STIMULUS_ATTACHMENTS,
            "criteria": demo.STIMULUS_CRITERIA,
            "needs_consultation": True,
        }
    fields["title"] += f" (syntetiskt program {book.index})"
    fields["conditions"] = (
        fields["conditions"].replace("2023", str(year + 1)).replace("2022", str(year))
    )
    with _at(moment(opens - 14 * DAY, 10)):
        call = create_call(
            ACTOR, pool, opens_on=opens, closes_on=closes, report_due=pool.report_due, **fields
        )
        question_set = draft_set(call)
        for spec in questions:
            add_question(ACTOR, question_set, **dict(spec))
        publish_question_set(ACTOR, question_set)
    call.refresh_from_db()
    call.pool = pool  # refresh_from_db forgets it
    return call


TEXT = (
    "Verksamheten ger stöd, skydd och rådgivning till våldsutsatta kvinnor och barn i kommunen. "
    "Medlen ska användas till att utveckla jourtelefonen, utbilda volontärer och följa upp "
    "insatserna tillsammans med socialtjänsten. "
)
REASONS = {
    Outcome.GRANTED: "Ansökan uppfyller kriterierna och ryms i budgeten.",
    Outcome.PARTIAL: "Aktiviteterna bedöms delvis rymmas i budgeten.",
    Outcome.REFUSED: "Ansökan bedöms inte uppfylla kriterierna i tillräcklig grad.",
}


class ApplicationsOfCall:
    """The applications to one call, from start to decision."""

    def __init__(self, book: Book, call: Call):
        self.book, self.call = book, call
        self.world, self.rnd, self.audit = book.world, book.rnd, book.audit
        self.questions = list(call.question_set.questions.all())
        self.stimulus = call.needs_consultation
        if self.stimulus:
            applicants, chance = self.world.stimulus_applicants, 0.8
        else:
            applicants, chance = self.world.ngos, 0.85
        self.applicants = [o for o in applicants if self.rnd.random() < chance]
        decided = call.pool.programme_year.year < TODAY.year  # 2022's are still being worked on
        self.fates = DECIDED_CALL_FATES if decided else OPEN_CALL_FATES
        self.rows = defaultdict(list)  # model → rows to write
        self.granted = 0

    def write(self) -> None:
        plans = [self._plan(organisation) for organisation in self.applicants]
        self.book.number([p.case for p in plans if p.submitted], case_numbers.APPLICATIONS)
        bulk_create_by_month(Application, [p.case for p in plans], lambda a: a.started.date())
        if not default_storage.exists(ATTACHMENT_NAME):
            default_storage.save(ATTACHMENT_NAME, ContentFile(application_demo.DEMO_PDF))
        for plan in plans:
            self._applying_events(plan)
            if plan.submitted:
                self._assess(plan.case)
        rows = self.rows
        for model in (Attachment, Score, RiskCheck):
            bulk_create_by_month(model, rows[model], lambda row: row.day)
        for model in (CompletionRequest, ConsultationRequest, Opinion, Decision):
            model.objects.bulk_create(rows[model], batch_size=BATCH_SIZE)
        for decision in rows[Decision]:
            if decision.decided_at and decision.amount_sek > 0:
                reference = f"grant:{decision.pk}"
                self.book.owe(
                    PayableSource.GRANT,
                    reference,
                    decision.application,
                    decision.amount_sek,
                    decision.decided_at,
                )

    def _plan(self, organisation: Organisation) -> Planned:
        rnd, call = self.rnd, self.call
        ombud = self.world.ombud[organisation.pk]
        start_day = call.opens_on + DAY * rnd.randint(0, (call.closes_on - call.opens_on).days)
        started = moment(start_day, rnd.randint(8, 15), rnd.randint(0, 59))
        submit_day = start_day + DAY * rnd.randint(0, min(14, (call.closes_on - start_day).days))
        submitted = moment(submit_day, 16, rnd.randint(0, 59))
        application = Application(
            call=call,
            organisation=organisation,
            question_set=call.question_set,
            contact_name=ombud.get_full_name(),
            contact_email=ombud.email,
            bank_giro=organisation.bank_giro,
            created_by=ombud,
        )
        plan = Planned(application, started, application_snapshot(application))
        application.started = started
        application.fate = pick(rnd, self.fates) or ApplicationStatus.DRAFT
        step = 10_000 if self.stimulus else 1_000
        requested = step * rnd.randint(10, 60)
        personnel = requested * 6 // 10 // step * step
        activities = (requested - personnel) // 2
        titles = ["Stöd till våldsutsatta", "Jourverksamhet", "Barn i fokus"]
        steps = [
            {"project_title": rnd.choice(titles)},
            {
                "requested_sek": requested,
                "budget_personnel_sek": personnel,
                "budget_activities_sek": activities,
                "budget_other_sek": requested - personnel - activities,
                "other_public_funding": "Kommunalt föreningsbidrag",
            },
            {"answers": self._answers()},
            {"truth_declared": True},
        ]
        sent_in = application.fate != ApplicationStatus.DRAFT
        saved = 3 if sent_in else rnd.randint(0, 3)
        for before, after in fill_in(application, application_snapshot, steps[:saved]):
            plan.saves.append((started + (submitted - started) * rnd.random(), before, after))
        if sent_in:
            plan.before_submit = application_snapshot(application)
            fill_in(application, application_snapshot, steps[saved:])
            plan.submitted = application.submitted_at = submitted
            application.submitted_by = ombud
            application.status = application.fate
        return plan

    def _answers(self) -> dict:
        answers = {}
        for question in self.questions:
            if question.kind == QuestionKind.CHOICE:
                answers[question.key] = self.rnd.choice(question.choices)
            elif question.kind == QuestionKind.NUMBER:
                answers[question.key] = str(self.rnd.randint(10, 2000))
            elif question.kind == QuestionKind.DATE:
                answers[question.key] = f"{self.rnd.randint(1975, 2015)}-03-01"
            else:
                answers[question.key] = (TEXT * self.rnd.randint(1, 4)).strip()
        return answers

    def _applying_events(self, plan: Planned) -> None:
        application, ombud = plan.case, plan.case.created_by
        as_draft = self.audit.on(application, label=draft_label(application))
        as_draft(plan.started, ombud, AuditAction.APPLICATION_STARTED, after=plan.first_state)
        for when, before, after in plan.saves:
            as_draft(when, ombud, AuditAction.APPLICATION_DRAFT_SAVED, before=before, after=after)
        if not plan.submitted:
            return
        for item in self.call.attachment_checklist:
            filename = f"{item['key']}.pdf"
            attachment = Attachment(
                application=application,
                item=item["key"],
                file=ATTACHMENT_NAME,
                filename=filename,
                pages=1,
                size=len(application_demo.DEMO_PDF),
                uploaded_by=ombud,
            )
            attachment.day = plan.started.date()
            self.rows[Attachment].append(attachment)
            attached = {"item": item["key"], "file": filename}
            as_draft(plan.started, ombud, AuditAction.APPLICATION_ATTACHED, after=attached)
        after = application_snapshot(application) | {"status": str(ApplicationStatus.SUBMITTED)}
        self.audit.add(
            application,
            plan.submitted,
            ombud,
            AuditAction.APPLICATION_SUBMITTED,
            before=plan.before_submit,
            after=after,
        )

    def _assess(self, application: Application) -> None:
        """Completion, scores, consultation, risk check, proposal and decision
        of a submitted application, as far as its fate reached."""
        rnd, world, call, rows = self.rnd, self.world, self.call, self.rows
        officer, fate, event = world.handlaggare, application.fate, self.audit.on(application)
        closes = moment(call.closes_on, 10)
        if fate == ApplicationStatus.COMPLETION_REQUESTED or rnd.random() < 0.08:
            asked = closes + DAY * rnd.randint(3, 8)
            completion = CompletionRequest(
                application=application,
                message="Bifoga en budget för hela verksamhetsåret.",
                reply_by=(asked + 14 * DAY).date(),
                requested_by=officer,
                requested_at=asked,
            )
            rows[CompletionRequest].append(completion)
            asking = status(
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.COMPLETION_REQUESTED,
                message=completion.message,
            )
            event(asked, officer, AuditAction.APPLICATION_COMPLETION_REQUESTED, **asking)
            if fate != ApplicationStatus.COMPLETION_REQUESTED:
                completion.answer = "Budgeten är bifogad."
                completion.answered_by = application.created_by
                completion.answered_at = asked + DAY * rnd.randint(1, 6)
                answered = status(
                    ApplicationStatus.COMPLETION_REQUESTED,
                    ApplicationStatus.SUBMITTED,
                    answer=completion.answer,
                )
                event(
                    completion.answered_at,
                    application.created_by,
                    AuditAction.APPLICATION_COMPLETED,
                    **answered,
                )
        criteria = [criterion["key"] for criterion in call.criteria]
        if fate in (ApplicationStatus.SUBMITTED, ApplicationStatus.COMPLETION_REQUESTED):
            criteria = criteria[: rnd.randint(0, len(criteria))]  # still being scored
        for criterion in criteria:
            when = closes + DAY * rnd.uniform(10, 25)
            score = Score(
                application=application,
                criterion=criterion,
                assessor=officer,
                score=rnd.randint(1, 5),
                comment="Motiverat i ansökan.",
            )
            score.day = when.date()
            rows[Score].append(score)
            event(when, officer, AuditAction.APPLICATION_SCORED, after={criterion: score.score})
        consultation = self._consult(application) if self.stimulus else None
        if fate in (ApplicationStatus.PROPOSED, ApplicationStatus.DECIDED):
            self._propose(application, consultation or ConsultationOutcome.NOT_NEEDED)

    def _consult(self, application: Application) -> str:
        rnd, world = self.rnd, self.world
        officer, event = world.handlaggare, self.audit.on(application)
        sent = moment(self.call.closes_on, 10) + DAY * rnd.randint(3, 8)
        request = ConsultationRequest(
            application=application,
            message="Vi ber om era synpunkter.",
            reply_by=(sent + 21 * DAY).date(),
            sent_by=officer,
            sent_at=sent,
        )
        self.rows[ConsultationRequest].append(request)
        reply_by = {"reply_by": request.reply_by.isoformat()}
        event(sent, officer, AuditAction.APPLICATION_SENT_FOR_CONSULTATION, after=reply_by)
        if rnd.random() >= 0.85:
            return ConsultationOutcome.EXPIRED
        filed = sent + DAY * rnd.randint(3, 18)
        recommendation = rnd.choice(
            [Recommendation.GRANT, Recommendation.PARTIAL, Recommendation.REFUSE]
        )
        opinion = Opinion(
            request=request,
            text="Jämställdhetsmyndigheten har tagit del av ansökan.",
            recommendation=recommendation,
            filed_by=world.consultee,
            filed_at=filed,
        )
        self.rows[Opinion].append(opinion)
        filing = {"recommendation": str(recommendation), "amount_sek": None}
        event(filed, world.consultee, AuditAction.APPLICATION_OPINION_FILED, after=filing)
        return ConsultationOutcome.ANSWERED

    def _propose(self, application: Application, consultation: str) -> None:
        """The risk check and the proposal, and the decision within the
        call's budget (a grant that would exceed it is refused)."""
        rnd, world, call = self.rnd, self.world, self.call
        officer, event = world.handlaggare, self.audit.on(application)
        closes = moment(call.closes_on, 10)
        checked = closes + DAY * rnd.uniform(26, 29)
        risk = RiskCheck(
            application=application,
            other_public_funding_checked=True,
            other_agency_grants_checked=True,
            founded_year=rnd.randint(1975, 2015),
            register_checked=True,
            checked_by=officer,
        )
        risk.day = checked.date()
        self.rows[RiskCheck].append(risk)
        names = [
            "other_public_funding_checked",
            "other_agency_grants_checked",
            "founded_year",
            "register_checked",
        ]
        checks = {name: str(getattr(risk, name)) for name in names}
        event(checked, officer, AuditAction.APPLICATION_RISK_CHECKED, after=checks)
        requested = application.requested_sek
        outcome = rnd.choices([Outcome.GRANTED, Outcome.PARTIAL, Outcome.REFUSED], [45, 30, 25])[0]
        amount = {
            Outcome.GRANTED: requested,
            Outcome.PARTIAL: max(1, min(requested - 1, int(requested * rnd.uniform(0.4, 0.9)))),
            Outcome.REFUSED: 0,
        }[outcome]
        decided = application.fate == ApplicationStatus.DECIDED
        if decided and self.granted + amount > call.pool.amount_sek:
            outcome, amount = Outcome.REFUSED, 0
        proposed = closes + DAY * rnd.uniform(30, 45)
        decision = Decision(
            application=application,
            call=call,
            outcome=outcome,
            requested_sek=requested,
            amount_sek=amount,
            reasons=REASONS[outcome],
            consultation=consultation,
            proposed_by=officer,
            proposed_at=proposed,
        )
        self.rows[Decision].append(decision)
        proposal = {
            "outcome": str(outcome),
            "amount_sek": amount,
            "consultation": str(consultation),
        }
        event(proposed, officer, AuditAction.APPLICATION_DECISION_PROPOSED, after=proposal)
        if decided:
            decision.decided_by = world.beslutsfattare
            decision.decided_at = proposed + DAY * rnd.uniform(2, 10)
            self.granted += amount
            outcome_of = status(
                ApplicationStatus.PROPOSED,
                ApplicationStatus.DECIDED,
                outcome=str(outcome),
                amount_sek=amount,
            )
            event(
                decision.decided_at,
                world.beslutsfattare,
                AuditAction.APPLICATION_DECIDED,
                **outcome_of,
            )
