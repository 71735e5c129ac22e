"""Authentication backends: e-identification (OIDC, ``oidc.py``) in
production and the demo's password login (Django's own ``ModelBackend``).
django-axes' backend stands before both and refuses a locked-out login."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    """Django's username and password login, the admin's included: only where
    ``FORDELA_PASSWORD_LOGIN`` is on (the demo). Elsewhere it checks no
    password, whichever form sends one."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.FORDELA_PASSWORD_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
