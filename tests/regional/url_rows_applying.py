"""The applying pages' rows of the URL × role table
(tests/access/url_access_table.py): a region's own round (issue 20 §3).

The round list and a round's page are public. Starting an application is
for anyone logged in (the page says who may apply and why not). The
application's own pages are for the members of the applying organisation
(the world's organisation, an external local actor) and no one else: not
another organisation's ombud, not the agency, not the region's own staff
(they read applications on their own pages). Withdrawing asks first; the
data coordinator may not withdraw (START_CASE). The world gets, lazily, an
open round of ``world.region`` with a question set, one submitted
application of the world's organisation (for the receipt) and one draft."""

import datetime

from tests.access.url_access_table import (
    EVERYONE_200,
    LOGGED_IN_200,
    ORGANISATION_MEMBERS,
    Entry,
    expect,
    key,
)

MEMBERS_200 = expect(403, anonymous=302, **ORGANISATION_MEMBERS)
QUESTIONS = [
    {"key": "purpose", "text": "Vad ska pengarna användas till?", "max_length": 2000},
]


def _applying(world) -> dict:
    if "applying" not in world.extras:
        from fordela.core import clock
        from fordela.programmes.models import ProgrammeYear
        from fordela.regional.models import RoundQuestionSet, RoundStatus, SubGrantRound
        from fordela.regional.services import applying

        today = clock.today()
        year = ProgrammeYear.objects.get(
            programme__slug=key(world)["programme"], year=key(world)["year"]
        )
        round_ = SubGrantRound.objects.create(
            region=world.region,
            programme_year=year,
            title="Utvecklingsmedel (URL-tabellen)",
            apply_by=today + datetime.timedelta(days=30),
            decide_by=today + datetime.timedelta(days=60),
            use_from=today,
            use_to=today + datetime.timedelta(days=200),
            report_by=today + datetime.timedelta(days=230),
            state_funding_sek=500_000,
            status=RoundStatus.OPEN,
        )
        round_.question_set = RoundQuestionSet.objects.create(
            round=round_,
            version=1,
            questions=QUESTIONS,
            status="published",
            published_at=clock.now(),
        )
        round_.save(update_fields=["question_set"])
        ombud = world.users["ombud"]
        submitted = applying.start_application(ombud, round_, world.organisation)
        problems = applying.save_draft(
            ombud,
            submitted,
            {
                "project_title": "Stöd i tandvården",
                "requested_sek": "100000",
                "q_purpose": "Utbildning.",
                "contact_name": "Karin Berg",
                "contact_email": "karin.berg@example.se",
                "contact_phone": "0303-33 00 00",
            },
        )
        assert problems == {}, problems
        applying.submit_application(ombud, submitted)
        draft = applying.start_application(ombud, round_, world.organisation)
        world.extras["applying"] = {
            "round": round_.pk,
            "draft": draft.pk,
            "submitted": submitted.pk,
        }
    return world.extras["applying"]


def round_kwargs(world) -> dict:
    return {"round_pk": _applying(world)["round"]}


def draft_kwargs(world) -> dict:
    return {"pk": _applying(world)["draft"]}


def submitted_kwargs(world) -> dict:
    return {"pk": _applying(world)["submitted"]}


ROWS = {
    "regional:apply_rounds": Entry(EVERYONE_200),
    "regional:apply_round": Entry(EVERYONE_200, kwargs=round_kwargs),
    "regional:apply_start": Entry(
        LOGGED_IN_200, kwargs=round_kwargs, note="says who of the user's organisations may apply"
    ),
    "regional:apply_edit": Entry(MEMBERS_200, kwargs=draft_kwargs),
    "regional:apply_autosave": Entry(
        MEMBERS_200,
        kwargs=draft_kwargs,
        method="post",
        data=lambda w: {"project_title": "Nytt namn"},
    ),
    "regional:apply_check": Entry(MEMBERS_200, kwargs=draft_kwargs),
    "regional:apply_receipt": Entry(MEMBERS_200, kwargs=submitted_kwargs),
    "regional:apply_withdraw": Entry(
        expect(403, anonymous=302, representant=200, ombud=200),
        kwargs=draft_kwargs,
        method="post",
        note="unconfirmed: the confirmation page",
    ),
}
