"""The library pages (competence support, issue 21): public under
/kompetensstod/material/, the editors' pages beside them."""

from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("kompetensstod/material/", views.material_list, name="list"),
    path("kompetensstod/material/mina/", views.my_materials, name="mine"),
    path("kompetensstod/material/ny/", views.create_material, name="create"),
    path("kompetensstod/material/<int:pk>/", views.material_detail, name="detail"),
    path("kompetensstod/material/<int:pk>/fil/", views.material_file, name="file"),
    path("kompetensstod/material/<int:pk>/andra/", views.edit_material, name="edit"),
    path("kompetensstod/material/<int:pk>/publicera/", views.publish_material, name="publish"),
    path(
        "kompetensstod/material/<int:pk>/avpublicera/", views.unpublish_material, name="unpublish"
    ),
]
