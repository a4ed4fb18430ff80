"""The registry: organisations, their names, competencies, sites abroad and links to partners."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coopnet.accounts.roles import profile_of
from coopnet.core.fieldrules import ADMIN, CURATORS, PROVENANCE, FieldRule, set_on_create
from coopnet.core.models import SourcedModel, TrackedModel
from coopnet.core.querysets import CHANGE, RestrictedQuerySet, is_admin
from coopnet.reference.choices import CodeScheme

from ..choices import CapacityPeriod, LegalForm, LinkKind, NameKind, OrganisationKind, SiteKind, SizeClass

CODE_SEPARATOR = ";"


def split_codes(value: str | Iterable[str] | None) -> list[str]:
    """'8704; 8702' or ['8704', '8702'] -> ['8704', '8702'] (order kept, duplicates dropped)."""
    if value is None:
        return []
    items = value.split(CODE_SEPARATOR) if isinstance(value, str) else list(value)
    seen: dict[str, None] = {}
    for item in items:
        code = item.strip()
        if code:
            seen.setdefault(code, None)
    return list(seen)


def join_codes(codes: Iterable[str]) -> str:
    return CODE_SEPARATOR.join(split_codes(list(codes)))


class OrganisationQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> OrganisationQuerySet:
        """Everyone views the registry; an enterprise changes its own organisation, a national contact
        point its country's, an administrator all."""
        if action != CHANGE:
            return super().restrict(user, action)  # type: ignore[return-value]
        if is_admin(user):
            return self.all()
        profile = profile_of(user)
        if profile is None:
            return self.none()
        if profile.role == "contact_point" and profile.country_id:
            return self.filter(country_id=profile.country_id)
        if profile.role in ("enterprise", "bank") and profile.organisation_id:
            return self.filter(pk=profile.organisation_id)
        return self.none()

    def active(self) -> OrganisationQuerySet:
        return self.filter(merged_into__isnull=True)


HISTORY_UNINDEXED = ["is_synthetic", "public_id", "name", "kind", "tax_id", "country", "region", "merged_into"]


