"""Reference data that ships in the repo: countries, regions, HS and NACE. Loaded by `coopnet migrate`."""
from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .choices import CountryStatus

MEMBER_STATES = ("AM", "BY", "KZ", "KG", "RU")


class Bilingual(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=500)
    name_ru = models.CharField(_("name (Russian)"), max_length=500)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.pk} {self.name}"

    @property
    def name(self) -> str:
        lang = (get_language() or "ru")[:2]
        return self.name_ru if lang == "ru" and self.name_ru else self.name_en


class CountryQuerySet(models.QuerySet):
    def members(self) -> CountryQuerySet:
        return self.filter(status=CountryStatus.MEMBER)


class Country(Bilingual):
    code = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, primary_key=True)
    iso3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=CountryStatus.choices)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def is_member(self) -> bool:
        return self.status == CountryStatus.MEMBER


class Region(Bilingual):
    code = models.CharField(_("ISO 3166-2 code"), max_length=6, primary_key=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="regions")
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class ClassificationCode(Bilingual):
    code = models.CharField(_("code"), max_length=10, primary_key=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        abstract = True
        ordering = ["code"]


class HSCode(ClassificationCode):
    """The Harmonized System (TN VED EAEU is its 10-digit national extension)."""

    class Meta(ClassificationCode.Meta):
        verbose_name = _("HS code")
        verbose_name_plural = _("HS codes")


class NACECode(ClassificationCode):
    """NACE Rev.2 sections, divisions and groups (OKVED2 shares them)."""

    class Meta(ClassificationCode.Meta):
        verbose_name = _("NACE code")
        verbose_name_plural = _("NACE codes")
