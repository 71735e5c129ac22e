from django.db import models


class BenchmarkHit(models.Model):
    """One row per request to the load benchmark's baseline endpoint
    (``fordela.bench.views.insert_baseline``); never used by the app."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "benchmark hit"

    def __str__(self) -> str:
        return f"benchmark hit {self.pk}"
