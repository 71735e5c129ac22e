"""Who gets what from every URL in the project: one entry per URL name.

``test_url_access.py`` walks every URL pattern and fails for a pattern with
no entry here. When you add a URL, add its row: how to build its arguments
from the test ``world`` (see ``conftest.World``), the method, and the expected
status for each role. Roles: anonymous, uppgiftssamordnare, representant and
ombud of the world's organisation, ombud of another organisation, the
agency's handläggare, beslutsfattare and ekonomi, the consultee
(Jämställdhetsmyndigheten), and a region's own staff for its sub-grant rounds
(regional administrator and decision maker of ``world.region``, and another
region's administrator; ``REGIONAL_MATRIX``). What each agency role may do is
``fordela.access.permissions.STAFF_MATRIX``.
"""

from collections.abc import Callable
from dataclasses import dataclass

ROLES = (
    "anonymous",
    "uppgiftssamordnare",
    "representant",
    "ombud",
    "other_ombud",
    "handlaggare",
    "beslutsfattare",
    "ekonomi",
    "consultee",
    "regional_admin",
    "regional_decider",
    "other_regional_admin",
)


def users_for_every_role(ours, theirs) -> dict[str, object]:
    """One user per role of ``ROLES`` (password "pw"): the organisation roles
    in ``ours``, the other ombud in ``theirs``, the agency's roles, and a
    region's staff (two regions of their own). For the area tests that run
    their rows in a small world of their own."""
    from django.contrib.auth import get_user_model

    from fordela.access.models import (
        Membership,
        OrganisationRole,
        RegionalAssignment,
        RegionalRole,
        StaffAssignment,
        StaffRole,
    )
    from fordela.organisations.models import OrganisationKind
    from tests.factories import OrganisationFactory

    User = get_user_model()
    users: dict[str, object] = {"anonymous": None}
    for role in ("uppgiftssamordnare", "representant", "ombud"):
        users[role] = User.objects.create_user(role, password="pw")
        Membership.objects.create(user=users[role], organisation=ours, role=OrganisationRole(role))
    users["other_ombud"] = User.objects.create_user("other_ombud", password="pw")
    Membership.objects.create(
        user=users["other_ombud"], organisation=theirs, role=OrganisationRole.OMBUD
    )
    for role in ("handlaggare", "beslutsfattare", "ekonomi", "consultee"):
        users[role] = User.objects.create_user(role, password="pw")
        StaffAssignment.objects.create(user=users[role], role=StaffRole(role))
    region, other_region = (
        OrganisationFactory(kind=OrganisationKind.REGION, municipality_code=None) for _ in "ab"
    )
    for name, where, role in (
        ("regional_admin", region, RegionalRole.ADMINISTRATOR),
        ("regional_decider", region, RegionalRole.DECISION_MAKER),
        ("other_regional_admin", other_region, RegionalRole.ADMINISTRATOR),
    ):
        users[name] = User.objects.create_user(name, password="pw")
        RegionalAssignment.objects.create(user=users[name], region=where, role=role)
    assert set(users) == set(ROLES)
    return users


def expect(default: int, **per_role: int) -> dict[str, int]:
    unknown = set(per_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: per_role.get(role, default) for role in ROLES}


EVERYONE_200 = expect(200)
LOGGED_IN_200 = expect(200, anonymous=302)
ORGANISATION_MEMBERS = dict(uppgiftssamordnare=200, representant=200, ombud=200)


@dataclass(frozen=True)
class Entry:
    expected: dict[str, int]
    kwargs: Callable[[object], dict] = lambda world: {}
    method: str = "get"
    data: Callable[[object], dict] = lambda world: {}
    note: str = ""


class _Rollback(Exception):
    pass


def role_statuses(name: str, entry: Entry, world) -> dict[str, int]:
    """The status each role gets from the URL ``name`` as ``entry`` calls it;
    whatever a request changes is rolled back, so each role starts from the
    same data."""
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    url = reverse(name, kwargs=entry.kwargs(world))
    got = {}
    for role in ROLES:
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        try:
            with transaction.atomic():
                got[role] = getattr(client, entry.method)(url, entry.data(world)).status_code
                raise _Rollback
        except _Rollback:
            pass
    return got


def org(world) -> dict:
    return {"organisation_id": world.organisation.pk}


def key(world) -> dict:
    return world.extras["key_kwargs"]


