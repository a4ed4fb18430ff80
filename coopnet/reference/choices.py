from django.db import models
from django.utils.translation import gettext_lazy as _


class CountryStatus(models.TextChoices):
    MEMBER = "member", _("EAEU member state")
    OBSERVER = "observer", _("EAEU observer state")
    PARTNER = "partner", _("Free-trade or cooperation partner")
    OTHER = "other", _("Other country")


class CodeScheme(models.TextChoices):
    HS = "hs", _("HS / TN VED EAEU")
    NACE = "nace", _("NACE Rev.2 / OKVED2")
