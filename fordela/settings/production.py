"""Production profile: every secret from the environment, HTTPS only."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters."
    )

# Payment files name the agency as debtor: never let production fall back to
# the demo's example values (base.py).
for name in ("FORDELA_AGENCY_ORGNR", "FORDELA_AGENCY_BANKGIRO", "FORDELA_AGENCY_BIC"):
    if not os.environ.get(name):
        raise ImproperlyConfigured(f"{name} must be set in production (used in payment files).")

# The clock is real in production: a moved "today" would let deadlines,
# payment dates and case numbers follow a date that is not today.
if os.environ.get("FORDELA_TODAY"):
    raise ImproperlyConfigured(
        "FORDELA_TODAY must not be set in production (it moves the clock for the demo "
        "and tests). Unset it to start with the real date."
    )

# Production logs in by e-identification only (the admin too): the password
# login is the demo's.
if env_bool("FORDELA_PASSWORD_LOGIN", False):
    raise ImproperlyConfigured(
        "FORDELA_PASSWORD_LOGIN must not be on in production: people log in with "
        "e-identification (OpenID Connect). Unset it."
    )

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
