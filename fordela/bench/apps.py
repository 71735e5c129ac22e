from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks only (``make bench-web``, ``make bench-allocation``): installed
    by the test and bench settings, never by production."""

    name = "fordela.bench"
    label = "bench"
    verbose_name = "Benchmarks"
