"""Failed logins: the lockout with django-axes (the client's address, which
logins count) and the failure log with its audit event. The settings are in
``fordela/settings/base.py`` (``AXES_*``); the lockout page is
``views.locked_out``."""

import ipaddress
from contextlib import contextmanager

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import (
    get_client_http_accept,
    get_client_path_info,
    get_client_user_agent,
    get_client_username,
)
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from fordela.audit.actions import AuditAction
from fordela.audit.services import record


def client_ip(request) -> str | None:
    """The client's address (``AXES_CLIENT_IP_CALLABLE``; also in audit events).

    ``REMOTE_ADDR``, unless ``FORDELA_TRUSTED_PROXY_COUNT`` reverse proxies
    stand in front of Django and each appends the address it was reached from
    to ``X-Forwarded-For``: then the client is the entry that many places from
    the right. Entries further left are whatever the client sent and are never
    believed."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.FORDELA_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote


def is_not_a_password_login(request, credentials) -> bool:
    """``AXES_WHITELIST_CALLABLE``: only password logins are counted and locked.
    An e-identification callback carries no password; its failures are the
    broker's to limit, and counting them would put every such failure under
    the one username ``None``."""
    return (credentials or {}).get("password") is None


@contextmanager
def one_attempt_at_a_time(username: str):
    """Around a password login: hold the account's row while axes reads the
    failure count, the password is checked and a failure is counted. Axes
    alone reads the count before the check and writes it after, so
    simultaneous guesses would all be checked; this way an account's guesses
    are checked one by one and its limit holds exactly."""
    user_model = get_user_model()
    with transaction.atomic():
        user_model.objects.select_for_update().filter(
            **{user_model.USERNAME_FIELD: username}
        ).first()
        yield


class AuditedAxesHandler(AxesDatabaseHandler):
    """Axes' database handler (``AXES_HANDLER``), plus one failure-log row and
    audit event (``access.login_failed``) per failed password login."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None or self.is_whitelisted(request, credentials):
            return super().user_login_failed(sender, credentials, request, **kwargs)
        already_locked = self.is_locked(request, credentials)
        super().user_login_failed(sender, credentials, request, **kwargs)
        record_failed_login(
            request,
            get_client_username(request, credentials),
            # Locked before this attempt: its password was never checked.
            reason="locked" if already_locked else "password",
            locked_out=request.axes_locked_out,
        )


def record_failed_login(
    request, username: str | None, *, reason: str, locked_out: bool = False
) -> AccessFailureLog:
    """Keep one failed login: a row in axes' failure log (shown in the admin)
    and its audit event. ``reason``: ``password``, ``locked`` (refused
    unchecked) or ``oidc:<error>``."""
    username = (username or "")[:255]
    ip_address = client_ip(request)
    with transaction.atomic():
        failure = AccessFailureLog.objects.create(
            username=username,
            ip_address=ip_address,
            user_agent=get_client_user_agent(request),
            http_accept=get_client_http_accept(request),
            path_info=get_client_path_info(request),
            locked_out=locked_out,
        )
        record(
            f"login:{username}" if username else None,
            AuditAction.LOGIN_FAILED,
            failure,
            after={
                "username": username,
                "ip": ip_address,
                "reason": reason,
                "locked_out": locked_out,
            },
        )
    return failure
