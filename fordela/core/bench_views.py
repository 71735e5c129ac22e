"""The load benchmark's baseline (scripts/bench_web.py): the cheapest request
that still goes through the whole stack and writes to the database. Other
endpoints' throughput is reported as a share of this one's. Only routed when
``settings.BENCHMARK_ENDPOINTS`` is true (the ``bench`` settings profile)."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from .models import BenchmarkHit


@require_GET
def insert_baseline(request):
    BenchmarkHit.objects.create()
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
