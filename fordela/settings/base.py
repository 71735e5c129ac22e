"""Settings shared by every profile. Values that differ between machines come
from environment variables; see docs/operations.md."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tasks_db",
    "fordela.core",
    "fordela.audit",
    "fordela.organisations",
    "fordela.programmes",
    "fordela.allocation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fordela.core.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits; no-store on every logged-in response.
    "fordela.core.middleware.SessionTimeoutMiddleware",
    "fordela.core.middleware.NoStoreForLoggedInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After the headers: a request declared too large gets a 413 page, its body unread.
    "fordela.core.uploads.RequestSizeLimitMiddleware",
    # After the CSRF check and the headers: a NUL in a parameter is a 400 page.
    "fordela.core.middleware.RefuseNullCharactersMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fordela.urls"
WSGI_APPLICATION = "fordela.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Every form renders as the design system's markup (fordela/core/forms.py).
FORM_RENDERER = "fordela.core.forms.DesignSystemRenderer"

# DATABASE_URL wins; each profile sets its own default.
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/fordela"


def database_from_env(default_url: str) -> dict:
    config = dj_database_url.parse(
        os.environ.get("DATABASE_URL", default_url),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    return config


DATABASES = {"default": database_from_env(DEFAULT_DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Swedish first, English second. Dates and money are shown the Swedish way in both.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files live outside the web root and are only served through views
# that check permissions.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Background work (e-mail, reminders, bulk PDFs) runs on the same database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task worker (manage.py task_worker) beats every quarter of this; one that
# has not beaten for this long is dead, and its running tasks run again on
# another worker (fordela.core.tasks).
FORDELA_TASK_STALE_SECONDS = float(os.environ.get("FORDELA_TASK_STALE_SECONDS", "60"))
# Each process's own memory: only published allocation keys (which never
# change) are cached, for a minute (fordela.allocation.views).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fordela",
    }
}

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("SMTP_HOST", "127.0.0.1"),
            "port": int(os.environ.get("SMTP_PORT", "8025")),
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Fördela <noreply@fordela.example>")

# Security headers on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions: a logout ends the session in every web process.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A login ends after FORDELA_SESSION_IDLE_MINUTES without a request, and at
# the latest SESSION_COOKIE_AGE after it began, however active
# (fordela.core.middleware.SessionTimeoutMiddleware); the cookie itself is a
# browser-session cookie, gone when the browser is closed.
FORDELA_SESSION_IDLE_MINUTES = int(os.environ.get("FORDELA_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = int(os.environ.get("FORDELA_SESSION_MAX_HOURS", "12")) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
# An expired or missing CSRF token: a page in the layout that says what to do.
CSRF_FAILURE_VIEW = "fordela.core.views.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- E-service access (fordela.access): login, roles, ombud applications ---
INSTALLED_APPS += ["mozilla_django_oidc", "axes", "fordela.access"]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "fordela.access.oidc.FordelaOIDCBackend",
    "fordela.access.backends.PasswordBackend",
]
LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "access:my_pages"
LOGIN_REDIRECT_URL_FAILURE = "/logga-in/"  # mozilla-django-oidc does not resolve names
LOGOUT_REDIRECT_URL = "core:home"
# OpenID Connect against the e-identification broker; see docs/operations.md.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")
OIDC_CALLBACK_CLASS = "fordela.access.oidc.FordelaOIDCCallbackView"
# Claim carrying the Swedish personal identity number, if the broker sends one.
# It is stored only as a keyed hash (FORDELA_PERSONAL_ID_PEPPER, else SECRET_KEY).
OIDC_PERSONAL_NUMBER_CLAIM = os.environ.get(
    "OIDC_PERSONAL_NUMBER_CLAIM", "https://id.oidc.se/claim/personalIdentityNumber"
)
FORDELA_PERSONAL_ID_PEPPER = os.environ.get("FORDELA_PERSONAL_ID_PEPPER", "")
# Username + password login: only for the demo (and tests that enable it).
# Off, the password backend refuses every password and the admin's login page
# sends to the product's login (e-identification).
FORDELA_PASSWORD_LOGIN = env_bool("FORDELA_PASSWORD_LOGIN", False)
# Behind reverse proxies, how many of them append the client's address to
# X-Forwarded-For (fordela.access.lockout.client_ip). 0: the header is ignored
# and the address is REMOTE_ADDR (a client can write any X-Forwarded-For).
FORDELA_TRUSTED_PROXY_COUNT = int(os.environ.get("FORDELA_TRUSTED_PROXY_COUNT", "0"))
# Login lockout (django-axes) for every password login, the admin's included:
# after AXES_FAILURE_LIMIT failures for one username, or from one address,
# within AXES_COOLOFF_TIME, that username or address is refused until the
# cool-off has passed since its last attempt. E-identification logins are not
# password guesses and are not counted (lockout.is_not_a_password_login).
AXES_FAILURE_LIMIT = int(os.environ.get("FORDELA_LOGIN_MAX_FAILURES", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("FORDELA_LOGIN_LOCKOUT_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "fordela.access.lockout.client_ip"
AXES_WHITELIST_CALLABLE = "fordela.access.lockout.is_not_a_password_login"
AXES_LOCKOUT_CALLABLE = "fordela.access.views.locked_out"
# Axes' database handler, plus the failure log and the audit event
# (access.login_failed) for each failed password login; so not axes' own
# failure log as well.
AXES_HANDLER = "fordela.access.lockout.AuditedAxesHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# A successful login does not wipe the failures: axes would wipe those of the
# whole address too, so one own account would reset the count for any other.
AXES_RESET_ON_SUCCESS = False
FORDELA_INVITATION_DAYS = int(os.environ.get("FORDELA_INVITATION_DAYS", "14"))
FORDELA_MAX_ATTACHMENT_BYTES = int(os.environ.get("FORDELA_MAX_ATTACHMENT_BYTES", str(10 * 2**20)))
# Uploads (fordela.core.uploads; docs/operations.md, "Request size"): a request
# declared larger than FORDELA_MAX_REQUEST_BYTES is refused before its body is
# read; of each file at most FORDELA_MAX_ATTACHMENT_BYTES + 1 bytes are kept,
# in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE and in a temporary file beyond;
# the other form fields together may hold DATA_UPLOAD_MAX_MEMORY_SIZE.
FORDELA_MAX_REQUEST_BYTES = FORDELA_MAX_ATTACHMENT_BYTES + 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MiB
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "fordela.core.uploads.AttachmentSizeUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Requisitions and payments (fordela.requisitions, fordela.payments) ---
INSTALLED_APPS += ["fordela.requisitions", "fordela.payments"]
# Move the clock (fordela.core.clock): "2022-06-15" or "2022-06-15T10:00". Empty = real time.
FORDELA_TODAY = os.environ.get("FORDELA_TODAY", "")
# The agency as debtor in payment files (ISO 20022 pain.001). The defaults are
# examples for the demo and tests; production requires the organisation
# number, bank giro and BIC to be set. The example bank giro is none that the
# demo or the tests give an organisation (an organisation may not enter it).
FORDELA_AGENCY_NAME = os.environ.get("FORDELA_AGENCY_NAME", "Socialstyrelsen")
FORDELA_AGENCY_ORGNR = os.environ.get("FORDELA_AGENCY_ORGNR", "2021000555")
FORDELA_AGENCY_BANKGIRO = os.environ.get("FORDELA_AGENCY_BANKGIRO", "55555551")
# The BIC of the agency's bank (the debtor agent).
FORDELA_AGENCY_BIC = os.environ.get("FORDELA_AGENCY_BIC", "NDEASESS")
# The agency as the sender of letters (fordela.core.agency, the one place
# that reads them): the address block and contact on every decision letter,
# with FORDELA_AGENCY_NAME and FORDELA_AGENCY_ORGNR above. Socialstyrelsen's.
FORDELA_AGENCY_POSTAL_ADDRESS = os.environ.get("FORDELA_AGENCY_POSTAL_ADDRESS", "106 30 Stockholm")
FORDELA_AGENCY_VISITING_ADDRESS = os.environ.get(
    "FORDELA_AGENCY_VISITING_ADDRESS", "Rålambsvägen 3"
)
FORDELA_AGENCY_PHONE = os.environ.get("FORDELA_AGENCY_PHONE", "075-247 30 00")
FORDELA_AGENCY_EMAIL = os.environ.get("FORDELA_AGENCY_EMAIL", "socialstyrelsen@socialstyrelsen.se")
FORDELA_AGENCY_WEBSITE = os.environ.get("FORDELA_AGENCY_WEBSITE", "www.socialstyrelsen.se")

# --- Applications, assessment, consultation and decisions (fordela.applications) ---
INSTALLED_APPS += ["fordela.applications"]

# --- Follow-up reports (fordela.reports) ---
INSTALLED_APPS += ["fordela.reports"]
# The service's address, for links in e-mail sent without a request (the
# report form's link when the report period opens).
FORDELA_SITE_URL = os.environ.get("FORDELA_SITE_URL", "http://127.0.0.1:8000")
# Working days after a follow-up report's deadline before it counts as overdue
# (fordela.reports.overdue; Swedish working days as for payments).
FORDELA_REPORT_GRACE_WORKING_DAYS = int(os.environ.get("FORDELA_REPORT_GRACE_WORKING_DAYS", "0"))
# Reminders about follow-up reports still to be submitted: Swedish working
# days before the deadline, and after it (fordela.reports.reminders).
FORDELA_REPORT_REMINDER_DAYS_BEFORE = [
    int(n) for n in os.environ.get("FORDELA_REPORT_REMINDER_DAYS_BEFORE", "30,7").split(",") if n
]
FORDELA_REPORT_REMINDER_DAYS_AFTER = int(os.environ.get("FORDELA_REPORT_REMINDER_DAYS_AFTER", "1"))
# How long the report link e-mailed to the contact person works, in days
# (fordela.reports.services; from the period's opening past the deadline and
# a completion round).
FORDELA_REPORT_LINK_MAX_AGE_DAYS = int(os.environ.get("FORDELA_REPORT_LINK_MAX_AGE_DAYS", "183"))

# --- Recovery: decisions, invoices, incoming payments (fordela.recovery) ---
# Payment terms, reminders and interest are per programme (RecoverySettings).
INSTALLED_APPS += ["fordela.recovery"]

# --- National reporting, the uptake map, open data (fordela.reporting) ---
INSTALLED_APPS += ["fordela.reporting"]
# Open data: the 360Giving grant-id prefix; a placeholder until the agency has
# registered its own with 360Giving (docs/reporting.md, "Open data").
FORDELA_360G_PREFIX = os.environ.get("FORDELA_360G_PREFIX", "360G-fordela")
INSTALLED_APPS += ["fordela.api"]  # the public JSON API (docs/api.md)

# --- Regional sub-grants: a region's own round (fordela.regional, docs/regional.md) ---
INSTALLED_APPS += ["fordela.regional"]

# --- Competence support: the material library and training events (docs/competence.md) ---
INSTALLED_APPS += ["fordela.library", "fordela.events"]
