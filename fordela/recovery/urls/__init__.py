"""The recovery pages, one module per stage: decisions, invoices, incoming
payments."""

from . import decisions, invoices, payments

app_name = "recovery"
urlpatterns = decisions.urlpatterns + invoices.urlpatterns + payments.urlpatterns
