"""The applicant's pages in a region's own round: the public list of rounds
and a round's page (with its granted applications once decided), starting an
application, the form with autosave, the check page with the submission,
the receipt and status (with the decision), withdrawing a draft."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordela.access.models import Membership, OrganisationRole
from fordela.access.permissions import Action, role_can
from fordela.core import clock
from fordela.core.autosave import answer as autosave_answer
from fordela.core.autosave import refused as autosave_refused
from fordela.core.confirm import confirmation
from fordela.core.flash import flash_errors
from fordela.core.formatting import kronor
from fordela.core.pagination import page_of
from fordela.organisations.models import Organisation

from ..forms_applying import ApplicationForm, StartForm, initial_for
from ..models import ApplicantKind, RoundStatus, SubGrantApplication, SubGrantStatus
from ..services import applying
from ..services.decisions import granted_list

GRANTED_LIST_TEMPLATE = "regional/rounds/_granted_list.html"
# The URL name of a decision's letter (the region's decision pages).
LETTER_URL_NAMES = ("regional:decision_letter",)

# ------------------------------------------------------------ public pages


@require_GET
def public_rounds(request):
    """Every region's rounds that are not drafts, the open ones first."""
    page = page_of(request, applying.public_rounds())
    return render(
        request,
        "regional/applying/public_rounds.html",
        {"page": page, "rows": [(r, applying.is_open(r)) for r in page]},
    )


@require_GET
def public_round(request, round_pk: int):
    round_ = get_object_or_404(applying.public_rounds().select_related("question_set"), pk=round_pk)
    show_granted = (
        round_.status == RoundStatus.FINISHED
        or round_.decisions.filter(decided_at__isnull=False).exists()
    )
    granted = granted_list(round_) if show_granted else None
    return render(
        request,
        "regional/applying/public_round.html",
        {
            "round": round_,
            "is_open": applying.is_open(round_),
            "deadline_passed": clock.is_past(round_.apply_by),
            "questions": round_.question_set.questions if round_.question_set else [],
            "granted": granted,
            "show_granted": show_granted,
            "granted_template": GRANTED_LIST_TEMPLATE,
        },
    )


# ---------------------------------------------------------------- starting


