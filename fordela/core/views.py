from django.shortcuts import render

from fordela.access import worklists
from fordela.programmes.models import Programme


def home(request):
    programmes = Programme.objects.prefetch_related("years")
    return render(
        request,
        "core/home.html",
        {
            "programmes": programmes,
            "redistributions": worklists.published_redistributions(),
            "calls_with_grants": worklists.calls_with_grants(),
        },
    )


def about(request):
    return render(request, "core/about.html")


# Error pages. 403 and 404 are Django's own handlers with our 403.html and
# 404.html (rendered with the request, so in the layout and the visitor's
# language); 500.html stands alone, since Django renders it without a request.


def bad_request(request, exception=None):
    """The 400 page in the layout (``handler400``; Django's own renders the
    template without the request). Also the answer to a NUL character in a
    parameter (``core.middleware.RefuseNullCharactersMiddleware``)."""
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form sent with an expired or missing security
    token, typically from a page left open past a logout or a new login."""
    return render(request, "403_csrf.html", status=403)
