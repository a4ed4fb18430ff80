from django.db import models
from django.utils.translation import gettext_lazy as _


class DatasetStatus(models.TextChoices):
    WRITTEN = "written", _("Written to the store")
    REJECTED = "rejected", _("Rejected (nothing written)")


class DatasetFormat(models.TextChoices):
    LONG = "long", _("coopnet long CSV")
    COMTRADE = "comtrade", _("UN Comtrade CSV (today's or the classic layout)")
    YEARBOOK = "yearbook", _("Yearbook XLSX (years in columns)")
    SDMX_CSV = "sdmx-csv", _("SDMX-CSV 2.0 (coopnet data structure)")
    SDMX_ML = "sdmx-ml", _("SDMX-ML 2.1 (coopnet data structure)")
    GENERATOR = "generator", _("Synthetic generator")
    SEED = "seed", _("Seed documents")
