import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from coopnet.core.tables import BoundedTable

from .models import Organisation


class OrganisationTable(BoundedTable):
    name = tables.Column(verbose_name=_("Name"), linkify=True, order_by=("name",))
    public_id = tables.Column(verbose_name=_("Public ID"), orderable=False, attrs={"td": {"class": "text-nowrap"}})
    country = tables.Column(verbose_name=_("Country"), accessor="country__name", order_by=("country",))
    region = tables.Column(verbose_name=_("Region"), accessor="region__name", orderable=False, default="—")
    city = tables.Column(verbose_name=_("City"), default="—")
    kind = tables.Column(verbose_name=_("Type"))
    employees = tables.Column(verbose_name=_("Employees"), default="—")

    class Meta:
        model = Organisation
        fields = ("name", "public_id", "country", "region", "city", "kind", "employees")
        attrs = {"class": "table table-sm table-striped table-hover", "data-testid": "organisation-table"}
        empty_text = _("No organisation matches these filters.")

    def render_name(self, record: Organisation) -> str:
        return record.display_name
