"""Django's database sessions, read with one plain query.

Every logged-in request reads its session. The ORM spent about 0.3 ms of CPU
building that one ``SELECT`` (docs/performance.md), so this store reads the row
with a plain statement. Everything else is Django's ``db`` backend as it is:
the same table, the same encoding and expiry, and the same writes.
Configured as ``SESSION_ENGINE = "fordela.core.sessions"``.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date FROM {table} "  # noqa: S608 - the model's table
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            # As Django's store: an unknown or expired key starts a new session.
            self._session_key = None
            return None
        data, expire_date = row
        return model(session_key=self.session_key, session_data=data, expire_date=expire_date)
