from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Dataset


@admin.register(Dataset)
class DatasetAdmin(SimpleHistoryAdmin):
    list_display = (
        "batch",
        "format",
        "file_name",
        "status",
        "observations",
        "error_count",
        "is_synthetic",
        "imported_by",
        "created",
    )
    list_filter = ("status", "format", "is_synthetic")
    search_fields = ("batch", "file_name")
    readonly_fields = ("report",)