# URL namespaces not in this table: Django's admin has its own is_staff check
# (test_url_access.test_the_admin_lets_none_of_the_roles_in).
SKIPPED_NAMESPACES = {"admin"}

TABLE: dict[str, Entry] = {
    # Public pages (core, programmes, allocation).
    "core:home": Entry(EVERYONE_200),
    "core:about": Entry(EVERYONE_200),
    "programmes:detail": Entry(EVERYONE_200, kwargs=lambda w: {"slug": key(w)["programme"]}),
    "allocation:key": Entry(EVERYONE_200, kwargs=key),
    "allocation:key_csv": Entry(EVERYONE_200, kwargs=key),
    "allocation:key_xlsx": Entry(EVERYONE_200, kwargs=key),
    "set_language": Entry(expect(302), method="post", data=lambda w: {"language": "en"}),
    # Login and logout.
    "access:login": Entry(EVERYONE_200),
    "access:logout": Entry(expect(302), method="post"),
    "oidc_authentication_init": Entry(expect(302), note="redirects to the OIDC provider"),
    "oidc_authentication_callback": Entry(expect(302), note="no code: login failure redirect"),
    "oidc_logout": Entry(expect(302), method="post"),
    "admin_login": Entry(
        expect(403, anonymous=302),
        note="without password login: to the product's login; logged in but not staff: refused",
    ),
    # My pages.
    "access:my_pages": Entry(LOGGED_IN_200),
    "access:my_contact_details": Entry(LOGGED_IN_200),
    "access:organisation": Entry(
        expect(403, anonymous=302, handlaggare=200, **ORGANISATION_MEMBERS), kwargs=org
    ),
    "access:organisation_contact_details": Entry(
        expect(403, anonymous=302, **ORGANISATION_MEMBERS), kwargs=org
    ),
    "access:invite": Entry(expect(403, anonymous=302, representant=200, ombud=200), kwargs=org),
    "access:remove_membership": Entry(
        # Removes the world's uppgiftssamordnare: themselves, or by ombud/representant.
        expect(403, anonymous=302, uppgiftssamordnare=302, representant=302, ombud=302),
        kwargs=lambda w: {**org(w), "membership_id": w.extras["coordinator_membership"]},
        method="post",
    ),
    "access:withdraw_invitation": Entry(
        # The world's invitation is for an uppgiftssamordnare: ombud and representant
        # may withdraw it (and are sent back to the organisation page).
        expect(403, anonymous=302, representant=302, ombud=302, uppgiftssamordnare=403),
        kwargs=lambda w: {**org(w), "invitation_id": w.extras["invitation"]},
        method="post",
    ),
    # Opened logged out, the link explains the invitation and links to the
    # login (tests/access/test_invitation_page.py); accepting needs a login.
    "access:accept_invitation": Entry(EVERYONE_200, kwargs=lambda w: {"token": w.invitation_token}),
    # Ombud application: the applicant is a user outside these roles, so every
    # role gets 404 for it (another person's application does not exist for you).
    "access:ombud_apply": Entry(LOGGED_IN_200),
    "access:ombud_application": Entry(
        expect(404, anonymous=302), kwargs=lambda w: {"pk": w.application.pk}
    ),
    "access:ombud_upload": Entry(
        expect(404, anonymous=302), kwargs=lambda w: {"pk": w.application.pk}, method="post"
    ),
    "access:ombud_submit": Entry(
        expect(404, anonymous=302), kwargs=lambda w: {"pk": w.application.pk}, method="post"
    ),
    "access:ombud_attachment": Entry(
        expect(403, anonymous=302, handlaggare=200), kwargs=lambda w: {"pk": w.attachment.pk}
    ),
    # Handläggare's queue and decisions.
    "access:queue": Entry(expect(403, anonymous=302, handlaggare=200)),
    "access:case": Entry(
        expect(403, anonymous=302, handlaggare=200), kwargs=lambda w: {"pk": w.application.pk}
    ),
    "access:case_approve": Entry(
        expect(403, anonymous=302, handlaggare=302),
        kwargs=lambda w: {"pk": w.application.pk},
        method="post",
    ),
    "access:case_request_completion": Entry(
        expect(403, anonymous=302, handlaggare=302),
        kwargs=lambda w: {"pk": w.application.pk},
        method="post",
        data=lambda w: {"message": "Komplettera intyget."},
    ),
    "access:case_write_off": Entry(
        expect(403, anonymous=302, handlaggare=302),
        kwargs=lambda w: {"pk": w.application.pk},
        method="post",
    ),
}

