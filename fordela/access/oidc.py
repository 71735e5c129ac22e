"""OpenID Connect login (production: an e-identification broker).

The user is found by the ``sub`` claim (never by e-mail, which the person can
change). A personal identity number claim, if the broker sends one, is kept
only as a keyed hash."""

import hashlib

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from .lockout import record_failed_login
from .models import UserProfile
from .services import hash_personal_number


def username_for_subject(subject: str) -> str:
    return "oidc-" + hashlib.sha256(subject.encode()).hexdigest()[:40]


def _names(claims: dict) -> tuple[str, str]:
    first = claims.get("given_name") or ""
    last = claims.get("family_name") or ""
    if not (first or last) and claims.get("name"):
        first, _, last = claims["name"].partition(" ")
    return first[:150], last[:150]


class FordelaOIDCBackend(OIDCAuthenticationBackend):
    def get_user(self, user_id):
        # As Django's ModelBackend: a deactivated account is logged out.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        subject = claims.get("sub")
        if not subject:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username=username_for_subject(subject))

    def create_user(self, claims):
        first, last = _names(claims)
        user = self.UserModel.objects.create_user(
            username=username_for_subject(claims["sub"]),
            email=claims.get("email", ""),
            first_name=first,
            last_name=last,
        )
        self._store_personal_number(user, claims)
        return user

    def update_user(self, user, claims):
        first, last = _names(claims)
        changed = False
        for field, value in (("first_name", first), ("last_name", last)):
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed = True
        # The e-mail from the broker only fills a blank: the user may have
        # set their own under "Mina kontaktuppgifter".
        if claims.get("email") and not user.email:
            user.email = claims["email"]
            changed = True
        if changed:
            user.save(update_fields=["first_name", "last_name", "email"])
        self._store_personal_number(user, claims)
        return user

    def _store_personal_number(self, user, claims) -> None:
        number = claims.get(settings.OIDC_PERSONAL_NUMBER_CLAIM)
        profile, _created = UserProfile.objects.get_or_create(user=user)
        if number:
            digest = hash_personal_number(str(number))
            if profile.personal_id_hash != digest:
                profile.personal_id_hash = digest
                profile.save(update_fields=["personal_id_hash"])


class FordelaOIDCCallbackView(OIDCAuthenticationCallbackView):
    """Audits failed OIDC logins, then behaves as mozilla-django-oidc does."""

    def login_failure(self):
        reason = self.request.GET.get("error", "") or "callback_failed"
        record_failed_login(self.request, "oidc", reason=f"oidc:{reason}"[:100])
        return super().login_failure()
