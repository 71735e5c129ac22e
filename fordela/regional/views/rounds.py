"""The region staff's round pages: their rounds, one round (dates, budget,
applications by status), setting it up and editing it, its questions, and
the round's own actions (funding read again, open, close, finish). The
agency's readers see every round read-only, without buttons. Each view
loads its round through ``regional.access``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordela.access.permissions import (
    REGIONAL_MATRIX,
    RegionalAction,
    StaffAction,
    can_staff,
    regional_can,
    regional_roles,
    regions_of,
)
from fordela.core.confirm import confirmation
from fordela.core.flash import flash_errors
from fordela.core.formatting import kronor

from ..access import readable_rounds, round_for
from ..forms_rounds import NewRoundForm, RoundForm, filled_questions, question_formset
from ..models import RoundStatus, SubGrantApplication, SubGrantStatus
from ..services import decisions as decision_services
from ..services import rounds as services

# The statuses the round page lists (a draft is the applicant's own).
LISTED = (
    SubGrantStatus.SUBMITTED,
    SubGrantStatus.PROPOSED,
    SubGrantStatus.DECIDED,
)


def may(user, round_) -> dict[str, bool]:
    """What the user may do in the round's region, for the page's buttons
    (one query; the agency's readers hold no regional role: all False)."""
    roles = regional_roles(user, round_.region)
    return {action.name.lower(): regional_can(roles, action) for action in REGIONAL_MATRIX}


def _managing_regions(user) -> list:
    return [
        region
        for region in regions_of(user)
        if regional_can(regional_roles(user, region), RegionalAction.MANAGE_ROUNDS)
    ]


@login_required
@require_GET
def round_list(request):
    if not (can_staff(request.user, StaffAction.READ_REGIONAL_ROUNDS) or regions_of(request.user)):
        raise PermissionDenied
    rounds = list(
        readable_rounds(request.user)
        .annotate(
            submitted=Count(
                "applications", filter=Q(applications__status=SubGrantStatus.SUBMITTED)
            ),
            proposed=Count("applications", filter=Q(applications__status=SubGrantStatus.PROPOSED)),
            decided=Count("applications", filter=Q(applications__status=SubGrantStatus.DECIDED)),
        )
        .order_by("-programme_year__year", "region__name", "title")
    )
    return render(
        request,
        "regional/rounds/list.html",
        {"rounds": rounds, "can_create": bool(_managing_regions(request.user))},
    )


@login_required
@require_GET
def round_page(request, pk: int):
    round_ = round_for(request.user, pk)
    counts = dict(
        round_.applications.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    applications = (
        SubGrantApplication.objects.filter(round=round_, status__in=LISTED)
        .select_related("organisation", "decision")
        .order_by("status", "-submitted_at", "pk")
    )
    return render(
        request,
        "regional/rounds/round.html",
        {
            "round": round_,
            "may": may(request.user, round_),
            "counts": [
                (status, label, counts.get(status, 0)) for status, label in SubGrantStatus.choices
            ],
            "applications": applications,
            "granted": decision_services.granted_list(round_),
            "undecided": counts.get(SubGrantStatus.SUBMITTED, 0)
            + counts.get(SubGrantStatus.PROPOSED, 0),
            "draft_questions": services.current_draft(round_),
        },
    )


def _round_data(form) -> dict:
    return {name: form.cleaned_data.get(name) for name in services.ROUND_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    regions = _managing_regions(request.user)
    if not regions:
        raise PermissionDenied
    form = NewRoundForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.create_round(
                request.user,
                form.cleaned_data["region"],
                form.cleaned_data["programme_year"],
                _round_data(form),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The round has been set up as a draft."))
            return redirect("regional:round", round_.pk)
    return render(request, "regional/rounds/form.html", {"form": form, "round": None})


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request, pk: int):
    round_ = round_for(request.user, pk, RegionalAction.MANAGE_ROUNDS)
    if round_.status != RoundStatus.DRAFT:
        messages.error(request, _("Only a draft round can be changed."))
        return redirect("regional:round", round_.pk)
    initial = {name: getattr(round_, name) for name in services.ROUND_FIELDS}
    form = RoundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_round(request.user, round_, _round_data(form))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The round has been saved."))
            return redirect("regional:round", round_.pk)
    return render(request, "regional/rounds/form.html", {"form": form, "round": round_})


@login_required
@require_http_methods(["GET", "POST"])
def round_questions(request, pk: int):
    """The questions: the published version read-only, the draft as rows
    to edit (key, question, help, longest answer, required)."""
    round_ = round_for(request.user, pk)
    rights = may(request.user, round_)
    draft = services.current_draft(round_)
    editable = rights["manage_rounds"] and round_.status in (RoundStatus.DRAFT, RoundStatus.OPEN)
    problems = []
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        formset = question_formset(request.POST)
        if formset.is_valid():
            try:
                services.save_question_draft(request.user, round_, filled_questions(formset))
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(request, _("The draft of the questions has been saved."))
                return redirect("regional:round_questions", round_.pk)
        else:
            # Too many rows: the formset's own error, which no row shows.
            problems = list(formset.non_form_errors())
    else:
        questions = draft.questions if draft else []
        formset = question_formset(questions=questions)
    return render(
        request,
        "regional/rounds/questions.html",
        {
            "round": round_,
            "may": rights,
            "draft": draft,
            "published": round_.question_set,
            "formset": formset,
            "editable": editable and (draft is not None or round_.question_set_id is None),
            "can_start_draft": editable and draft is None and round_.question_set_id is not None,
            "problems": problems,
        },
    )


def _act(request, pk: int, service, done: str, *, confirm=None, anchor: str = ""):
    """Run one round service for the region's administrator; a refusal is
    shown on the round page."""
    round_ = round_for(request.user, pk, RegionalAction.MANAGE_ROUNDS)
    if confirm is not None:
        page = confirm(round_)
        if page is not None:
            return page
    try:
        service(request.user, round_)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, done)
    return redirect(reverse("regional:round", args=[round_.pk]) + anchor)


@login_required
@require_POST
def questions_new_version(request, pk: int):
    round_ = round_for(request.user, pk, RegionalAction.MANAGE_ROUNDS)
    try:
        services.start_question_draft(request.user, round_)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("regional:round", round_.pk)
    return redirect("regional:round_questions", round_.pk)


@login_required
@require_POST
def questions_publish(request, pk: int):
    def confirm(round_):
        return confirmation(
            request,
            title=_("Publish the questions?"),
            consequences=[
                _(
                    "A published version is never changed. New applications answer it; to "
                    "change a question later you make a new version."
                )
            ],
            button=_("Yes, publish the questions"),
            cancel_url=reverse("regional:round_questions", args=[round_.pk]),
            facts=[(_("Round"), round_.title)],
        )

    return _act(
        request,
        pk,
        services.publish_questions,
        _("The questions have been published."),
        confirm=confirm,
    )


@login_required
@require_POST
def refresh_funding(request, pk: int):
    return _act(
        request,
        pk,
        services.refresh_funding,
        _("The state funding has been read from the ledger."),
        anchor="#budget",
    )


@login_required
@require_POST
def round_open(request, pk: int):
    def confirm(round_):
        return confirmation(
            request,
            title=_("Open the round for applications?"),
            consequences=[
                _("Local actors and the region's own units can apply from now until the last day.")
            ],
            button=_("Yes, open the round"),
            cancel_url=reverse("regional:round", args=[round_.pk]),
            facts=[
                (_("Round"), round_.title),
                (_("State funding"), kronor(round_.state_funding_sek)),
                (_("The region's own money"), kronor(round_.own_funding_sek)),
            ],
        )

    return _act(
        request, pk, services.open_round, _("The round is open for applications."), confirm=confirm
    )


@login_required
@require_POST
def round_close(request, pk: int):
    def confirm(round_):
        return confirmation(
            request,
            title=_("Close the round for applications?"),
            consequences=[_("No one can apply after this; the round cannot be opened again.")],
            button=_("Yes, close the round"),
            cancel_url=reverse("regional:round", args=[round_.pk]),
            facts=[(_("Round"), round_.title)],
        )

    return _act(
        request,
        pk,
        services.close_round,
        _("The round is closed for applications."),
        confirm=confirm,
    )


@login_required
@require_POST
def round_finish(request, pk: int):
    def confirm(round_):
        return confirmation(
            request,
            title=_("Mark the round as decided?"),
            consequences=[_("The round is finished: every application in it has its decision.")],
            button=_("Yes, the round is decided"),
            cancel_url=reverse("regional:round", args=[round_.pk]),
            facts=[(_("Round"), round_.title), (_("Granted"), kronor(round_.decided_sek))],
        )

    return _act(request, pk, services.finish_round, _("The round is decided."), confirm=confirm)
