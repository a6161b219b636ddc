from django.urls import path

from products.views import materials

urlpatterns = [
    path(
        "<int:pk>/materials/new/",
        materials.material_create,
        name="material_create",
    ),
    path(
        "<int:pk>/materials/<int:material_pk>/edit/",
        materials.material_edit,
        name="material_edit",
    ),
    path(
        "<int:pk>/materials/<int:material_pk>/delete/",
        materials.material_delete,
        name="material_delete",
    ),
    path(
        "<int:pk>/materials/<int:material_pk>/download/",
        materials.material_download,
        name="material_download",
    ),
]
