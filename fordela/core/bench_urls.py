from django.urls import path

from . import bench_views

urlpatterns = [path("insert/", bench_views.insert_baseline, name="bench_insert")]
