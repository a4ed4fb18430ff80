"""URLs of bulk import/export and duplicate review (included by registry/urls.py)."""
from django.urls import path

from .views import duplicates, imports

urlpatterns = [
    path("import/", imports.import_page, name="import"),
    path("import/<int:pk>/", imports.import_run, name="import_run"),
    path("export/", imports.export_download, name="export"),
    path("duplicates/", duplicates.duplicate_list, name="duplicates"),
    path("duplicates/<int:pk>/decide/", duplicates.duplicate_decide, name="duplicate_decide"),
]
