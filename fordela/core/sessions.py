"""Django's database sessions, read with their user in one plain query.

Every logged-in request reads its session and then its user. The ORM spent
about 0.3 ms of CPU building the session's ``SELECT`` (docs/performance.md),
and each query is a round trip of its own, so this store reads the session
row and its user's row together (``core.Session`` keeps the user's id beside
the session data) with a plain statement. Everything else is Django's ``db``
backend as it is: the encoding, the expiry, the writes.
Configured as ``SESSION_ENGINE = "fordela.core.sessions"``.

The user read with the session is handed to the authentication backends
only while ``AuthenticationMiddleware`` (``fordela.core.middleware``) asks
Django for the request's user (``offering_user``); Django's checks of that
user (backend, session hash, active account) are unchanged.
"""

import contextlib
import contextvars
from collections.abc import Iterator
from functools import cache

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

# The session store whose user the backends may take, while Django looks the
# request's user up; None at any other time.
_offered: contextvars.ContextVar["SessionStore | None"] = contextvars.ContextVar(
    "fordela_session_offering_user", default=None
)


@cache
def _select_sql(using: str) -> tuple[str, list[str], int]:
    """The session row joined with its user's: the SQL, the user's attnames
    (in the order of their columns) and where among them its key is."""
    from .models import Session

    quote = connections[using].ops.quote_name
    user = get_user_model()._meta
    fields = user.concrete_fields
    session = Session._meta
    # The models' own tables and columns; the values are parameters.
    sql = (
        "SELECT session.session_data, session.expire_date, "  # noqa: S608
        + ", ".join(f"member.{quote(f.column)}" for f in fields)
        + f" FROM {quote(session.db_table)} session LEFT JOIN {quote(user.db_table)} member"
        + f" ON member.{quote(user.pk.column)} = session.{quote(session.get_field('user').column)}"
        + " WHERE session.session_key = %s AND session.expire_date > %s"
    )
    attnames = [f.attname for f in fields]
    return sql, attnames, attnames.index(user.pk.attname)


class SessionStore(db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._user = None  # the user read with the session, if any

    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        session.user_id = None if user_id is None else get_user_model()._meta.pk.to_python(user_id)
        return session

    def _get_session_from_db(self):
        model = self.model
        using = router.db_for_read(model)
        sql, attnames, pk_index = _select_sql(using)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [self.session_key, timezone.now()])
            row = cursor.fetchone()
        self._user = None
        if row is None:
            # As Django's store: an unknown or expired key starts a new session.
            self._session_key = None
            return None
        data, expire_date, *user = row
        if user[pk_index] is not None:  # the session has a user (LEFT JOIN)
            self._user = get_user_model().from_db(using, attnames, user)
        return model(session_key=self.session_key, session_data=data, expire_date=expire_date)

    def user_read_with_session(self, user_id):
        """The user read with this session, if it is the one with ``user_id``."""
        user = self._user
        if user is None or user.pk != get_user_model()._meta.pk.to_python(user_id):
            return None
        return user


@contextlib.contextmanager
def offering_user(session) -> Iterator[None]:
    """While Django looks up the request's user: backends may take the user
    read with ``session`` (``offered_user``) instead of reading it again."""
    token = _offered.set(session if isinstance(session, SessionStore) else None)
    try:
        yield
    finally:
        _offered.reset(token)


def offered_user(user_id):
    """The user with ``user_id`` as read with the request's session, or None
    (not offered now, not read, or another user)."""
    session = _offered.get()
    return None if session is None else session.user_read_with_session(user_id)
