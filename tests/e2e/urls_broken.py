"""The site's URLs plus one deliberately inaccessible page, used only to prove
that the axe helper reports what it should."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

BROKEN_PAGE = """{% extends "base.html" %}
{% block title %}Trasig sida{% endblock %}
{% block content %}<h1>Trasig sida</h1>
<form method="get"><input type="text" name="namn"><button type="submit">Skicka</button></form>
{% endblock %}"""


def broken_page(request):
    return HttpResponse(engines["django"].from_string(BROKEN_PAGE).render({}, request))


urlpatterns = [
    path("_test/broken/", broken_page),
    path("", include("fordela.urls")),
]