# Requisitions and payments (fordela.requisitions, fordela.payments).
from tests.requisitions import url_world as rq  # noqa: E402

# READ_REQUISITIONS: handläggare, beslutsfattare and ekonomi.
STAFF_READERS_200 = expect(403, anonymous=302, handlaggare=200, beslutsfattare=200, ekonomi=200)
# MANAGE_PAYMENTS: ekonomi only.
EKONOMI_POST_302 = expect(403, anonymous=302, ekonomi=302)
EKONOMI_CONFIRM_200 = expect(403, anonymous=302, ekonomi=200)  # unconfirmed: the confirmation page
TABLE.update(
    {
        "requisitions:start": Entry(
            expect(403, anonymous=302, representant=302, ombud=302),
            kwargs=rq.start_kwargs,
            method="post",
        ),
        "requisitions:edit": Entry(
            expect(403, anonymous=302, **ORGANISATION_MEMBERS), kwargs=rq.draft_kwargs
        ),
        "requisitions:autosave": Entry(
            expect(403, anonymous=302, **ORGANISATION_MEMBERS),
            kwargs=rq.draft_kwargs,
            method="post",
            data=lambda w: {"contact_name": "Anna"},
        ),
        "requisitions:receipt": Entry(
            expect(403, anonymous=302, **ORGANISATION_MEMBERS), kwargs=rq.submitted_kwargs
        ),
        "requisitions:pools": Entry(STAFF_READERS_200),
        "requisitions:pool": Entry(STAFF_READERS_200, kwargs=rq.pool_kwargs),
        "requisitions:pool_csv": Entry(STAFF_READERS_200, kwargs=rq.pool_kwargs),
        "requisitions:pool_xlsx": Entry(STAFF_READERS_200, kwargs=rq.pool_kwargs),
        "requisitions:case": Entry(STAFF_READERS_200, kwargs=rq.submitted_kwargs),
        "requisitions:case_action": Entry(
            expect(403, anonymous=302, handlaggare=302),
            kwargs=rq.submitted_kwargs,
            method="post",
            data=lambda w: {"action": "note", "message": "Vi har tagit emot intyget."},
            note="a note: the status does not change, so every role meets a submitted case",
        ),
        "requisitions:redistribution": Entry(STAFF_READERS_200, kwargs=rq.pool_kwargs),
        "requisitions:ledger": Entry(STAFF_READERS_200, kwargs=rq.pool_kwargs),
        "requisitions:redistribution_list": Entry(EVERYONE_200, kwargs=rq.public_kwargs),
        "requisitions:redistribution_list_csv": Entry(EVERYONE_200, kwargs=rq.public_kwargs),
        "payments:index": Entry(STAFF_READERS_200),
        "payments:batches": Entry(STAFF_READERS_200),
        "payments:create": Entry(
            EKONOMI_POST_302, method="post", data=lambda w: {"payment_date": "2030-01-01"}
        ),
        "payments:batch": Entry(STAFF_READERS_200, kwargs=rq.batch_kwargs),
        "payments:approve": Entry(EKONOMI_CONFIRM_200, kwargs=rq.batch_kwargs, method="post"),
        "payments:confirm": Entry(EKONOMI_CONFIRM_200, kwargs=rq.batch_kwargs, method="post"),
        "payments:cancel": Entry(EKONOMI_CONFIRM_200, kwargs=rq.batch_kwargs, method="post"),
        # The world's batch is not approved: no file yet, a message on the batch page.
        "payments:pain001": Entry(
            EKONOMI_POST_302, kwargs=rq.batch_kwargs, note="not approved: back to the batch"
        ),
        "payments:csv": Entry(
            EKONOMI_POST_302, kwargs=rq.batch_kwargs, note="not approved: back to the batch"
        ),
    }
)

# Applications, assessment, consultation and decisions (fordela.applications).
from tests.applications import url_world as ap  # noqa: E402

