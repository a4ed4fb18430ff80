from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INSTITUTE = "institute", _("Research institute or university")
    BANK = "bank", _("Bank or development institution")
    AGENCY = "agency", _("Government agency")
    TECHNOLOGY_CENTRE = "technology_centre", _("Technology centre")


class LegalForm(models.TextChoices):
    JSC = "JSC", _("Joint-stock company")
    OJSC = "OJSC", _("Open joint-stock company")
    CJSC = "CJSC", _("Closed joint-stock company")
    PJSC = "PJSC", _("Public joint-stock company")
    LLC = "LLC", _("Limited liability company")
    LLP = "LLP", _("Limited liability partnership")
    SOE = "SOE", _("State or unitary enterprise")
    PC = "PC", _("Public corporation")
    FOUNDATION = "FOUNDATION", _("Foundation")
    INSTITUTE = "INSTITUTE", _("Institution")
    BANK = "BANK", _("Bank")
    AGENCY = "AGENCY", _("Agency")
    OTHER = "OTHER", _("Other")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Micro (under 10 employees)")
    SMALL = "small", _("Small (10–49)")
    MEDIUM = "medium", _("Medium (50–249)")
    LARGE = "large", _("Large (250 and more)")

    @classmethod
    def from_employees(cls, employees: int | None) -> str:
        from coopnet.logic.registry.staging import size_class  # one rule for the forms and the importer

        return size_class(employees)


class NameKind(models.TextChoices):
    OFFICIAL = "official", _("Official name")
    ENGLISH = "english", _("English name")
    SHORT = "short", _("Short name or brand")
    FORMER = "former", _("Former name")
    OTHER = "other", _("Other name")


class CapacityPeriod(models.TextChoices):
    DAY = "day", _("per day")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")


class SiteKind(models.TextChoices):
    ASSEMBLY_PLANT = "assembly_plant", _("Assembly plant")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    DEALER = "dealer", _("Dealer")
    SERVICE_CENTRE = "service_centre", _("Service centre")
    TRADE_HOUSE = "trade_house", _("Trade house")
    REPRESENTATIVE_OFFICE = "representative_office", _("Representative office")
    PLANT = "plant", _("Production site")


class LinkKind(models.TextChoices):
    SUPPLY = "supply", _("Supply")
    ASSEMBLY = "assembly", _("Assembly")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    DEALER = "dealer", _("Dealer")
    JOINT_PROJECT = "joint_project", _("Joint project")
    LICENCE = "licence", _("Licence")
    RD = "rd", _("Joint R&D")

