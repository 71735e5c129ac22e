"""Reporting: the administrative costs."""

from django.urls import path

from ..views import costs

urlpatterns = [
    path("ekonomi/kostnader/", costs.index, name="costs_index"),
    path("ekonomi/kostnader/<slug:slug>/<int:year>/", costs.costs, name="costs"),
]
