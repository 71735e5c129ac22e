"""Authentication backends: e-identification (OIDC, ``oidc.py``) in
production and the demo's password login (Django's own ``ModelBackend``)."""

from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    """Django's username and password login (the demo; ``FORDELA_PASSWORD_LOGIN``)."""
