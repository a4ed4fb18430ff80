from django.db import models
from django.utils.translation import gettext_lazy as _


class DatasetStatus(models.TextChoices):
    WRITTEN = "written", _("Written to the store")
    REJECTED = "rejected", _("Rejected (nothing written)")


class DatasetFormat(models.TextChoices):
    LONG = "long", _("coopnet long CSV")
    COMTRADE = "comtrade", _("UN Comtrade bulk CSV")
    YEARBOOK = "yearbook", _("Yearbook XLSX (years in columns)")
    GENERATOR = "generator", _("Synthetic generator")
    SEED = "seed", _("Seed documents")