MEMBERS_POST_302 = expect(403, anonymous=302, uppgiftssamordnare=302, representant=302, ombud=302)
# READ_APPLICATIONS: handläggare and beslutsfattare (not ekonomi).
APPLICATION_READERS_200 = expect(403, anonymous=302, handlaggare=200, beslutsfattare=200)
# ASSESS_APPLICATIONS is the handläggare's alone: the beslutsfattare, who may
# read the case, is refused the assessment forms before they are looked at.
HANDLAGGARE_POST_302 = expect(403, anonymous=302, handlaggare=302)
# An empty case-page form: the case page again with the problems beside the fields.
HANDLAGGARE_POST_400 = expect(403, anonymous=302, handlaggare=400)
TABLE.update(
    {
        "applications:calls": Entry(EVERYONE_200),
        "applications:call": Entry(EVERYONE_200, kwargs=ap.call_kwargs),
        "applications:granted": Entry(EVERYONE_200, kwargs=ap.call_kwargs),
        "applications:granted_csv": Entry(EVERYONE_200, kwargs=ap.call_kwargs),
        "applications:mine": Entry(LOGGED_IN_200),
        "applications:start": Entry(
            expect(403, anonymous=302, representant=302, ombud=302),
            kwargs=ap.start_kwargs,
            method="post",
        ),
        "applications:edit": Entry(
            expect(403, anonymous=302, **ORGANISATION_MEMBERS), kwargs=ap.draft_kwargs
        ),
        "applications:autosave": Entry(
            expect(403, anonymous=302, **ORGANISATION_MEMBERS),
            kwargs=ap.draft_kwargs,
            method="post",
            data=lambda w: {"project_title": "Nytt namn"},
        ),
        "applications:attach": Entry(MEMBERS_POST_302, kwargs=ap.draft_kwargs, method="post"),
        "applications:attachment": Entry(
            expect(
                403,
                anonymous=302,
                handlaggare=200,
                beslutsfattare=200,
                consultee=200,
                **ORGANISATION_MEMBERS,
            ),
            kwargs=ap.attachment_kwargs,
        ),
        "applications:remove_attachment": Entry(
            MEMBERS_POST_302, kwargs=ap.draft_attachment_kwargs, method="post"
        ),
        "applications:check": Entry(
            expect(403, anonymous=302, **ORGANISATION_MEMBERS), kwargs=ap.draft_kwargs
        ),
        # Unconfirmed: the confirmation page, and the draft is still there.
        # Unconfirmed: the confirmation page, and the draft is still there.
        "applications:delete": Entry(
            expect(403, anonymous=302, representant=200, ombud=200),
            kwargs=ap.draft_kwargs,
            method="post",
        ),
        "applications:status": Entry(
            expect(403, anonymous=302, **ORGANISATION_MEMBERS), kwargs=ap.decided_kwargs
        ),
        # No completion was requested: a message and back to the status page;
        # the uppgiftssamordnare may not send a completion at all.
        "applications:complete": Entry(
            expect(403, anonymous=302, representant=302, ombud=302),
            kwargs=ap.decided_kwargs,
            method="post",
        ),
        "applications:letter": Entry(
            expect(403, anonymous=302, handlaggare=200, beslutsfattare=200, **ORGANISATION_MEMBERS),
            kwargs=ap.decided_kwargs,
        ),
        "applications:staff_calls": Entry(APPLICATION_READERS_200),
        "applications:queue": Entry(APPLICATION_READERS_200, kwargs=ap.queue_kwargs),
        "applications:case": Entry(APPLICATION_READERS_200, kwargs=ap.decided_kwargs),
        "applications:score": Entry(HANDLAGGARE_POST_302, kwargs=ap.decided_kwargs, method="post"),
        "applications:risk": Entry(HANDLAGGARE_POST_302, kwargs=ap.decided_kwargs, method="post"),
        "applications:request_completion": Entry(
            HANDLAGGARE_POST_400, kwargs=ap.decided_kwargs, method="post"
        ),
        "applications:consult": Entry(
            HANDLAGGARE_POST_400, kwargs=ap.decided_kwargs, method="post"
        ),
        "applications:propose": Entry(
            HANDLAGGARE_POST_400, kwargs=ap.decided_kwargs, method="post"
        ),
        # Only a beslutsfattare decides (DECIDE_APPLICATIONS). The world's case
        # is already decided: a message and back to the case.
        "applications:decide": Entry(
            expect(403, anonymous=302, beslutsfattare=302), kwargs=ap.decided_kwargs, method="post"
        ),
        # An empty reason: the case page with the problem beside the field.
        "applications:return_proposal": Entry(
            expect(403, anonymous=302, beslutsfattare=400), kwargs=ap.decided_kwargs, method="post"
        ),
        # Unconfirmed: the confirmation page, nothing decided.
        "applications:bulk_start": Entry(
            expect(403, anonymous=302, beslutsfattare=200), kwargs=ap.queue_kwargs, method="post"
        ),
        "applications:bulk": Entry(APPLICATION_READERS_200, kwargs=ap.run_kwargs),
        "applications:bulk_progress": Entry(APPLICATION_READERS_200, kwargs=ap.run_kwargs),
        "applications:consultations": Entry(expect(403, anonymous=302, consultee=200)),
        "applications:consultation": Entry(
            expect(403, anonymous=302, consultee=200), kwargs=ap.request_kwargs
        ),
    }
)

