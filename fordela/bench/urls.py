from django.urls import path

from . import views

urlpatterns = [
    path("insert/", views.insert_baseline, name="bench_insert"),
    path("logged-in/", views.logged_in_floor, name="bench_logged_in"),
]
