"""The load benchmark's baseline (scripts/bench_web.py): the cheapest request
that still goes through the whole stack and writes to the database. Other
endpoints' throughput is reported as a share of this one's. Only routed when
``settings.BENCHMARK_ENDPOINTS`` is true (the ``bench`` settings profile)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET, require_POST

from .models import BenchmarkHit


@require_GET
def insert_baseline(request):
    BenchmarkHit.objects.create()
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def logged_in_floor(request):
    """What every logged-in form POST costs before it does anything: the
    session, the user, the CSRF check and a redirect. Not a goal of its own;
    it shows how much of the requisition submit is this floor."""
    return HttpResponseRedirect("/")
