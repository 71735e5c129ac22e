"""The organiser's and the public competence-support pages in the URL × role
table (tests/access/url_access_table.py). The world's organisation (Ale
kommun) holds a published event with two sessions; its members may change
its data (CHANGE_DATA: uppgiftssamordnare, representant, ombud), so they
organise it; everyone else logged in gets 403. The organiser list and the
new-event form are for anyone who may organise something: the members of an
organisation (other_ombud too, for their own) and the agency's handläggare
(MANAGE_EVENTS, for the agency's events)."""

import datetime

from tests.access.url_access_table import EVERYONE_200, Entry, expect

MEMBERS = dict(uppgiftssamordnare=200, representant=200, ombud=200)
ORGANISER_200 = expect(403, anonymous=302, **MEMBERS)
ORGANISER_302 = expect(403, anonymous=302, uppgiftssamordnare=302, representant=302, ombud=302)
ANY_ORGANISER_200 = expect(403, anonymous=302, other_ombud=200, handlaggare=200, **MEMBERS)


def _objects(world) -> dict:
    if "events_organiser" not in world.extras:
        from fordela.core import clock
        from fordela.events.models import RegistrationStatus
        from fordela.organisations.models import Organisation, OrganisationKind
        from tests.events.factories import EventFactory, RegistrationFactory, SessionFactory

        Organisation.objects.get_or_create(
            reference_key="socialstyrelsen",
            defaults={"name": "Socialstyrelsen", "kind": OrganisationKind.AGENCY},
        )
        event = EventFactory(organiser=world.organisation)
        # The first session began yesterday (attendance can be marked).
        start = clock.now() - datetime.timedelta(days=1)
        past = SessionFactory(event=event, starts_at=start, capacity=1)
        coming = SessionFactory(event=event, starts_at=start + datetime.timedelta(days=30))
        seated = RegistrationFactory(session=past, position=1)
        waiting = RegistrationFactory(session=past, status=RegistrationStatus.WAITING, position=2)
        world.extras["events_organiser"] = {
            "event": event,
            "past": past,
            "coming": coming,
            "seated": seated,
            "waiting": waiting,
        }
    return world.extras["events_organiser"]


def event_kwargs(world) -> dict:
    return {"pk": _objects(world)["event"].pk}


def session_kwargs(world) -> dict:
    return {"pk": _objects(world)["past"].pk}


def coming_kwargs(world) -> dict:
    return {"pk": _objects(world)["coming"].pk}


ROWS = {
    "events:hub": Entry(EVERYONE_200),
    "events:list": Entry(EVERYONE_200),
    "events:event_ics": Entry(EVERYONE_200, kwargs=event_kwargs),
    "events:organiser_feed": Entry(
        EVERYONE_200, kwargs=lambda w: {"organiser_id": _objects(w)["event"].organiser_id}
    ),
    # The agency's organisation exists (as the reference data has it).
    "events:organiser_events": Entry(ANY_ORGANISER_200, kwargs=lambda w: _objects(w) and {}),
    "events:event_new": Entry(ANY_ORGANISER_200, kwargs=lambda w: _objects(w) and {}),
    "events:manage_event": Entry(ORGANISER_200, kwargs=event_kwargs),
    "events:event_edit": Entry(ORGANISER_200, kwargs=event_kwargs),
    "events:event_publish": Entry(
        ORGANISER_200, kwargs=event_kwargs, method="post", note="unconfirmed: the confirmation page"
    ),
    "events:session_new": Entry(ORGANISER_200, kwargs=event_kwargs),
    "events:participants_csv": Entry(ORGANISER_200, kwargs=event_kwargs),
    "events:participants_xlsx": Entry(ORGANISER_200, kwargs=event_kwargs),
    "events:session_edit": Entry(ORGANISER_200, kwargs=coming_kwargs),
    "events:session_cancel": Entry(ORGANISER_200, kwargs=coming_kwargs),
    "events:participants": Entry(ORGANISER_200, kwargs=session_kwargs),
    "events:attendance": Entry(
        ORGANISER_302,
        kwargs=session_kwargs,
        method="post",
        data=lambda w: {"attended": [str(_objects(w)["seated"].pk)]},
        note="marked, back to the participants",
    ),
    "events:registration_confirm": Entry(
        ORGANISER_302,
        kwargs=lambda w: {"pk": _objects(w)["waiting"].pk},
        method="post",
        note="the session is full: refused with a message, back to the participants",
    ),
    "events:registration_move": Entry(
        ORGANISER_302,
        kwargs=lambda w: {"pk": _objects(w)["seated"].pk},
        method="post",
        data=lambda w: {"session": str(_objects(w)["coming"].pk)},
        note="moved to the coming session, back to the participants",
    ),
}
