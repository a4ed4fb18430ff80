from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Profile


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "country", "organisation")
    list_filter = ("role", "country")
    raw_id_fields = ("organisation",)
