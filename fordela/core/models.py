from django.db import models


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
