"""Thin views: parse input, ask the permission matrix, call one service, render."""

import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fordela.core.downloads import file_download
from fordela.core.flash import flash_errors
from fordela.organisations.models import Organisation

from . import roles as role_words
from . import services, worklists
from .forms import (
    AttachmentForm,
    CompletionRequestForm,
    InvitationForm,
    MyContactDetailsForm,
    OmbudApplicationForm,
    OrganisationContactDetailsForm,
    PasswordLoginForm,
    WriteOffForm,
)
from .lockout import one_attempt_at_a_time
from .models import (
    WAITING_FOR_AGENCY,
    Invitation,
    Membership,
    OmbudApplication,
    OmbudAttachment,
    OrganisationRole,
    UserProfile,
)
from .permissions import (
    INVITE_ACTION,
    REMOVE_ACTION,
    Action,
    StaffAction,
    can,
    can_staff,
    is_member,
    organisation_role,
    require,
    require_staff,
    role_can,
    staff_roles,
)


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


# ------------------------------------------------------------------ login


@require_http_methods(["GET", "POST"])
def login_view(request):
    """E-identification, and in the demo username and password. Too many
    failures and django-axes answers with ``locked_out`` instead."""
    password_login = settings.FORDELA_PASSWORD_LOGIN
    form = PasswordLoginForm(request.POST or None)
    if request.method == "POST":
        if not password_login:
            raise Http404
        if form.is_valid():
            username = form.cleaned_data["username"]
            with one_attempt_at_a_time(username):
                user = authenticate(
                    request, username=username, password=form.cleaned_data["password"]
                )
            if user is not None:
                login(request, user)
                return redirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
            form.add_error(None, _("Wrong username or password."))
    return render(
        request,
        "access/login.html",
        {
            "form": form,
            "password_login": password_login,
            "oidc_enabled": bool(settings.OIDC_OP_AUTHORIZATION_ENDPOINT),
            "next": _safe_next(request, ""),
        },
        status=400 if request.method == "POST" else 200,
    )


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a locked-out login, the admin's included
    (``AXES_LOCKOUT_CALLABLE``): the login page's layout, 429."""
    minutes = math.ceil(get_cool_off(request).total_seconds() / 60)
    return render(request, "access/locked_out.html", {"minutes": minutes}, status=429)


def admin_login(request, extra_context=None):
    """The admin's login. With password login (the demo) Django's own form,
    under the lockout; otherwise administrators log in as everyone does, by
    e-identification, and come back to the admin."""
    if settings.FORDELA_PASSWORD_LOGIN and request.method == "POST":
        with one_attempt_at_a_time(request.POST.get("username", "")):
            return admin.site.login(request, extra_context)
    if settings.FORDELA_PASSWORD_LOGIN or admin.site.has_permission(request):
        return admin.site.login(request, extra_context)
    if request.user.is_authenticated:
        raise PermissionDenied
    target = _safe_next(request, reverse("admin:index"))
    return redirect_to_login(target, settings.LOGIN_URL)


# --------------------------------------------------------------- my pages


@login_required
def my_pages(request):
    """The start page after login: what waits for the user in each agency
    role and in each organisation (``worklists``)."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    applications = OmbudApplication.objects.filter(applicant=request.user).select_related(
        "organisation"
    )
    roles = staff_roles(request.user)
    return render(
        request,
        "access/my_pages.html",
        {
            "organisations": worklists.organisation_work(memberships),
            "applications": applications.order_by("-created_at"),
            "staff_roles": sorted(role.label for role in roles),
            "work": worklists.staff_work(request.user, roles) if roles else {},
            "regional": worklists.regional_work(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_contact_details(request):
    user = request.user
    profile = UserProfile.objects.filter(user=user).first()
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": profile.phone if profile else "",
    }
    form = MyContactDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_my_contact_details(user, **form.cleaned_data)
        messages.success(request, _("Your contact details have been saved."))
        return redirect("access:my_pages")
    return render(request, "access/my_contact_details.html", {"form": form})


def _organisation_for_reading(request, organisation_id: int) -> Organisation:
    """Members read their organisation; handläggare read every organisation's
    users and roles (P13); everyone else gets 403."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not (
        is_member(request.user, organisation)
        or can_staff(request.user, StaffAction.VIEW_ORGANISATION_USERS)
    ):
        raise PermissionDenied
    return organisation


@login_required
def organisation_detail(request, organisation_id: int):
    organisation = _organisation_for_reading(request, organisation_id)
    user = request.user
    role = organisation_role(user, organisation)
    memberships = list(services.users_with_roles(organisation))
    for membership in memberships:
        membership.removable = (
            membership.user_id != user.pk
            and membership.role in REMOVE_ACTION
            and role_can(role, REMOVE_ACTION[membership.role])
        )
    own = next((m for m in memberships if m.user_id == user.pk), None)
    may_invite = any(role_can(role, action) for action in INVITE_ACTION.values())
    invitations = list(services.open_invitations(organisation)) if may_invite else []
    for invitation in invitations:
        invitation.withdrawable = role_can(role, INVITE_ACTION[invitation.role])
    return render(
        request,
        "access/organisation_detail.html",
        {
            "organisation": organisation,
            "role": role,
            "memberships": memberships,
            "own_membership": own,
            "may_invite": may_invite,
            "may_change_data": role_can(role, Action.CHANGE_DATA),
            "may_submit": role_can(role, Action.SUBMIT_CASE),
            "invitations": invitations,
        },
    )


