"""Who gets what from every URL in the project: one entry per URL name.

``test_url_access.py`` walks every URL pattern and fails for a pattern with
no entry here. When you add a URL, add its row: how to build its arguments
from the test ``world`` (see ``conftest.World``), the method, and the expected
status for each role. Roles: anonymous, uppgiftssamordnare, representant and
ombud of the world's organisation, ombud of another organisation,
handläggare, consultee (Jämställdhetsmyndigheten).
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
    "consultee",
)


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

STAFF_READERS_200 = expect(403, anonymous=302, handlaggare=200)
EKONOMI_ONLY = expect(403, anonymous=302)  # the table has no ekonomi role: all 403
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
            EKONOMI_ONLY, method="post", data=lambda w: {"payment_date": "2030-01-01"}
        ),
        "payments:batch": Entry(STAFF_READERS_200, kwargs=rq.batch_kwargs),
        "payments:approve": Entry(EKONOMI_ONLY, kwargs=rq.batch_kwargs, method="post"),
        "payments:confirm": Entry(EKONOMI_ONLY, kwargs=rq.batch_kwargs, method="post"),
        "payments:cancel": Entry(EKONOMI_ONLY, kwargs=rq.batch_kwargs, method="post"),
        "payments:pain001": Entry(EKONOMI_ONLY, kwargs=rq.batch_kwargs),
        "payments:csv": Entry(EKONOMI_ONLY, kwargs=rq.batch_kwargs),
    }
)

# Applications, assessment, consultation and decisions (fordela.applications).
from tests.applications import url_world as ap  # noqa: E402

MEMBERS_POST_302 = expect(403, anonymous=302, uppgiftssamordnare=302, representant=302, ombud=302)
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
            expect(403, anonymous=302, handlaggare=200, consultee=200, **ORGANISATION_MEMBERS),
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
            expect(403, anonymous=302, handlaggare=200, **ORGANISATION_MEMBERS),
            kwargs=ap.decided_kwargs,
        ),
        "applications:staff_calls": Entry(STAFF_READERS_200),
        "applications:queue": Entry(STAFF_READERS_200, kwargs=ap.queue_kwargs),
        "applications:case": Entry(STAFF_READERS_200, kwargs=ap.decided_kwargs),
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
        # Only a beslutsfattare decides (the table has none).
        "applications:decide": Entry(
            expect(403, anonymous=302), kwargs=ap.decided_kwargs, method="post"
        ),
        "applications:return_proposal": Entry(
            expect(403, anonymous=302), kwargs=ap.decided_kwargs, method="post"
        ),
        "applications:bulk_start": Entry(
            expect(403, anonymous=302), kwargs=ap.queue_kwargs, method="post"
        ),
        "applications:bulk": Entry(STAFF_READERS_200, kwargs=ap.run_kwargs),
        "applications:bulk_progress": Entry(STAFF_READERS_200, kwargs=ap.run_kwargs),
        "applications:consultations": Entry(expect(403, anonymous=302, consultee=200)),
        "applications:consultation": Entry(
            expect(403, anonymous=302, consultee=200), kwargs=ap.request_kwargs
        ),
    }
)

# Follow-up reports (fordela.reports).
from tests.reports import url_world as rp  # noqa: E402

REPORT_READERS_200 = expect(403, anonymous=302, handlaggare=200)
TABLE.update(
    {
        "reports:organisation": Entry(
            expect(403, anonymous=302, handlaggare=200, **ORGANISATION_MEMBERS), kwargs=org
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
