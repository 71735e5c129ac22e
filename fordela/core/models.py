from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class BenchmarkHit(models.Model):
    """One row per request to the load benchmark's baseline endpoint
    (``fordela.core.bench_views.insert_baseline``); never used by the app."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "benchmark hit"

    def __str__(self) -> str:
        return f"benchmark hit {self.pk}"


class Session(AbstractBaseSession):
    """Django's database session, with the logged-in user's id in a column of
    its own beside the session data. Every logged-in request reads its session
    and then its user; with the id here, both come in one query
    (``fordela.core.sessions``). Deleting a user deletes their sessions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
