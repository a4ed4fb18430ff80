import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from coopnet.core.tables import BoundedTable

from .models import Document


class DocumentTable(BoundedTable):
    title = tables.Column(verbose_name=_("Document"), linkify=True, order_by=("title",))
    kind = tables.Column(verbose_name=_("Kind"))
    parties = tables.Column(verbose_name=_("Parties"), empty_values=(), orderable=False)
    years = tables.Column(verbose_name=_("Period"), empty_values=(), order_by=("period_start", "signed"))
    n_measures = tables.Column(verbose_name=_("Measures"), orderable=True)
    issuing_body = tables.Column(verbose_name=_("Issuing body"), default="—")

    class Meta:
        model = Document
        fields = ("title", "kind", "parties", "years", "n_measures", "issuing_body")
        attrs = {"class": "table table-sm table-striped table-hover", "data-testid": "document-table"}
        empty_text = _("No document matches these filters.")

    def render_title(self, record: Document) -> str:
        return record.display_title

    def render_parties(self, record: Document) -> str:
        codes = [c.code for c in record.parties.all()]
        extra = record.other_parties
        return ", ".join(codes) + (f"; {extra}" if extra and codes else extra)

    def render_years(self, record: Document) -> str:
        return record.years or "—"

    def render_n_measures(self, record: Document, value: int) -> str:
        if record.declared_measures and record.declared_measures != value:
            return format_html("{} <span class='text-muted'>({} {})</span>", value, record.declared_measures,
                               _("declared"))
        return str(value)
