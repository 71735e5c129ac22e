"""Authentication backends: e-identification (OIDC, ``oidc.py``) in
production and the demo's password login, both loading the logged-in user the
same way."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router


class SessionUserLookup:
    """``get_user`` runs on every logged-in request. The ORM spent about
    0.2 ms of CPU building its one ``SELECT`` (docs/performance.md), so the
    user is read with a plain statement. A deactivated account is logged out
    by both backends."""

    def get_user(self, user_id):
        model = get_user_model()
        fields = model._meta.concrete_fields
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(quote(f.column) for f in fields)} "  # noqa: S608 - the model's own names
                f"FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} = %s",
                [model._meta.pk.to_python(user_id)],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        user = model.from_db(connection.alias, [f.attname for f in fields], row)
        return user if user.is_active else None


class PasswordBackend(SessionUserLookup, ModelBackend):
    """Django's username and password login (the demo; ``FORDELA_PASSWORD_LOGIN``)."""