# Follow-up reports (fordela.reports).
from tests.reports import url_world as rp  # noqa: E402

# READ_REPORTS: handläggare, beslutsfattare and ekonomi; REVIEW_REPORTS: handläggare.
REPORT_READERS_200 = expect(403, anonymous=302, handlaggare=200, beslutsfattare=200, ekonomi=200)
TABLE.update(
    {
        "reports:organisation": Entry(
            expect(
                403,
                anonymous=302,
                handlaggare=200,
                beslutsfattare=200,
                ekonomi=200,
                **ORGANISATION_MEMBERS,
            ),
            kwargs=org,
        ),
        "reports:edit": Entry(
            expect(403, anonymous=302, **ORGANISATION_MEMBERS), kwargs=rp.open_kwargs
        ),
        "reports:autosave": Entry(
            expect(403, anonymous=302, **ORGANISATION_MEMBERS),
            kwargs=rp.open_kwargs,
            method="post",
            data=lambda w: {"results": "Fler fick stöd."},
        ),
        "reports:check": Entry(
            expect(403, anonymous=302, **ORGANISATION_MEMBERS), kwargs=rp.open_kwargs
        ),
        "reports:receipt": Entry(
            expect(403, anonymous=302, **ORGANISATION_MEMBERS), kwargs=rp.submitted_kwargs
        ),
        "reports:contact": Entry(
            expect(403, anonymous=302, **ORGANISATION_MEMBERS), kwargs=rp.open_kwargs
        ),
        # The e-mailed link, current: to the report page (which asks for the
        # login and the FILL_IN right itself); a superseded one is a 410 page
        # (tests/reports/test_contact_link.py).
        "reports:contact_link": Entry(expect(302), kwargs=rp.link_kwargs),
        "reports:staff_list": Entry(REPORT_READERS_200),
        "reports:staff_csv": Entry(REPORT_READERS_200),
        "reports:staff_xlsx": Entry(REPORT_READERS_200),
        "reports:staff_case": Entry(REPORT_READERS_200, kwargs=rp.submitted_kwargs),
        "reports:review": Entry(
            expect(403, anonymous=302, handlaggare=302),
            kwargs=rp.submitted_kwargs,
            method="post",
            data=lambda w: {
                "action": "completion",
                "reason": "Beskriv resultaten närmare.",
                "new_due_on": "2099-05-15",
            },
            note="a completion request: no confirmation page, back to the case",
        ),
    }
)


# Recovery (fordela.recovery) and reporting (fordela.reporting, fordela.api):
# each area's rows live beside its tests and are wired in here once the
# area's module exists. Only a missing module is skipped; an error inside one
# fails the import loudly.
import importlib  # noqa: E402

AREA_ROWS = [
    *(f"tests.recovery.url_rows_{area}" for area in ("decisions", "invoices", "payments")),
    *(
        f"tests.reporting.url_rows_{area}"
        for area in ("costs", "map", "opendata", "api", "national", "dashboard")
    ),
    *(f"tests.regional.url_rows_{area}" for area in ("rounds", "applying", "after")),
    "tests.reporting.url_rows_jobs",
    "tests.library.url_rows",
    "tests.events.url_rows",
]
for _module_name in AREA_ROWS:
    try:
        _module = importlib.import_module(_module_name)
    except ModuleNotFoundError as error:
        if error.name not in (_module_name, _module_name.rsplit(".", 1)[0]):
            raise
        continue
    TABLE.update(_module.ROWS)
