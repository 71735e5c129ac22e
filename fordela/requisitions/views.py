"""Requisition pages: the organisation's form and receipt, the handläggare's
lists, case page, redistribution and ledger, and the public redistribution list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fordela.access.models import Membership, OrganisationRole
from fordela.access.permissions import Action, StaffAction, can_staff, require_staff, role_can
from fordela.audit.services import events_for
from fordela.core import clock
from fordela.core.autosave import answer as autosave_answer
from fordela.core.autosave import refused as autosave_refused
from fordela.core.confirm import confirmation, is_confirmed
from fordela.core.exports import csv_response, xlsx_response
from fordela.core.flash import flash_errors
from fordela.core.formatting import kronor
from fordela.core.pagination import page_of
from fordela.organisations.models import Organisation
from fordela.payments import bankgiro
from fordela.payments.models import Payable
from fordela.programmes.models import Pool, PoolKind
from fordela.programmes.queries import find_pool

from . import exports, officer, services
from .forms import OfficerActionForm, RequisitionFilterForm, RequisitionForm
from .ledger import pool_ledger
from .models import (
    Redistribution,
    RedistributionShare,
    Requisition,
    RequisitionMessage,
    RequisitionStatus,
)

# --------------------------------------------------------------- organisation


@login_required
@require_POST
def start(request, organisation_id: int, pool_id: int):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    pool = get_object_or_404(Pool, pk=pool_id)
    try:
        requisition = services.start_requisition(request.user, organisation, pool)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("access:organisation", organisation.pk)
    return redirect("requisitions:edit", requisition.pk)


def _requisition_for_member(request, pk: int) -> Requisition:
    """The requisition, with the user's role in its organisation as
    ``member_role`` (looked up in the same query); 403 for a non-member."""
    role = Membership.objects.filter(
        user=request.user, organisation=OuterRef("organisation")
    ).order_by()
    requisition = get_object_or_404(
        Requisition.objects.select_related(
            "organisation", "pool__programme_year__programme"
        ).annotate(member_role=Subquery(role.values("role")[:1])),
        pk=pk,
    )
    if requisition.member_role is None:
        raise PermissionDenied
    requisition.member_role = OrganisationRole(requisition.member_role)
    return requisition


def _officer_messages(requisition: Requisition) -> dict:
    """What the handläggare wrote to the organisation, newest first, for
    ``requisitions/includes/officer_messages.html``."""
    return {
        "officer_messages": requisition.officer_messages.all(),
        "officer_messages_heading": RequisitionMessage._meta.verbose_name_plural,
    }


def _initial(requisition: Requisition) -> dict:
    return {name: getattr(requisition, name) for name in services.EDITABLE_FIELDS}


def _render_form(request, requisition, form, status=200, partly_saved=False):
    pool = requisition.pool
    return render(
        request,
        "requisitions/edit.html",
        {
            "requisition": requisition,
            "form": form,
            "pool": pool,
            "programme": pool.programme_year.programme,
            "may_submit": role_can(requisition.member_role, Action.SUBMIT_CASE),
            "may_delete": requisition.is_draft
            and role_can(requisition.member_role, Action.START_CASE),
            "deadline_passed": bool(pool.closes_on and clock.is_past(pool.closes_on)),
            "partly_saved": partly_saved,
            **_officer_messages(requisition),
        },
        status=status,
    )


def _without_required(form) -> None:
    """A field left empty is no error in a draft (the submission asks for
    it): take the "required" errors away, keep every other."""
    for name, errors in list(form.errors.as_data().items()):
        kept = [error for error in errors if error.code != "required"]
        if kept:
            form.errors[name] = form.error_class(kept)
        else:
            del form.errors[name]


def _readable(form) -> dict:
    """What the form could read: every field without an error."""
    return {k: v for k, v in form.cleaned_data.items() if k not in form.errors}


def _save_draft(request, requisition, form) -> bool:
    """Save every field of ``form`` that is valid; the others get their
    problem beside them. True when everything was saved."""
    form.is_valid()
    _without_required(form)
    saved = services.save_draft(request.user, requisition, _readable(form))
    for name, problems in saved.problems.items():
        for problem in problems:
            form.add_error(name, problem)
    return not form.errors


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "submit":
        return _submit(request, pk)
    requisition = _requisition_for_member(request, pk)
    if not requisition.is_editable:
        return redirect("requisitions:receipt", requisition.pk)
    if request.method == "GET":
        return _render_form(request, requisition, RequisitionForm(initial=_initial(requisition)))
    if action == "delete":
        return _delete(request, requisition)
    form = RequisitionForm(request.POST)
    try:
        complete = _save_draft(request, requisition, form)
    except PermissionDenied as denied:
        form.add_error(None, str(denied) or _("You may not do this."))
        return _render_form(request, requisition, form, status=403)
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_form(request, requisition, form, status=400)
    if not complete:
        # Saved except what is marked: the form shows what the user wrote.
        return _render_form(request, requisition, form, status=400, partly_saved=True)
    messages.success(request, _("The draft has been saved."))
    return redirect("requisitions:edit", requisition.pk)


def _submission_facts(requisition: Requisition) -> list[tuple[str, str]]:
    return [
        (_("Case number"), requisition.case_number or _("Given when it is submitted")),
        (_("Organisation"), requisition.organisation.name),
        (_("Pool"), str(requisition.pool)),
        (_("Amount"), kronor(requisition.amount_sek)),
        (
            _("Share of unrequisitioned funds"),
            _("yes") if requisition.wants_redistribution else _("no"),
        ),
        (_("Bank giro"), bankgiro.formatted(requisition.bank_giro)),
        (
            _("Contact person"),
            ", ".join(
                part
                for part in (
                    requisition.contact_name,
                    requisition.contact_email,
                    requisition.contact_phone,
                )
                if part
            ),
        ),
    ]


def _confirm_submission(request, requisition: Requisition):
    """The page that asks the user to confirm the submission (step 2)."""
    again = requisition.case_number is not None
    consequences = [
        _("%(amount)s is requisitioned from %(pool)s and paid to bank giro %(bank_giro)s.")
        % {
            "amount": kronor(requisition.amount_sek),
            "pool": requisition.pool,
            "bank_giro": bankgiro.formatted(requisition.bank_giro),
        },
        _("It is submitted again with case number %(case)s.") % {"case": requisition.case_number}
        if again
        else _("The requisition gets a case number and a receipt is sent by e-mail."),
        _("Once submitted, the requisition cannot be changed."),
    ]
    return confirmation(
        request,
        title=_("Submit the requisition again?") if again else _("Submit the requisition?"),
        consequences=consequences,
        button=_("Yes, submit the requisition"),
        cancel_url=reverse("requisitions:edit", args=[requisition.pk]),
        facts=_submission_facts(requisition),
        template="requisitions/confirm_submit.html",
    )


def _submit(request, pk: int):
    """The submit button: first the confirmation page (nothing changes),
    then, confirmed, the submission. The service looks the requisition and
    the user's role up itself (in the query that locks it), so the page's own
    lookup runs only when the form is shown again: the deadline day's hot
    path."""
    form = RequisitionForm(request.POST)
    refusal = None
    if form.is_valid():
        try:
            if not is_confirmed(request):
                checked = services.check_submission(request.user, pk, form.cleaned_data)
                return _confirm_submission(request, checked)
            services.submit_requisition(request.user, pk, form.cleaned_data)
        except Requisition.DoesNotExist:
            raise Http404 from None
        except (PermissionDenied, ValidationError) as error:
            refusal = error
        else:
            # The receipt page itself confirms the submission (no flash
            # message: one cookie less to sign on the deadline day's hot path).
            return redirect("requisitions:receipt", pk)
    # Refused: the lookup answers 403 to outsiders before anything is shown.
    requisition = _requisition_for_member(request, pk)
    if not requisition.is_editable:
        return redirect("requisitions:receipt", requisition.pk)
    if isinstance(refusal, PermissionDenied):
        form.add_error(None, str(refusal) or _("You may not do this."))
        return _render_form(request, requisition, form, status=403)
    if refusal is not None:
        form.add_service_errors(refusal)
    return _render_form(request, requisition, form, status=400)


def _delete(request, requisition: Requisition):
    """Delete the draft, once confirmed (ombud and representant)."""
    if not role_can(requisition.member_role, Action.START_CASE):
        raise PermissionDenied
    if not requisition.is_draft:  # a returned case has a case number: it stays
        messages.error(request, _("Only a draft that has never been submitted can be deleted."))
        return redirect("requisitions:edit", requisition.pk)
    pool = requisition.pool
    consequences = [
        _("The draft and everything filled in on it are deleted. This cannot be undone."),
    ]
    if pool.closes_on:
        consequences.append(
            _("Your organisation can start a new requisition from %(pool)s until %(date)s.")
            % {"pool": pool, "date": date_format(pool.closes_on, "j F Y")}
        )
    page = confirmation(
        request,
        title=_("Delete the draft requisition?"),
        consequences=consequences,
        button=_("Yes, delete the draft"),
        cancel_url=reverse("requisitions:edit", args=[requisition.pk]),
        facts=[
            (_("Organisation"), requisition.organisation.name),
            (_("Pool"), str(pool)),
            (_("Amount"), kronor(requisition.amount_sek)),
        ],
    )
    if page:
        return page
    try:
        services.delete_draft(request.user, requisition)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("requisitions:edit", requisition.pk)
    messages.success(request, _("The draft requisition has been deleted."))
    return redirect("access:organisation", requisition.organisation_id)


@login_required
@require_POST
def autosave(request, pk: int):
    """The form's JavaScript posts here while the user types. Every field
    that is valid is saved; the answer names the others, each with its
    problem, which the script shows beside the field."""
    requisition = _requisition_for_member(request, pk)
    form = RequisitionForm(request.POST)
    try:
        _save_draft(request, requisition, form)
    except ValidationError as error:
        return autosave_refused(error)
    return autosave_answer(form)


@login_required
@require_GET
def receipt(request, pk: int):
    requisition = _requisition_for_member(request, pk)
    if requisition.is_editable:
        return redirect("requisitions:edit", requisition.pk)
    return render(
        request,
        "requisitions/receipt.html",
        {
            "requisition": requisition,
            "payables": requisition.payables.all(),
            **_officer_messages(requisition),
        },
    )


# ------------------------------------------------------------- handläggare


def _reader(request):
    require_staff(request.user, StaffAction.READ_REQUISITIONS)


def _requisition_pool(pool_id: int) -> Pool:
    return get_object_or_404(
        Pool.objects.select_related("programme_year__programme"),
        pk=pool_id,
        kind=PoolKind.REQUISITION,
    )


@login_required
@require_GET
def pools(request):
    _reader(request)
    rows = (
        Pool.objects.filter(kind=PoolKind.REQUISITION, allocation_key__isnull=False)
        .select_related("programme_year__programme")
        .order_by(
            "-programme_year__year", "programme_year__programme__reference_number", "slug", "id"
        )
    )
    return render(request, "requisitions/pools.html", {"page": page_of(request, rows)})


def _filtered(request, pool: Pool):
    form = RequisitionFilterForm(request.GET or None)
    form.fields["status"].choices = [("", _("All")), *RequisitionStatus.choices]
    rows = (
        Requisition.objects.filter(pool=pool)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["opted_in"]:
            rows = rows.filter(wants_redistribution=data["opted_in"] == "yes")
        if data["q"]:
            rows = rows.filter(
                Q(organisation__name__icontains=data["q"]) | Q(case_number__icontains=data["q"])
            )
    return form, rows


@login_required
@require_GET
def pool_requisitions(request, pool_id: int):
    _reader(request)
    pool = _requisition_pool(pool_id)
    form, rows = _filtered(request, pool)
    rows = list(rows)
    return render(
        request,
        "requisitions/pool.html",
        {
            "pool": pool,
            "form": form,
            "rows": rows,
            "shown_total_sek": sum(r.amount_sek for r in rows if r.is_requisitioned),
            "ledger": pool_ledger(pool),
            "query": request.GET.urlencode(),
            "may_redistribute": can_staff(request.user, StaffAction.REDISTRIBUTE),
        },
    )


@login_required
@require_GET
def pool_requisitions_csv(request, pool_id: int):
    _reader(request)
    pool = _requisition_pool(pool_id)
    _, rows = _filtered(request, pool)
    return csv_response(
        exports.filename(pool, "rekvisitioner", "csv"),
        exports.REQUISITION_HEADER,
        exports.requisition_rows(rows),
    )


@login_required
@require_GET
def pool_requisitions_xlsx(request, pool_id: int):
    _reader(request)
    pool = _requisition_pool(pool_id)
    _, rows = _filtered(request, pool)
    return xlsx_response(
        exports.filename(pool, "rekvisitioner", "xlsx"), exports.requisitions_xlsx(pool, rows)
    )


def _render_case(request, requisition: Requisition, action_form=None, status: int = 200):
    # The share's id first, so the payables query is two indexed equalities
    # (a join inside the OR would scan every payable).
    share_ids = list(
        RedistributionShare.objects.filter(requisition=requisition).values_list("pk", flat=True)
    )
    payables = Payable.objects.filter(
        Q(requisition=requisition) | Q(redistribution_share__in=share_ids)
    ).select_related("paid_batch")
    may_handle = can_staff(request.user, StaffAction.HANDLE_REQUISITIONS)
    return render(
        request,
        "requisitions/case.html",
        {
            "requisition": requisition,
            "payables": payables,
            "events": events_for(requisition).select_related("actor"),
            **_officer_messages(requisition),
            "may_handle": may_handle and requisition.case_number is not None,
            "action_form": action_form or OfficerActionForm(),
        },
        status=status,
    )


def _case_requisition(pk: int) -> Requisition:
    return get_object_or_404(
        Requisition.objects.select_related(
            "organisation", "pool__programme_year__programme", "submitted_by"
        ),
        pk=pk,
    )


@login_required
@require_GET
def case(request, pk: int):
    _reader(request)
    return _render_case(request, _case_requisition(pk))


CASE_ACTIONS = {
    "return": (
        officer.return_requisition,
        gettext_lazy("The requisition has been returned for correction."),
    ),
    "reject": (officer.reject_requisition, gettext_lazy("The requisition has been rejected.")),
    "note": (officer.add_note, gettext_lazy("The note has been added.")),
}


@login_required
@require_POST
def case_action(request, pk: int):
    """The handläggare returns, rejects or annotates a submitted case."""
    require_staff(request.user, StaffAction.HANDLE_REQUISITIONS)
    requisition = _case_requisition(pk)
    form = OfficerActionForm(request.POST)
    if not form.is_valid():
        return _render_case(request, requisition, form, status=400)
    action = form.cleaned_data["action"]
    if action == "reject":
        page = confirmation(
            request,
            title=_("Reject requisition %(case)s?") % {"case": requisition.case_number},
            consequences=[
                _("The requisition is rejected. It cannot be submitted again."),
                _(
                    "The payment of %(amount)s owed is cancelled, if it is not yet in a "
                    "payment batch."
                )
                % {"amount": kronor(requisition.amount_sek)},
                _("The organisation is told the reason by e-mail."),
            ],
            button=_("Yes, reject the requisition"),
            cancel_url=reverse("requisitions:case", args=[requisition.pk]),
            facts=[
                (_("Case number"), requisition.case_number),
                (_("Organisation"), requisition.organisation.name),
                (_("Amount"), kronor(requisition.amount_sek)),
                (_("Reason"), form.cleaned_data["message"]),
            ],
        )
        if page:
            return page
    service, done = CASE_ACTIONS[action]
    try:
        service(request.user, requisition, form.cleaned_data["message"])
    except ValidationError as error:
        form.add_service_errors(error)
        return _render_case(request, requisition, form, status=400)
    messages.success(request, str(done))
    return redirect("requisitions:case", requisition.pk)


def _confirm_redistribution(request, pool: Pool):
    outcome = services.preview_redistribution(pool).outcome
    recipients = len(outcome.shares)
    return confirmation(
        request,
        title=_("Confirm the redistribution of %(pool)s?") % {"pool": pool},
        consequences=[
            ngettext(
                "%(amount)s is redistributed to %(count)s organisation and a payment is "
                "registered for it.",
                "%(amount)s is redistributed to %(count)s organisations and a payment is "
                "registered for each.",
                recipients,
            )
            % {"amount": kronor(outcome.redistributed_sek), "count": recipients},
            _("The redistribution list is published. It cannot be changed or undone."),
        ],
        button=_("Yes, confirm and publish"),
        cancel_url=reverse("requisitions:redistribution", args=[pool.pk]),
        facts=[
            (_("Pool"), str(pool)),
            (_("Not requisitioned"), kronor(outcome.unrequisitioned_sek)),
            (_("Redistributed"), kronor(outcome.redistributed_sek)),
            (_("Unallocated"), kronor(outcome.unallocated_sek)),
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def redistribution(request, pool_id: int):
    _reader(request)
    pool = _requisition_pool(pool_id)
    if request.method == "POST":
        require_staff(request.user, StaffAction.REDISTRIBUTE)
        refusal = services.redistribution_refusal(pool)
        if refusal:
            messages.error(request, refusal)
            return redirect("requisitions:redistribution", pool.pk)
        page = _confirm_redistribution(request, pool)
        if page:
            return page
        try:
            services.confirm_redistribution(request.user, pool)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The redistribution has been confirmed and published."))
        return redirect("requisitions:redistribution", pool.pk)
    confirmed = Redistribution.objects.filter(pool=pool).first()
    refusal = services.redistribution_refusal(pool)
    preview = None if confirmed else services.preview_redistribution(pool)
    return render(
        request,
        "requisitions/redistribution.html",
        {
            "pool": pool,
            "confirmed": confirmed,
            "shares": confirmed.shares.select_related("organisation") if confirmed else None,
            "preview": preview,
            "eligible_rows": [r for r in preview.rows if r.eligible] if preview else [],
            "refusal": refusal,
            "may_confirm": refusal is None and can_staff(request.user, StaffAction.REDISTRIBUTE),
        },
    )


@login_required
@require_GET
def ledger(request, pool_id: int):
    _reader(request)
    pool = _requisition_pool(pool_id)
    return render(request, "requisitions/ledger.html", {"pool": pool, "ledger": pool_ledger(pool)})


# ------------------------------------------------------------------ public


def _published(programme: str, year: int, pool: str) -> Redistribution:
    try:
        found = find_pool(programme, year, pool)
        return Redistribution.objects.select_related("pool__programme_year__programme").get(
            pool=found
        )
    except (Pool.DoesNotExist, Redistribution.DoesNotExist):
        raise Http404 from None


@require_GET
def redistribution_list(request, programme: str, year: int, pool: str):
    published = _published(programme, year, pool)
    return render(
        request,
        "requisitions/redistribution_list.html",
        {
            "redistribution": published,
            "pool": published.pool,
            "shares": exports.shares(published),
        },
    )


@require_GET
def redistribution_list_csv(request, programme: str, year: int, pool: str):
    published = _published(programme, year, pool)
    return csv_response(
        exports.filename(published.pool, "omfordelningslista", "csv"),
        exports.REDISTRIBUTION_HEADER,
        exports.redistribution_rows(published),
    )
