from django.urls import path

from . import bench_views

urlpatterns = [
    path("insert/", bench_views.insert_baseline, name="bench_insert"),
    path("logged-in/", bench_views.logged_in_floor, name="bench_logged_in"),
]
