"""The public side: an event's page, registering for a session, the receipt,
the pages behind the e-mailed links and the privacy text."""

from django.urls import path

from ..views import registration as views

urlpatterns = [
    path("utbildningar/<int:pk>/", views.event_page, name="event"),
    path("utbildningar/tillfalle/<int:pk>/anmalan/", views.register, name="register"),
    path("utbildningar/anmalan/<int:pk>/kvittens/", views.receipt, name="receipt"),
    path("utbildningar/avboka/<str:token>/", views.cancel, name="cancel"),
    path("utbildningar/erbjudande/<str:token>/tacka-ja/", views.accept, name="accept"),
    path("utbildningar/erbjudande/<str:token>/tacka-nej/", views.decline, name="decline"),
    path("utbildningar/personuppgifter/", views.privacy, name="privacy"),
]
