"""Authentication backends: e-identification (OIDC, ``oidc.py``) in
production and the demo's password login, both loading the logged-in user the
same way."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import router

from fordela.core import rows, sessions


class SessionUserLookup:
    """``get_user`` runs on every logged-in request. The user has usually
    been read with the session already (``fordela.core.sessions``); if not,
    with a plain statement (``fordela.core.rows``: the ORM spent about 0.2 ms
    of CPU building its one ``SELECT``, docs/performance.md). A deactivated
    account is logged out by both backends."""

    def get_user(self, user_id):
        model = get_user_model()
        user = sessions.offered_user(user_id)
        if user is None:
            user = rows.get(model, user_id, using=router.db_for_read(model))
        return user if user is not None and user.is_active else None


class PasswordBackend(SessionUserLookup, ModelBackend):
    """Django's username and password login (the demo; ``FORDELA_PASSWORD_LOGIN``)."""