def _render_start(request, round_, applicants, form, status=200):
    own = [a.organisation for a in applicants if a.kind == ApplicantKind.OWN_UNIT and a.may_start]
    drafts = applying.applications_of([a.organisation.pk for a in applicants])
    return render(
        request,
        "regional/applying/start.html",
        {
            "round": round_,
            "applicants": applicants,
            "startable": [a for a in applicants if a.may_start],
            "form": form,
            "own_region": own[0] if own else None,
            "is_open": applying.is_open(round_),
            "deadline_passed": clock.is_past(round_.apply_by),
            "existing": [a for a in drafts if a.round_id == round_.pk],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def start(request, round_pk: int):
    """Choose who applies (and, for the region itself, the unit) and start
    the application. Someone in no organisation that can apply is told so."""
    round_ = get_object_or_404(applying.public_rounds(), pk=round_pk)
    applicants = applying.applicants_for(request.user, round_)
    if request.method == "GET":
        form = StartForm(applicants=[a for a in applicants if a.may_start])
        return _render_start(request, round_, applicants, form)
    form = StartForm(request.POST, applicants=[a for a in applicants if a.may_start])
    if not form.is_valid():
        return _render_start(request, round_, applicants, form, status=400)
    organisation = get_object_or_404(Organisation, pk=form.cleaned_data["organisation"])
    try:
        application = applying.start_application(
            request.user,
            round_,
            organisation,
            unit_code=form.cleaned_data["unit_code"],
            unit_name=form.cleaned_data["unit_name"],
        )
    except PermissionDenied:
        form.add_error(
            "organisation", _("Only the ombud or a representative can start an application.")
        )
        return _render_start(request, round_, applicants, form, status=403)
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_start(request, round_, applicants, form, status=400)
    return redirect("regional:apply_edit", application.pk)


# ------------------------------------------------------------------ drafts


def _for_member(request, pk: int) -> SubGrantApplication:
    """The application, with the user's role in its organisation as
    ``member_role`` (in the same query); 403 for anyone else, the region's
    own staff too: they read applications on their own pages."""
    role = Membership.objects.filter(
        user=request.user, organisation=OuterRef("organisation")
    ).order_by()
    application = get_object_or_404(
        SubGrantApplication.objects.select_related(
            "round__region", "organisation", "question_set"
        ).annotate(member_role=Subquery(role.values("role")[:1])),
        pk=pk,
    )
    if application.member_role is None:
        raise PermissionDenied
    application.member_role = OrganisationRole(application.member_role)
    return application


def _form(application, data=None) -> ApplicationForm:
    kwargs = {
        "questions": applying.questions_of(application),
        "budget_sek": application.round.budget_sek,
    }
    if data is None:
        return ApplicationForm(initial=initial_for(application), **kwargs)
    return ApplicationForm(data, **kwargs)


def _render_edit(request, application, form, status=200):
    return render(
        request,
        "regional/applying/edit.html",
        {
            "application": application,
            "round": application.round,
            "form": form,
            "may_submit": role_can(application.member_role, Action.SUBMIT_CASE),
            "may_withdraw": role_can(application.member_role, Action.START_CASE),
            "deadline_passed": clock.is_past(application.round.apply_by),
        },
        status=status,
    )


def _save(request, application, form) -> dict:
    problems = applying.save_draft(request.user, application, form.posted())
    form.show_problems(problems)
    return problems


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    application = _for_member(request, pk)
    if application.status != SubGrantStatus.DRAFT:
        return redirect("regional:apply_receipt", application.pk)
    if request.method == "GET":
        return _render_edit(request, application, _form(application))
    form = _form(application, request.POST)
    try:
        problems = _save(request, application, form)
    except ValidationError as error:
        form.add_error(None, " ".join(error.messages))
        return _render_edit(request, application, form, status=400)
    if problems:
        return _render_edit(request, application, form, status=400)
    if request.POST.get("action") == "check":
        return redirect("regional:apply_check", application.pk)
    messages.success(request, _("The draft has been saved."))
    return redirect("regional:apply_edit", application.pk)


@login_required
@require_POST
def autosave(request, pk: int):
    """The form's script posts here while the user types: every field that
    keeps its rules is saved, the others are named beside their fields."""
    application = _for_member(request, pk)
    form = _form(application, request.POST)
    try:
        _save(request, application, form)
    except ValidationError as error:
        return autosave_refused(error)
    return autosave_answer(form)


def _answers(application) -> list[tuple[dict, str]]:
    return [(q, application.answers.get(q["key"], "")) for q in applying.questions_of(application)]


@login_required
@require_http_methods(["GET", "POST"])
def check(request, pk: int):
    """Everything in the application and what is missing; the submission
    (ombud, representant) after a confirmation."""
    application = _for_member(request, pk)
    if application.status != SubGrantStatus.DRAFT:
        return redirect("regional:apply_receipt", application.pk)
    may_submit = role_can(application.member_role, Action.SUBMIT_CASE)
    problems = applying.missing(application)
    if request.method == "POST":
        if not may_submit:
            raise PermissionDenied
        if not problems:
            page = confirmation(
                request,
                title=_("Submit the application?"),
                consequences=[
                    _(
                        "Once submitted, the application cannot be changed or withdrawn here. "
                        "It gets a case number and %(region)s assesses it."
                    )
                    % {"region": application.round.region.name}
                ],
                button=_("Yes, submit the application"),
                cancel_url=reverse("regional:apply_check", args=[application.pk]),
                facts=[
                    (_("Round"), application.round.title),
                    (_("Applicant"), application.applicant_name),
                    (_("Amount applied for"), kronor(application.requested_sek)),
                ],
            )
            if page is not None:
                return page
        try:
            applying.submit_application(request.user, application)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect("regional:apply_check", application.pk)
        return redirect(reverse("regional:apply_receipt", args=[application.pk]) + "?kvittens=1")
    form = _form(application)
    labels = {name: field.label for name, field in form.fields.items()}
    return render(
        request,
        "regional/applying/check.html",
        {
            "application": application,
            "round": application.round,
            "missing": [(labels.get(key, ""), texts) for key, texts in problems.items()],
            "answers": _answers(application),
            "may_submit": may_submit,
        },
    )


@login_required
@require_POST
def withdraw(request, pk: int):
    """Withdraw a draft (ombud, representant), after a confirmation."""
    application = _for_member(request, pk)
    if not role_can(application.member_role, Action.START_CASE):
        raise PermissionDenied
    if application.status != SubGrantStatus.DRAFT:
        return redirect("regional:apply_receipt", application.pk)
    page = confirmation(
        request,
        title=_("Withdraw the draft application?"),
        consequences=[
            _("The draft can no longer be filled in or submitted."),
            _("You can start a new application while the round is open."),
        ],
        button=_("Yes, withdraw the draft"),
        cancel_url=reverse("regional:apply_edit", args=[application.pk]),
        facts=[
            (_("Round"), application.round.title),
            (_("Applicant"), application.applicant_name),
        ],
    )
    if page is not None:
        return page
    try:
        applying.withdraw_draft(request.user, application)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("regional:apply_edit", application.pk)
    messages.success(request, _("The draft application has been withdrawn."))
    return redirect("access:my_pages")


def _letter_url(decision) -> str:
    """The decision letter's address on the region's decision pages, if
    they have one."""
    for name in LETTER_URL_NAMES:
        try:
            return reverse(name, args=[decision.pk])
        except NoReverseMatch:
            continue
    return ""


@login_required
@require_GET
def receipt(request, pk: int):
    """The receipt just after submitting, then the application's status and,
    once decided, the decision."""
    application = _for_member(request, pk)
    if application.status == SubGrantStatus.DRAFT:
        return redirect("regional:apply_edit", application.pk)
    decision = getattr(application, "decision", None)
    if decision is not None and not decision.is_decided:
        decision = None  # a proposal is the region's, not yet the applicant's
    return render(
        request,
        "regional/applying/receipt.html",
        {
            "application": application,
            "round": application.round,
            "answers": _answers(application),
            "decision": decision,
            "letter_url": _letter_url(decision) if decision else "",
            "receipt": request.GET.get("kvittens") == "1"
            and application.status == SubGrantStatus.SUBMITTED,
        },
    )
