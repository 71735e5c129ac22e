"""fordela.core.rows: the plain INSERT and UPDATE of the requisition submit
write what the ORM would."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fordela.audit.models import AuditEvent
from fordela.core import rows
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_insert_writes_several_rows_in_one_statement_and_sets_their_keys():
    events = [
        AuditEvent(actor_label="a", action="one", object_type="x.y", object_id="1", after={"n": 1}),
        AuditEvent(actor_label="b", action="two", object_type="x.y", object_id="2", before=None),
    ]
    with CaptureQueriesContext(connection) as captured:
        rows.insert(events)
    assert len(captured) == 1
    assert events[0].pk < events[1].pk
    stored = {e.pk: e for e in AuditEvent.objects.filter(pk__in=[e.pk for e in events])}
    assert stored[events[0].pk].action == "one"
    assert stored[events[0].pk].after == {"n": 1}  # JSON, as the field stores it
    assert stored[events[1].pk].before is None
    assert stored[events[1].pk].created_at is not None  # auto_now_add, as save() sets it
    assert not events[0]._state.adding


def test_update_writes_the_named_fields_only():
    organisation = OrganisationFactory(name="Ale kommun", bank_giro="50501055")
    organisation.name = "Ale"
    organisation.bank_giro = "9999999"
    rows.update(organisation, ["name"])
    organisation.refresh_from_db()
    assert organisation.name == "Ale"
    assert organisation.bank_giro == "50501055"


def test_pipelined_statements_answer_in_order():
    # Two statements sent before either answer is read (PostgreSQL).
    with rows.pipeline(), connection.cursor() as first, connection.cursor() as second:
        first.execute("SELECT %s::int", [1])
        second.execute("SELECT %s::date", [datetime.date(2021, 10, 1)])
        assert second.fetchone() == (datetime.date(2021, 10, 1),)
        assert first.fetchone() == (1,)


def test_insert_without_reading_keys_back_still_writes_the_rows():
    events = [
        AuditEvent(actor_label="a", action="unread.one", object_type="x.y", object_id="1"),
        AuditEvent(actor_label="b", action="unread.two", object_type="x.y", object_id="2"),
    ]
    with CaptureQueriesContext(connection) as captured:
        rows.insert(events, read_pks=False)
    assert "RETURNING" not in captured[0]["sql"]
    assert [e.pk for e in events] == [None, None]
    assert sorted(
        AuditEvent.objects.filter(action__startswith="unread.").values_list("action", flat=True)
    ) == ["unread.one", "unread.two"]


def test_a_failing_unread_insert_in_a_pipeline_fails_the_transaction():
    # Nothing waits for the INSERT's answer, so its error arrives with the
    # next round trip; it must still abort the whole block, not pass unseen.
    from django.db import IntegrityError, transaction

    before = AuditEvent.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic(), rows.pipeline():
        rows.insert(
            [AuditEvent(actor_label="a", action="rolled.back", object_type="x.y", object_id="1")]
        )
        rows.insert(
            [AuditEvent(actor_label="a", action=None, object_type="x.y", object_id="2")],
            read_pks=False,
        )
    assert AuditEvent.objects.count() == before


def test_a_key_drawn_in_advance_is_written_with_the_row():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {rows.next_pk_sql(AuditEvent)}")
        (drawn,) = cursor.fetchone()
    event = AuditEvent(pk=drawn, actor_label="a", action="drawn", object_type="x.y", object_id="1")
    with CaptureQueriesContext(connection) as captured:
        rows.insert([event])
    assert "RETURNING" not in captured[0]["sql"]
    assert AuditEvent.objects.get(pk=drawn).action == "drawn"
    # The sequence has moved past it: the next row numbered by the database
    # does not collide.
    assert AuditEvent.objects.create(actor_label="b", action="next", object_type="x.y").pk > drawn


def test_get_reads_every_field_or_none():
    organisation = OrganisationFactory(name="Ale kommun", bank_giro="50501055")
    with CaptureQueriesContext(connection) as captured:
        read = rows.get(type(organisation), str(organisation.pk))  # a session holds a string
    assert len(captured) == 1
    assert (read.pk, read.name, read.bank_giro) == (organisation.pk, "Ale kommun", "50501055")
    assert not read._state.adding
    assert rows.get(type(organisation), organisation.pk + 1000) is None


def test_together_sends_the_writes_as_one_statement():
    organisation = OrganisationFactory(name="Ale kommun")
    organisation.name = "Ale"
    events = [
        AuditEvent(actor_label="a", action="together.one", object_type="x.y", object_id="1"),
        AuditEvent(actor_label="b", action="together.two", object_type="x.y", object_id="2"),
    ]
    with CaptureQueriesContext(connection) as captured, rows.together():
        rows.update(organisation, ["name"])
        rows.insert(events, read_pks=False)
        assert len(captured) == 0  # nothing sent before the block ends
    assert len(captured) == 1
    assert captured[0]["sql"].startswith("WITH w0 AS (UPDATE")
    organisation.refresh_from_db()
    assert organisation.name == "Ale"
    assert AuditEvent.objects.filter(action__startswith="together.").count() == 2


def test_together_splits_statements_psycopg_would_parse_again_each_time():
    # More than 50 parameters in one statement: psycopg does not cache its
    # parsing, which costs more than the statements saved.
    per_event = len([f for f in AuditEvent._meta.concrete_fields if not f.primary_key])
    fit = 50 // per_event  # events whose parameters fit in one statement
    events = [
        AuditEvent(actor_label="a", action=f"many.{n}", object_type="x.y", object_id=str(n))
        for n in range(fit + 2)
    ]
    with CaptureQueriesContext(connection) as captured, rows.together():
        for event in events:
            rows.insert([event], read_pks=False)
    assert [query["sql"].count("INSERT") for query in captured] == [fit, 2]
    assert AuditEvent.objects.filter(action__startswith="many.").count() == fit + 2


def test_together_sends_nothing_when_the_block_fails():
    organisation = OrganisationFactory(name="Ale kommun")
    organisation.name = "Ale"
    with pytest.raises(ZeroDivisionError), rows.together():
        rows.update(organisation, ["name"])
        1 / 0
    organisation.refresh_from_db()
    assert organisation.name == "Ale kommun"


def test_together_refuses_a_key_it_would_have_to_read_back():
    event = AuditEvent(actor_label="a", action="numbered", object_type="x.y", object_id="1")
    with pytest.raises(TypeError), rows.together():
        rows.insert([event])
    assert not AuditEvent.objects.filter(action="numbered").exists()


# rows.atomic_pipeline: a request's transaction, its COMMIT sent with its last
# writes. Only an outermost transaction commits, so these tests run without
# the test's own transaction around them.


def _committed_events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


@pytest.mark.django_db(transaction=True)
def test_atomic_pipeline_commits_with_its_last_writes():
    with CaptureQueriesContext(connection) as captured, rows.atomic_pipeline():
        rows.insert(
            [AuditEvent(actor_label="a", action="piped", object_type="x.y", object_id="1")],
            read_pks=False,
        )
    assert [q["sql"] for q in captured][-1] == "COMMIT"
    assert connection.get_autocommit() and not connection.in_atomic_block
    assert _committed_events("piped") == 1
    # The connection goes on as usual: a later transaction commits on its own.
    with rows.atomic_pipeline():
        rows.insert([AuditEvent(actor_label="a", action="piped", object_type="x.y")])
    assert _committed_events("piped") == 2


@pytest.mark.django_db(transaction=True)
def test_atomic_pipeline_a_failing_commit_writes_nothing():
    # The actor's foreign key is checked at the commit (deferred): the error
    # arrives with the COMMIT's round trip and must abort the whole block.
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), rows.atomic_pipeline():
        rows.insert(
            [
                AuditEvent(actor_label="a", action="orphan", object_type="x.y"),
                AuditEvent(actor_id=987654, actor_label="b", action="orphan", object_type="x.y"),
            ],
            read_pks=False,
        )
    assert not connection.in_atomic_block
    assert _committed_events("orphan") == 0


@pytest.mark.django_db(transaction=True)
def test_atomic_pipeline_a_failing_write_before_the_commit_writes_nothing():
    # The NOT NULL violation arrives with the COMMIT's round trip; PostgreSQL
    # skips the COMMIT, and the transaction is rolled back.
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), rows.atomic_pipeline():
        rows.insert(
            [AuditEvent(actor_label="a", action="refused", object_type="x.y")], read_pks=False
        )
        rows.insert([AuditEvent(actor_label="b", action=None, object_type="x.y")], read_pks=False)
    assert not connection.in_atomic_block
    assert _committed_events("refused") == 0
    with rows.atomic_pipeline():  # and the connection goes on
        rows.insert([AuditEvent(actor_label="a", action="refused", object_type="x.y")])
    assert _committed_events("refused") == 1


@pytest.mark.django_db(transaction=True)
def test_atomic_pipeline_sends_no_commit_when_the_block_fails():
    with (
        CaptureQueriesContext(connection) as captured,
        pytest.raises(ZeroDivisionError),
        rows.atomic_pipeline(),
    ):
        rows.insert([AuditEvent(actor_label="a", action="failed", object_type="x.y")])
        1 / 0
    assert "COMMIT" not in [q["sql"] for q in captured]
    assert _committed_events("failed") == 0


def test_atomic_pipeline_inside_a_transaction_leaves_the_commit_to_it():
    # Here the test's transaction is the outermost one: the block is a
    # savepoint and must not commit it.
    from django.db import transaction

    with pytest.raises(ZeroDivisionError), transaction.atomic():
        with CaptureQueriesContext(connection) as captured, rows.atomic_pipeline():
            rows.insert([AuditEvent(actor_label="a", action="inner", object_type="x.y")])
        assert "COMMIT" not in [q["sql"] for q in captured]
        assert _committed_events("inner") == 1
        1 / 0
    assert _committed_events("inner") == 0