def _own_organisation(request, organisation_id: int) -> Organisation:
    """The organisation, for one of its members; 403 to everyone else. The
    service then checks the member's right to the particular change."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not is_member(request.user, organisation):
        raise PermissionDenied
    return organisation


def _member_organisation(request, organisation_id: int, action: Action) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    require(request.user, action, organisation)
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def organisation_contact_details(request, organisation_id: int):
    organisation = _member_organisation(request, organisation_id, Action.CHANGE_DATA)
    form = OrganisationContactDetailsForm(
        request.POST or None, initial={"email": organisation.email, "phone": organisation.phone}
    )
    if request.method == "POST" and form.is_valid():
        services.update_organisation_contact_details(
            request.user, organisation, **form.cleaned_data
        )
        messages.success(request, _("The organisation's contact details have been saved."))
        return redirect("access:organisation", organisation.pk)
    return render(
        request,
        "access/organisation_contact_details.html",
        {"organisation": organisation, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, organisation_id: int):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    roles = [
        role for role, action in INVITE_ACTION.items() if can(request.user, action, organisation)
    ]
    if not roles:
        raise PermissionDenied
    form = InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_member(
                request.user,
                organisation,
                form.cleaned_data["email"],
                form.cleaned_data["role"],
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("access:organisation", organisation.pk)
    return render(request, "access/invite.html", {"organisation": organisation, "form": form})


@login_required
@require_POST
def remove_membership(request, organisation_id: int, membership_id: int):
    organisation = _own_organisation(request, organisation_id)
    membership = get_object_or_404(Membership, pk=membership_id, organisation=organisation)
    try:
        services.remove_member(request.user, membership)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("access:organisation", organisation.pk)
    if membership.user_id == request.user.pk:
        messages.success(
            request,
            _("You no longer have a role in %(organisation)s.")
            % {"organisation": organisation.name},
        )
        return redirect("access:my_pages")
    messages.success(request, _("The user has been removed."))
    return redirect("access:organisation", organisation.pk)


@login_required
@require_POST
def withdraw_invitation(request, organisation_id: int, invitation_id: int):
    organisation = _own_organisation(request, organisation_id)
    invitation = get_object_or_404(Invitation, pk=invitation_id, organisation=organisation)
    try:
        services.withdraw_invitation(request.user, invitation)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been withdrawn; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("access:organisation", organisation.pk)


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token: str):
    """The invited person accepts; anyone else who opens the link is told it
    is not theirs, and their acceptance is refused (and audited). Opened
    while logged out, the page says what the invitation is and what happens
    after login, and its login links come back here."""
    invitation = services.find_invitation(token)
    usable = invitation is not None and invitation.is_usable
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return render(
            request,
            "access/accept_invitation.html",
            {
                "invitation": invitation if usable else None,
                "role_description": role_words.describe(invitation.role) if usable else "",
                "login_url": f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.path})}",
                "oidc_login_url": (
                    f"{reverse('oidc_authentication_init')}?{urlencode({'next': request.path})}"
                    if settings.OIDC_OP_AUTHORIZATION_ENDPOINT
                    else ""
                ),
            },
            status=200 if usable else 404,
        )
    error = None
    status = 200
    if request.method == "POST":
        try:
            membership = services.accept_invitation(request.user, token)
        except ValidationError as exc:
            error = " ".join(exc.messages)
            status = 403 if exc.code == "another_account" else 200
        else:
            messages.success(
                request,
                _("You now have the role %(role)s in %(organisation)s.")
                % {
                    "role": membership.get_role_display(),
                    "organisation": membership.organisation.name,
                },
            )
            return redirect("access:organisation", membership.organisation_id)
    for_this_account = usable and services.is_invited_person(request.user, invitation)
    if usable and not for_this_account:
        error = services.invitation_for_another_account()
    return render(
        request,
        "access/accept_invitation.html",
        {
            "invitation": invitation if usable else None,
            "role_description": role_words.describe(invitation.role) if usable else "",
            "for_this_account": for_this_account,
            "error": error,
        },
        status=status if usable else 404,
    )


# ------------------------------------------------------- ombud application


@login_required
@require_http_methods(["GET", "POST"])
def ombud_apply(request):
    form = OmbudApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.start_ombud_application(
                request.user,
                form.cleaned_data["organisation_number"],
                form.cleaned_data["role_basis"],
            )
        except ValidationError as error:
            if error.code in {"invalid_orgnr", "unknown_orgnr"}:
                form.add_error("organisation_number", error)
            else:
                _add_errors(form, error)
        else:
            return redirect("access:ombud_application", application.pk)
    return render(
        request,
        "access/ombud_apply.html",
        {"form": form, "typical_days": services.typical_handling_days()},
    )


def _own_application(request, pk: int) -> OmbudApplication:
    return get_object_or_404(
        OmbudApplication.objects.select_related("organisation"), pk=pk, applicant=request.user
    )


def _render_application(request, application, attachment_form=None, submit_errors=None, status=200):
    kinds = services.attachment_kinds_for(application.organisation, application.role_basis)
    return render(
        request,
        "access/ombud_application.html",
        {
            "application": application,
            "attachments": application.attachments.all(),
            "required_kinds": kinds,
            "missing_kinds": services.missing_attachment_kinds(application),
            "attachment_form": attachment_form or AttachmentForm(kinds=kinds),
            "submit_errors": submit_errors or [],
            "typical_days": services.typical_handling_days(),
        },
        status=status,
    )


@login_required
def ombud_application(request, pk: int):
    return _render_application(request, _own_application(request, pk))


@login_required
@require_POST
def ombud_attachment_upload(request, pk: int):
    application = _own_application(request, pk)
    kinds = services.attachment_kinds_for(application.organisation, application.role_basis)
    form = AttachmentForm(request.POST, request.FILES, kinds=kinds)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        # One byte more than allowed is enough to refuse it (the upload handler keeps no more).
        data = upload.read(settings.FORDELA_MAX_ATTACHMENT_BYTES + 1)
        try:
            services.add_attachment(
                request.user, application, form.cleaned_data["kind"], upload.name, data
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(request, _("The attachment has been added."))
            return redirect("access:ombud_application", application.pk)
    return _render_application(request, application, attachment_form=form, status=400)


@login_required
@require_POST
def ombud_application_submit(request, pk: int):
    application = _own_application(request, pk)
    try:
        services.submit_ombud_application(request.user, application)
    except ValidationError as error:
        return _render_application(request, application, submit_errors=error.messages, status=400)
    messages.success(request, _("Your ombud application has been sent to Socialstyrelsen."))
    return redirect("access:ombud_application", application.pk)


@login_required
def ombud_attachment_download(request, pk: int):
    attachment = get_object_or_404(OmbudAttachment.objects.select_related("application"), pk=pk)
    if attachment.application.applicant_id != request.user.pk and not can_staff(
        request.user, StaffAction.HANDLE_OMBUD_APPLICATIONS
    ):
        raise PermissionDenied
    return file_download(attachment.file, attachment.original_name)


# --------------------------------------------------- handläggare's queue


@login_required
def application_queue(request):
    require_staff(request.user, StaffAction.HANDLE_OMBUD_APPLICATIONS)
    waiting = (
        OmbudApplication.objects.filter(status__in=WAITING_FOR_AGENCY)
        .select_related("organisation", "applicant")
        .order_by("submitted_at")
    )
    with_applicant = (
        OmbudApplication.objects.filter(status="completion_requested")
        .select_related("organisation", "applicant")
        .order_by("submitted_at")
    )
    return render(
        request,
        "access/queue.html",
        {
            "waiting": waiting,
            "with_applicant": with_applicant,
            "typical_days": services.typical_handling_days(),
        },
    )


def _case(request, pk: int) -> OmbudApplication:
    require_staff(request.user, StaffAction.HANDLE_OMBUD_APPLICATIONS)
    return get_object_or_404(
        OmbudApplication.objects.select_related("organisation", "applicant"), pk=pk
    )


def _render_case(request, application, completion_form=None, write_off_form=None, status=200):
    current_ombud = (
        Membership.objects.filter(
            organisation=application.organisation, role=OrganisationRole.OMBUD
        )
        .select_related("user")
        .first()
    )
    return render(
        request,
        "access/case.html",
        {
            "application": application,
            "attachments": application.attachments.all(),
            "missing_kinds": services.missing_attachment_kinds(application),
            "current_ombud": current_ombud,
            "completion_form": completion_form or CompletionRequestForm(),
            "write_off_form": write_off_form or WriteOffForm(),
        },
        status=status,
    )


@login_required
def case_detail(request, pk: int):
    return _render_case(request, _case(request, pk))


@login_required
@require_POST
def case_approve(request, pk: int):
    application = _case(request, pk)
    try:
        services.approve_ombud_application(request.user, application)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("access:case", application.pk)
    messages.success(request, _("The application has been approved."))
    return redirect("access:queue")


@login_required
@require_POST
def case_request_completion(request, pk: int):
    application = _case(request, pk)
    form = CompletionRequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_completion(request.user, application, form.cleaned_data["message"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Completion has been requested."))
            return redirect("access:queue")
    return _render_case(request, application, completion_form=form, status=400)


@login_required
@require_POST
def case_write_off(request, pk: int):
    application = _case(request, pk)
    form = WriteOffForm(request.POST)
    if form.is_valid():
        try:
            services.write_off_ombud_application(
                request.user, application, form.cleaned_data["note"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The application has been written off."))
            return redirect("access:queue")
    return _render_case(request, application, write_off_form=form, status=400)
