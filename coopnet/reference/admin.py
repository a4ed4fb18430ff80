from django.contrib import admin

from .models import Country, HSCode, NACECode, Region


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ru", "status")
    list_filter = ("status",)
    search_fields = ("code", "name_en", "name_ru")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ru", "country", "kind")
    list_filter = ("country",)
    search_fields = ("code", "name_en", "name_ru")


@admin.register(HSCode, NACECode)
class CodeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_ru", "level")
    list_filter = ("level",)
    search_fields = ("code", "name_en", "name_ru")
