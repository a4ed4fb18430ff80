from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from coopnet.core.tables import BoundedTable

from .models import Application


class ApplicationTable(BoundedTable):
    reference = tables.Column(linkify=True, verbose_name=_("Reference"))
    title = tables.Column(linkify=True)
    bank = tables.Column(verbose_name=_("Bank"), empty_values=(), default="—")
    stage = tables.Column()
    application_date = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = Application
        fields = ["reference", "title", "industry", "bank", "lender_country", "currency", "application_date",
                  "stage"]
        attrs = {"class": "table table-sm table-striped", "data-testid": "applications"}
        empty_text = _("No applications.")


class RegisterTable(BoundedTable):
    reference = tables.Column(linkify=True, verbose_name=_("Reference"))
    title = tables.Column(linkify=True)
    participants = tables.Column(empty_values=(), orderable=False, verbose_name=_("Participants"))
    stage_changed = tables.DateColumn(format="Y-m", verbose_name=_("Approved"))

    class Meta:
        model = Application
        fields = ["reference", "title", "industry", "participants", "stage_changed"]
        attrs = {"class": "table table-sm table-striped", "data-testid": "register"}
        empty_text = _("No approved projects yet.")

    def render_participants(self, record: Application) -> str:
        return ", ".join(f"{p.name} ({p.country_id})" for p in record.participants.all())
