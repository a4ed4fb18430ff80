"""Admin: the regulation parameters (rule sets, lenders, base rates, envelopes) are edited here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Application,
    ApplicationDocument,
    ApplicationParticipant,
    ApprovedLender,
    BaseRate,
    BudgetEnvelope,
    Commitment,
    Industry,
    LoanFlow,
    MonitoringReport,
    RuleSetVersion,
    StageTransition,
)


@admin.register(Industry)
class IndustryAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "name_ru")
    search_fields = ("code", "name_en", "name_ru")


@admin.register(RuleSetVersion)
class RuleSetVersionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "effective_from", "margin_pp", "annual_cap_rub", "day_count", "budget_share_pct")
    filter_horizontal = ("industries",)
    date_hierarchy = "effective_from"


@admin.register(ApprovedLender)
class ApprovedLenderAdmin(SimpleHistoryAdmin):
    list_display = ("name", "country", "approved_on", "removed_on", "organisation")
    list_filter = ("country",)
    search_fields = ("name",)
    raw_id_fields = ("organisation",)


@admin.register(BaseRate)
class BaseRateAdmin(SimpleHistoryAdmin):
    list_display = ("country", "date", "rate", "source")
    list_filter = ("country", "source")
    date_hierarchy = "date"


class ParticipantInline(admin.TabularInline):
    model = ApplicationParticipant
    extra = 0
    raw_id_fields = ("organisation",)


class FlowInline(admin.TabularInline):
    model = LoanFlow
    extra = 0


class DocumentInline(admin.TabularInline):
    model = ApplicationDocument
    extra = 0


class TransitionInline(admin.TabularInline):
    """Decisions are taken in the application's page (roles and budget checked); here they are read."""

    model = StageTransition
    extra = 0
    can_delete = False
    readonly_fields = ("decision", "from_stage", "to_stage", "actor", "actor_name", "at", "reason",
                       "subsidy_total_rub")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ("reference", "title", "bank", "industry", "stage", "application_date", "is_synthetic")
    list_filter = ("stage", "industry", "lender_country", "is_synthetic")
    search_fields = ("reference", "title", "participants__name")
    raw_id_fields = ("bank", "submitted_by")
    readonly_fields = ("reference", "stage", "stage_changed")
    inlines = [ParticipantInline, FlowInline, DocumentInline, TransitionInline]


@admin.register(BudgetEnvelope)
class BudgetEnvelopeAdmin(SimpleHistoryAdmin):
    list_display = ("year", "duties_revenue_rub", "share_pct", "amount", "committed", "remaining")


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ("year", "application", "amount_rub")
    list_filter = ("year",)


@admin.register(MonitoringReport)
class MonitoringReportAdmin(SimpleHistoryAdmin):
    list_display = ("application", "year", "subsidy_paid", "jobs", "output_rub")
    list_filter = ("year",)
