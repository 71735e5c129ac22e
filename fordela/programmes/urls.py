from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("program/<slug:slug>/", views.programme_detail, name="detail"),
]
