"""The demo's training events: created once, full sessions with a waiting
list, a past session with attendance, organisers' logins."""

import pytest
from django.core.management import call_command

from fordela.events.models import Event, Registration, RegistrationStatus, SessionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(db):
    call_command("load_reference_data", verbosity=0)


def test_seed_demo_events_is_idempotent(reference, clock_at):
    clock_at("2022-06-15")
    call_command("seed_demo_events", verbosity=0)
    counts = (Event.objects.count(), Registration.objects.count())
    call_command("seed_demo_events", verbosity=0)
    assert (Event.objects.count(), Registration.objects.count()) == counts
    assert counts[0] == 5
    organisers = set(Event.objects.values_list("organiser__reference_key", flat=True))
    assert {"uu-nck", "liu-barnafrid", "lansstyrelse-05", "lansstyrelse-14"} <= organisers
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).exists()
    assert Registration.objects.filter(attended=True).exists()
    assert Event.objects.filter(sessions__status=SessionStatus.CANCELLED).exists()
    for event in Event.objects.all():
        for session in event.sessions.all():
            assert session.starts_at.year == 2022
            assert session.seats_taken <= session.capacity
