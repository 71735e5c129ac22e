"""The region staff's round pages in the URL × role table
(tests/access/url_access_table.py): their rounds, one round, setting it up,
its questions, its actions, and the assessment and decision of an
application with its letter.

The world's region (``world.region``) runs two rounds of the world's year:
a draft and an open one. The open round has three applications of the
world's organisation (Ale kommun, an external local actor): one sent in, one
proposed and one decided. Reading is for the region's staff (READ_ROUNDS:
administrator and decision maker) and, read-only, the agency's readers
(handläggare, beslutsfattare, ekonomi); setting up, changing and proposing
for its administrator (MANAGE_ROUNDS, ASSESS); deciding and sending back
for its decision maker (DECIDE). Another region's administrator gets 403
from this region's rounds but has a list and a new-round page of its own.
The decision letter is also the applicant's: every member of the
organisation that applied."""

import datetime

from tests.access.url_access_table import Entry, expect, key

READERS_200 = expect(
    403,
    anonymous=302,
    regional_admin=200,
    regional_decider=200,
    handlaggare=200,
    beslutsfattare=200,
    ekonomi=200,
)
ADMIN = expect(403, anonymous=302)


def admin(status: int) -> dict[str, int]:
    return {**ADMIN, "regional_admin": status}


def decider(status: int) -> dict[str, int]:
    return {**ADMIN, "regional_decider": status}


def _objects(world) -> dict:
    if "regional_rounds" not in world.extras:
        from fordela.core import clock
        from fordela.programmes.models import ProgrammeYear
        from fordela.regional.models import RoundQuestionSet, RoundStatus, SubGrantRound
        from tests.regional.after_fixtures import decided_grant, submitted_application
        from tests.regional.conftest import QUESTIONS

        year = ProgrammeYear.objects.get(
            programme__slug=key(world)["programme"], year=key(world)["year"]
        )
        rounds = {}
        for name, status in (("draft", RoundStatus.DRAFT), ("open", RoundStatus.OPEN)):
            round_ = SubGrantRound.objects.create(
                region=world.region,
                programme_year=year,
                title=f"Statliga medel ({name})",
                apply_by=datetime.date(year.year, 5, 15),
                decide_by=datetime.date(year.year, 6, 30),
                use_from=datetime.date(year.year, 1, 1),
                use_to=datetime.date(year.year, 12, 31),
                report_by=datetime.date(year.year + 1, 1, 15),
                state_funding_sek=1_000_000,
                status=status,
            )
            round_.question_set = RoundQuestionSet.objects.create(
                round=round_,
                version=1,
                questions=QUESTIONS,
                status="published",
                published_at=clock.now(),
            )
            round_.save(update_fields=["question_set"])
            rounds[name] = round_
        staff = {"proposer": world.users["regional_admin"]}
        staff["decider"] = world.users["regional_decider"]
        open_round = rounds["open"]
        sent_in = submitted_application(open_round, world.organisation, world.users["ombud"])
        proposed = decided_grant(open_round, world.organisation, decided=False, **staff)
        decided = decided_grant(open_round, world.organisation, **staff)
        world.extras["regional_rounds"] = {
            "draft": rounds["draft"].pk,
            "open": open_round.pk,
            "submitted": sent_in.pk,
            "proposed": proposed.application_id,
            "decision": decided.pk,
        }
    return world.extras["regional_rounds"]


def _pk(name: str):
    return lambda world: {"pk": _objects(world)[name]}


def _proposal(world) -> dict:
    return {
        "proposal-outcome": "granted",
        "proposal-motivation": "Insatsen svarar mot utlysningens syfte.",
        "proposal-amount_sek": "100 000",
    }


ROWS = {
    "regional:rounds": Entry({**READERS_200, "other_regional_admin": 200}),
    "regional:round_create": Entry({**admin(200), "other_regional_admin": 200}),
    "regional:round": Entry(READERS_200, kwargs=_pk("open")),
    "regional:round_edit": Entry(admin(200), kwargs=_pk("draft")),
    "regional:round_questions": Entry(READERS_200, kwargs=_pk("open")),
    "regional:round_questions_new": Entry(
        admin(302), kwargs=_pk("open"), method="post", note="a new draft: to the questions"
    ),
    "regional:round_questions_publish": Entry(
        admin(200), kwargs=_pk("draft"), method="post", note="asks for a confirmation first"
    ),
    "regional:round_refresh_funding": Entry(
        admin(302), kwargs=_pk("draft"), method="post", note="to the round's budget"
    ),
    "regional:round_open": Entry(
        admin(200), kwargs=_pk("draft"), method="post", note="asks for a confirmation first"
    ),
    "regional:round_close": Entry(
        admin(200), kwargs=_pk("open"), method="post", note="asks for a confirmation first"
    ),
    "regional:round_finish": Entry(
        admin(200), kwargs=_pk("open"), method="post", note="asks for a confirmation first"
    ),
    "regional:assessment": Entry(READERS_200, kwargs=_pk("submitted")),
    "regional:propose": Entry(
        admin(302), kwargs=_pk("submitted"), method="post", data=_proposal, note="to the decision"
    ),
    "regional:decide": Entry(
        decider(200), kwargs=_pk("proposed"), method="post", note="asks for a confirmation first"
    ),
    "regional:return_proposal": Entry(
        decider(302),
        kwargs=_pk("proposed"),
        method="post",
        data=lambda world: {"return-reason": "Motivera beloppet."},
        note="back to the assessment",
    ),
    "regional:decision_letter": Entry(
        {**READERS_200, "uppgiftssamordnare": 200, "representant": 200, "ombud": 200},
        kwargs=_pk("decision"),
    ),
}
