from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Competency, Link, Organisation, OrganisationName, Site


class NameInline(admin.TabularInline):
    model = OrganisationName
    extra = 0


class CompetencyInline(admin.StackedInline):
    model = Competency
    extra = 0


class SiteInline(admin.TabularInline):
    model = Site
    fk_name = "organisation"
    extra = 0
    raw_id_fields = ("partner",)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "public_id", "country", "region", "kind", "is_synthetic")
    list_filter = ("country", "kind", "legal_form", "is_synthetic")
    search_fields = ("name", "name_en", "public_id", "ref", "tax_id")
    raw_id_fields = ("merged_into",)
    readonly_fields = ("public_id",)
    inlines = [NameInline, CompetencyInline, SiteInline]


@admin.register(Competency)
class CompetencyAdmin(SimpleHistoryAdmin):
    list_display = ("organisation", "description", "hs_codes", "nace_codes")
    search_fields = ("description", "description_en", "hs_codes", "nace_codes")
    raw_id_fields = ("organisation",)


@admin.register(Link)
class LinkAdmin(SimpleHistoryAdmin):
    list_display = ("organisation", "kind", "partner")
    raw_id_fields = ("organisation", "partner")
