"""Plain SELECT, INSERT and UPDATE statements for a hot path.

They read and write the same rows as the ORM (``Model.objects.get``,
``save()``, ``bulk_create()``) and build them from the model's own field
definitions (columns, ``pre_save`` for ``auto_now``, ``get_db_prep_save`` for
the database's types), but they skip the ORM's query compiler, which costs
0.1–0.4 ms of CPU per statement. The users are the requisition submit and the
logged-in user's lookup on every request (docs/performance.md explains why):
everything else uses the ORM. No signals are sent; models written here must
not rely on them.
"""

import contextlib
from collections.abc import Iterator, Sequence
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.fields import AutoFieldMixin


@cache
def _select_sql(model: type[models.Model], using: str) -> tuple[str, list[str]]:
    meta = model._meta
    quote = connections[using].ops.quote_name
    fields = meta.concrete_fields
    sql = (
        f"SELECT {', '.join(quote(f.column) for f in fields)} "
        f"FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"
    )
    return sql, [f.attname for f in fields]


def get(model: type[models.Model], pk, using: str = DEFAULT_DB_ALIAS) -> models.Model | None:
    """The row with primary key ``pk`` as an instance of ``model`` (every
    field loaded), or ``None``: ``model.objects.filter(pk=pk).first()``."""
    sql, attnames = _select_sql(model, using)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.to_python(pk)])
        row = cursor.fetchone()
    return None if row is None else model.from_db(using, attnames, row)


@cache
def _insert_sql(
    model: type[models.Model], using: str, rows: int, keys_given: bool, read_pks: bool
) -> tuple[str, tuple, bool]:
    meta = model._meta
    # A primary key the database numbers is left out and, if asked for, read
    # back, unless the caller drew it in advance (next_pk_sql); one with a
    # Python default (a UUID) is written like any other field.
    numbered = isinstance(meta.pk, AutoFieldMixin) and not keys_given
    fields = tuple(f for f in meta.concrete_fields if not (f.primary_key and numbered))
    quote = connections[using].ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * rows)}"
    )
    returning = numbered and read_pks
    if returning:
        sql += f" RETURNING {quote(meta.pk.column)}"
    return sql, fields, returning


def insert(
    objs: Sequence[models.Model], using: str = DEFAULT_DB_ALIAS, *, read_pks: bool = True
) -> None:
    """INSERT ``objs`` (all of one model) in one statement and set their
    primary keys, in order. Objects that all have their key already (drawn
    with ``next_pk_sql``) are written with it.

    With ``read_pks=False`` primary keys the database numbers are not read
    back (they stay ``None``): the statement then waits for nothing, and in a
    pipeline it travels with the next statement or the end of the pipeline
    instead of taking a round trip of its own. For rows nobody refers to
    afterwards. Inside ``together()``, where nothing is read back, keys must
    be given or not read."""
    connection = connections[using]
    keys_given = all(obj.pk is not None for obj in objs)
    sql, fields, returning = _insert_sql(type(objs[0]), using, len(objs), keys_given, read_pks)
    params = [
        field.get_db_prep_save(field.pre_save(obj, True), connection)
        for obj in objs
        for field in fields
    ]
    if returning:
        if _collected(connection) is not None:
            raise TypeError("Inside rows.together() give the keys (next_pk_sql) or read_pks=False.")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk
    else:
        _write(connection, sql, params)
    for obj in objs:
        if obj.pk is not None:
            obj._state.adding = False
            obj._state.db = using


