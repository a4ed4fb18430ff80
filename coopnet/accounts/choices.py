from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    CONTACT_POINT = "contact_point", _("National contact point")
    ENTERPRISE = "enterprise", _("Enterprise")
    BANK = "bank", _("Authorised bank")
    COMMISSION = "commission", _("Eurasian Economic Commission")
    MINISTRY = "ministry", _("Ministry")
    ANALYST = "analyst", _("Analyst")
