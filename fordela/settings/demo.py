"""Zero-setup demo: SQLite unless DATABASE_URL says otherwise, DEBUG on."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, database_from_env, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "demo-only-not-secret")
DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'var' / 'demo.sqlite3'}")}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Serve static files from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Seeded demo users log in with a password (manage.py seed_demo_users).
FORDELA_PASSWORD_LOGIN = env_bool("FORDELA_PASSWORD_LOGIN", True)
# The demo's clock stands on 15 June 2022: the 2020 and 2021 rounds are past,
# the 2022 round is open (manage.py seed_demo_rounds). FORDELA_TODAY= (empty) for real time.
FORDELA_TODAY = os.environ.get("FORDELA_TODAY", "2022-06-15")