def next_pk_sql(model: type[models.Model], using: str = DEFAULT_DB_ALIAS) -> str:
    """An SQL expression that draws ``model``'s next primary key from its
    sequence (PostgreSQL), for a query the hot path sends anyway: a row given
    that key is then written without reading anything back. ``NULL``
    elsewhere, where ``insert`` reads the key back as usual. A key drawn for a
    row that is never written leaves a gap, as a rolled-back INSERT does."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return "NULL"
    meta = model._meta
    return f"nextval(pg_get_serial_sequence('{meta.db_table}', '{meta.pk.column}'))"


@cache
def _update_sql(model: type[models.Model], using: str, names: tuple[str, ...]) -> tuple[str, tuple]:
    meta = model._meta
    fields = tuple(meta.get_field(name) for name in names)
    quote = connections[using].ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    pk = quote(meta.pk.column)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {pk} = %s"
    return sql, fields


def update(obj: models.Model, names: Sequence[str], using: str = DEFAULT_DB_ALIAS) -> None:
    """UPDATE ``obj``'s row with the current values of the fields ``names``
    (``auto_now`` fields among them get the current time, as in ``save``).

    The caller holds the row (locked in its transaction): the count of rows
    updated is not checked, as it is not known until a pipeline's answers
    arrive."""
    connection = connections[using]
    sql, fields = _update_sql(type(obj), using, tuple(names))
    params = [field.get_db_prep_save(field.pre_save(obj, False), connection) for field in fields]
    _write(connection, sql, [*params, obj.pk])


def _collected(connection) -> list | None:
    return getattr(connection, "_rows_together", None)


def _write(connection, sql: str, params: list) -> None:
    """Run a statement that reads nothing back, or keep it for ``together``."""
    collected = _collected(connection)
    if collected is not None:
        collected.append((sql, params))
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# psycopg parses a statement's placeholders once and caches the result, but
# only for statements of at most 50 parameters
# (psycopg._queries.MAX_CACHED_STATEMENT_PARAMS): a longer one is parsed again
# on every call, which costs more than the statements saved.
_CACHED_PARAMS = 50


@contextlib.contextmanager
def together(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """The ``insert`` and ``update`` calls in the block are sent at its end,
    joined into as few statements as ``_CACHED_PARAMS`` allows: on PostgreSQL
    a ``WITH`` of data-modifying statements (``WITH w0 AS (UPDATE …), w1 AS
    (INSERT …) INSERT …``); elsewhere each runs where it is called. For a hot
    path's writes that read nothing back: each statement costs Python and the
    server the same work again (a cursor, parameters, a bind, an executor), so
    several in one cost less.

    The statements share one snapshot and none sees another's rows, so none
    may depend on another's writes (foreign keys are checked at commit, as
    Django's are deferred). Keys the database numbers cannot be read back:
    draw them first (``next_pk_sql``) or do not read them (``read_pks=False``).
    Use it inside ``transaction.atomic()``, so that all or none are written.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    if _collected(connection) is not None:
        raise RuntimeError("rows.together() does not nest.")
    statements: list[tuple[str, list]] = []
    connection._rows_together = statements
    try:
        yield
    finally:
        connection._rows_together = None
    if not statements:
        return
    # As few statements as _CACHED_PARAMS allows.
    groups: list[list[tuple[str, list]]] = [[]]
    for statement in statements:
        if groups[-1] and sum(len(p) for _, p in groups[-1]) + len(statement[1]) > _CACHED_PARAMS:
            groups.append([])
        groups[-1].append(statement)
    with connection.cursor() as cursor:
        for group in groups:
            *first, (last, _) = group
            ctes = ", ".join(f"w{n} AS ({sql})" for n, (sql, _) in enumerate(first))
            cursor.execute(
                f"WITH {ctes} {last}" if first else last,
                [param for _, params in group for param in params],
            )


@contextlib.contextmanager
def pipeline(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """PostgreSQL's pipeline mode (psycopg) for the block: statements go out
    without waiting for each answer; reading a result, or the end of the
    block, waits for all sent so far. Fewer round trips for a hot path;
    elsewhere nothing.

    Open it inside ``transaction.atomic()``, not around it: psycopg answers
    Django's switch of autocommit, at the start and end of the transaction,
    with a round trip of its own while a pipeline is open."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    # Errors of statements nobody read surface when the pipeline ends: as
    # Django's exceptions (IntegrityError …), like every other query's.
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


@contextlib.contextmanager
def atomic_pipeline(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """``transaction.atomic()`` with ``pipeline()`` inside it, and, when the
    block is the outermost transaction (a request's, not a test's), its COMMIT
    queued in the pipeline after the block's last statements: writes that
    read nothing back and the commit then share one round trip instead of two.

    Django's own commit at the end of the block then finds the transaction
    over and sends nothing. A failure at the commit (a deferred foreign key)
    surfaces as the pipeline ends, as Django's exception, and nothing is
    written; an exception in the block rolls back as ``atomic()`` does, and no
    COMMIT is sent."""
    connection = connections[using]
    with transaction.atomic(using=using), pipeline(using):
        yield
        if (
            connection.vendor == "postgresql"
            and len(connection.atomic_blocks) == 1
            and connection.commit_on_exit
            and not connection.needs_rollback
        ):
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
