import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from coopnet.core.tables import BoundedTable

from .models import Opportunity


class OpportunityTable(BoundedTable):
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    kind = tables.Column(verbose_name=_("Type"))
    direction = tables.Column(verbose_name=_("Request / offer"))
    organisation = tables.Column(verbose_name=_("Organisation"), accessor="organisation__name")
    country = tables.Column(verbose_name=_("Country"), accessor="country_id")
    status = tables.Column(verbose_name=_("Status"))
    expires_on = tables.DateColumn(verbose_name=_("Expires"), default="—")

    class Meta:
        model = Opportunity
        fields = ("title", "kind", "direction", "organisation", "country", "status", "expires_on")
        attrs = {"class": "table table-sm table-striped table-hover", "data-testid": "opportunity-table"}
        empty_text = _("No opportunity matches these filters.")
