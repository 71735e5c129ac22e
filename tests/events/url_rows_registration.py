"""The public registration pages' rows of the URL × role table: everyone,
with or without an account, gets the same answer (tests/events/test_registration.py
has the rules behind each page)."""

from tests.access.url_access_table import EVERYONE_200, Entry, expect


def registration(world):
    """A published event's session with a confirmed and an offered registration."""
    if "events_registration" not in world.extras:
        from fordela.events.models import RegistrationStatus
        from tests.events.factories import RegistrationFactory, SessionFactory

        session = SessionFactory()
        confirmed = RegistrationFactory(session=session)
        offered = RegistrationFactory(session=session, status=RegistrationStatus.WAITING)
        world.extras["events_registration"] = {
            "session": session,
            "confirmed": confirmed,
            "offered": offered,
        }
    return world.extras["events_registration"]


def token(world, purpose: str, which: str) -> dict:
    from fordela.events.services.registration import link_token

    return {"token": link_token(registration(world)[which], purpose)}


ROWS = {
    "events:event": Entry(
        EVERYONE_200, kwargs=lambda w: {"pk": registration(w)["session"].event_id}
    ),
    "events:register": Entry(EVERYONE_200, kwargs=lambda w: {"pk": registration(w)["session"].pk}),
    # The receipt is only for the browser that registered (the session says so).
    "events:receipt": Entry(expect(404), kwargs=lambda w: {"pk": registration(w)["confirmed"].pk}),
    "events:cancel": Entry(EVERYONE_200, kwargs=lambda w: token(w, "cancel", "confirmed")),
    "events:accept": Entry(EVERYONE_200, kwargs=lambda w: token(w, "offer", "offered")),
    "events:decline": Entry(EVERYONE_200, kwargs=lambda w: token(w, "offer", "offered")),
    "events:privacy": Entry(EVERYONE_200),
}
