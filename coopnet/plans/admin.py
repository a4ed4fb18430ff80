from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ControlPoint, Direction, Document, DocumentLink, Measure, ResponsibleBody, StatusReport


class DirectionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Direction
    extra = 0
    fields = ("number", "title", "title_en", "order", "source")


class LinkInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DocumentLink
    fk_name = "from_document"
    extra = 0
    fields = ("kind", "to_document", "source")


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "signed", "period_start", "period_end", "source")
    list_filter = ("kind", "parties")
    search_fields = ("title", "title_en", "number", "ref")
    filter_horizontal = ("parties",)
    inlines = (DirectionInline, LinkInline)


class ResponsibleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ResponsibleBody
    extra = 0


class ControlPointInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ControlPoint
    extra = 0


class ReportInline(admin.TabularInline):  # type: ignore[type-arg]
    model = StatusReport
    extra = 0
    fields = ("date", "status", "evidence", "author", "author_name", "source")


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ("number", "document", "deadline", "status")
    list_filter = ("status", "document__kind")
    search_fields = ("text", "text_en", "number")
    raw_id_fields = ("document", "direction", "parent", "projects")
    readonly_fields = ("status",)
    inlines = (ResponsibleInline, ControlPointInline, ReportInline)


@admin.register(StatusReport)
class StatusReportAdmin(SimpleHistoryAdmin):
    list_display = ("measure", "date", "status", "author_name")
    list_filter = ("status",)
    raw_id_fields = ("measure", "author")
