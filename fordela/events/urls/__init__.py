"""The events pages (competence support, issue 21), one module per side:
``registration`` (public: the event page, registering, the e-mailed links);
``organiser`` (the organiser's pages); ``public`` (the Kompetensstöd
page, the list of events, the calendars)."""

from . import organiser, public, registration

app_name = "events"
urlpatterns = [*registration.urlpatterns, *organiser.urlpatterns, *public.urlpatterns]