class Organisation(TrackedModel, SourcedModel):
    public_id = models.CharField(
        _("public ID"), max_length=20, unique=True, null=True, blank=True, editable=False,
        help_text=_("Stable public identifier: country prefix, serial and check character."),
    )
    ref = models.CharField(_("source reference"), max_length=100, blank=True,
                           help_text=_("The key of the organisation in the file it was imported from."))
    ref_source = models.CharField(_("reference source"), max_length=100, blank=True, default="")
    name = models.CharField(_("name"), max_length=500, db_index=True)
    name_en = models.CharField(_("name in English"), max_length=500, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=12, choices=LegalForm.choices, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices,
                            default=OrganisationKind.ENTERPRISE, db_index=True)
    # no index of its own: the (country, region) index below serves lookups by country
    country = models.ForeignKey("reference.Country", verbose_name=_("country"), on_delete=models.PROTECT,
                                related_name="organisations", db_index=False)
    region = models.ForeignKey("reference.Region", verbose_name=_("region"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="organisations")
    city = models.CharField(_("city"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True,
                            validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lon = models.FloatField(_("longitude"), null=True, blank=True,
                            validators=[MinValueValidator(-180), MaxValueValidator(180)])
    tax_id = models.CharField(_("national identifier"), max_length=20, blank=True, db_index=True,
                              help_text=_("RU INN/OGRN, BY UNP, KZ BIN, KG INN, AM TIN — checked by the "
                                          "country's rules."))
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    size = models.CharField(_("size class"), max_length=10, choices=SizeClass.choices, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged_from")

    objects = OrganisationQuerySet.as_manager()
    #: who writes what (coopnet.core.fieldrules): the country and the ref are set by the curators who add the
    #: organisation and changed only by administrators, so that no one takes a record out of its contact
    #: point's reach or out of its import source; provenance is the administrators'.
    write_rules = {"country": FieldRule(create=CURATORS, update=ADMIN),
                   "ref": FieldRule(create=CURATORS, update=ADMIN), **PROVENANCE}
    # The history table is read by organisation id and date only; indexing every indexed column of the
    # live table there too would only slow bulk imports (each index is written for every history row).
    history = HistoricalRecords(no_db_index=HISTORY_UNINDEXED)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["ref_source", "ref"], condition=~models.Q(ref=""), name="registry_org_unique_ref",
                violation_error_message=_("Another organisation already has this reference in this source."),
            ),
        ]
        indexes = [models.Index(fields=["country", "region"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation", kwargs={"public_id": self.public_id})

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "ru").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.region_id and self.country_id and not self.region_id.startswith(f"{self.country_id}-"):
            raise ValidationError({"region": _("The region is not in the organisation's country.")})
        if self.tax_id and self.country_id:
            from coopnet.logic.registry.identifiers import check_tax_id

            result = check_tax_id(self.country_id, self.tax_id)
            if not result.valid:
                raise ValidationError({"tax_id": result.reason})
            self.tax_id = result.compact
        if self.employees is not None and not self.size:
            self.size = SizeClass.from_employees(self.employees)

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            if not self.public_id:
                from coopnet.logic.registry.identifiers import make_public_id

                self.public_id = make_public_id(self.country_id, self.pk)
                type(self).objects.filter(pk=self.pk).update(public_id=self.public_id)


#: rows of an organisation stay with it; their provenance is the administrators'
CHILD_WRITE_RULES = {"organisation": set_on_create(_("It belongs to its organisation: it cannot move to another.")),
                     **PROVENANCE}


class OrganisationName(TrackedModel, SourcedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=500, db_index=True)
    language = models.CharField(_("language"), max_length=8, blank=True, help_text=_("ISO 639-1, e.g. ru, en, kk."))
    kind = models.CharField(_("kind"), max_length=10, choices=NameKind.choices, default=NameKind.OTHER)
    write_rules = CHILD_WRITE_RULES
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "kind", "name"]
        verbose_name = _("organisation name")
        verbose_name_plural = _("organisation names")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="registry_name_unique")]

    def __str__(self) -> str:
        return self.name


class ChildQuerySet(RestrictedQuerySet):
    """Rows that belong to an organisation follow its permissions."""

    def restrict(self, user: Any, action: str = "view") -> ChildQuerySet:
        if action != CHANGE:
            return super().restrict(user, action)  # type: ignore[return-value]
        allowed = Organisation.objects.restrict(user, CHANGE).values("pk")
        return self.filter(organisation__in=allowed)


class Competency(TrackedModel, SourcedModel):
    """A product or capability line: what the organisation makes or can make."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="competencies")
    description = models.TextField(_("description"), help_text=_("What is made, in Russian or English."))
    description_en = models.TextField(_("description in English"), blank=True)
    hs_codes = models.CharField(_("HS / TN VED codes"), max_length=500, blank=True,
                                help_text=_("2 to 10 digits, separated by ';'."))
    nace_codes = models.CharField(_("NACE / OKVED2 codes"), max_length=300, blank=True,
                                  help_text=_("e.g. 29.10; separated by ';'."))
    capacity_quantity = models.DecimalField(_("capacity"), max_digits=18, decimal_places=3, null=True, blank=True,
                                            validators=[MinValueValidator(0)])
    capacity_unit = models.CharField(_("capacity unit"), max_length=30, blank=True)
    capacity_period = models.CharField(_("capacity period"), max_length=10, choices=CapacityPeriod.choices,
                                       blank=True)
    certifications = models.CharField(_("certifications"), max_length=1000, blank=True,
                                      help_text=_("e.g. TR CU 018/2011; ISO 9001 — separated by ';'."))
    from_import = models.BooleanField(_("from import"), default=False,
                                      help_text=_("The line that the bulk import file describes."))

    objects = ChildQuerySet.as_manager()
    write_rules = CHILD_WRITE_RULES
    history = HistoricalRecords(no_db_index=["is_synthetic"])

    class Meta:
        ordering = ["organisation", "pk"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def hs_list(self) -> list[str]:
        return split_codes(self.hs_codes)

    @property
    def nace_list(self) -> list[str]:
        return split_codes(self.nace_codes)

    @property
    def certification_list(self) -> list[str]:
        return split_codes(self.certifications)

    def clean(self) -> None:
        super().clean()
        from coopnet.logic.codes import CodeError, normalise_hs, normalise_nace

        errors: dict[str, str] = {}
        try:
            self.hs_codes = join_codes(normalise_hs(c) for c in split_codes(self.hs_codes))
        except CodeError as exc:
            errors["hs_codes"] = str(exc)
        try:
            self.nace_codes = join_codes(normalise_nace(c) for c in split_codes(self.nace_codes))
        except CodeError as exc:
            errors["nace_codes"] = str(exc)
        self.certifications = join_codes(split_codes(self.certifications))
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.sync_codes()

    def sync_codes(self) -> None:
        """Rebuild this line's rows in the code index (CompetencyCode is derived, never edited)."""
        CompetencyCode.objects.filter(competency=self).delete()
        rows = [CompetencyCode(competency=self, organisation_id=self.organisation_id, scheme=CodeScheme.HS, code=c)
                for c in self.hs_list]
        rows += [CompetencyCode(competency=self, organisation_id=self.organisation_id, scheme=CodeScheme.NACE,
                                code=c) for c in self.nace_list]
        CompetencyCode.objects.bulk_create(rows)


class CompetencyCode(models.Model):
    """Index of competency codes for fast filtering by code and by code prefix (derived data)."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="code_rows")
    # no index of its own: the (organisation, scheme) index below serves lookups by organisation
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="code_rows",
                                     db_index=False)
    scheme = models.CharField(max_length=4, choices=CodeScheme.choices)
    code = models.CharField(max_length=10)

    class Meta:
        indexes = [models.Index(fields=["scheme", "code"]), models.Index(fields=["organisation", "scheme"])]
        verbose_name = _("competency code")
        verbose_name_plural = _("competency codes")

    def __str__(self) -> str:
        return f"{self.scheme}:{self.code}"


class Site(TrackedModel, SourcedModel):
    """A place where the organisation is present abroad (or at home): plant, joint venture, dealer..."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sites")
    kind = models.CharField(_("kind"), max_length=24, choices=SiteKind.choices)
    country = models.ForeignKey("reference.Country", verbose_name=_("country"), on_delete=models.PROTECT,
                                related_name="sites")
    region = models.ForeignKey("reference.Region", verbose_name=_("region"), null=True, blank=True,
                               on_delete=models.PROTECT)
    city = models.CharField(_("city"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    partner = models.ForeignKey(Organisation, verbose_name=_("partner organisation"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="partner_sites")
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    objects = ChildQuerySet.as_manager()
    write_rules = CHILD_WRITE_RULES
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "country", "city"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.city or self.country}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():  # the change log entry (registry.signals) commits with the row
            super().save(*args, **kwargs)


class Link(TrackedModel, SourcedModel):
    """A cooperation link between two organisations (supply, assembly, licence, joint project...)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="links")
    partner = models.ForeignKey(Organisation, verbose_name=_("partner"), on_delete=models.CASCADE,
                                related_name="incoming_links")
    kind = models.CharField(_("kind"), max_length=16, choices=LinkKind.choices)
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    objects = ChildQuerySet.as_manager()
    write_rules = CHILD_WRITE_RULES
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "kind"]
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.CheckConstraint(condition=~models.Q(organisation=models.F("partner")),
                                   name="registry_link_not_self",
                                   violation_error_message=_("An organisation cannot be its own partner.")),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.partner} ({self.get_kind_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():  # the change log entry (registry.signals) commits with the row
            super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        # the database's check constraint, said before it refuses the row (a form has no organisation field)
        if self.organisation_id and self.organisation_id == self.partner_id:
            raise ValidationError({"partner": _("An organisation cannot be its own partner.")})
