from django.db import models

from . import clock


class CaseNumberCounter(models.Model):
    """The running number of case numbers (*diarienummer*) ``YYYY-SS-NNNN``
    per year and series (``fordela.core.case_numbers``). Incremented under a
    row lock."""

    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=2)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "series"], name="one_case_number_counter_per_year_series"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.series}: {self.last_number}"


class SentMessage(models.Model):
    """An e-mail that a background task has sent, by its key (e.g.
    ``decision-letter:42``): a task that runs again finds the row and sends
    nothing (``fordela.core.tasks.send_once``)."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = clock.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class WorkerHeartbeat(models.Model):
    """The last sign of life of a task worker (``manage.py task_worker``),
    by the id django-tasks-db records on the tasks it claims. Machine time,
    like django-tasks-db's own ``started_at``, not the product's clock."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id}: {self.seen_at:%Y-%m-%d %H:%M:%S}"
