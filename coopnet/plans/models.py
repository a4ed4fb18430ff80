"""Programmes, action plans and roadmaps: documents → directions → measures → status reports."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coopnet.accounts.roles import profile_of
from coopnet.core.fieldrules import PROVENANCE, set_on_create
from coopnet.core.models import SourcedModel, TrackedModel
from coopnet.core.querysets import CHANGE, RestrictedQuerySet, is_admin

from .choices import DocumentKind, LinkKind, MeasureStatus

#: Roles that may file status reports (on documents their country is a party to, for the national ones).
REPORTING_ROLES = ("ministry", "contact_point")
EDITING_ROLES = ("commission",)


class DocumentQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> DocumentQuerySet:
        """Everyone reads the register. Administrators and the Commission edit every document, a ministry
        or a national contact point the documents its country is a party to."""
        if action != CHANGE:
            return super().restrict(user, action)  # type: ignore[return-value]
        profile = profile_of(user)
        if is_admin(user) or (profile is not None and profile.role in EDITING_ROLES):
            return self.all()
        if profile is not None and profile.role in REPORTING_ROLES and profile.country_id:
            # One row per document: a country is a party to a document at most once.
            return self.filter(parties=profile.country_id)
        return self.none()


def may_create_documents(user: Any) -> bool:
    """Administrators, the Commission, and ministries or contact points that belong to a country."""
    profile = profile_of(user)
    if is_admin(user) or (profile is not None and profile.role in EDITING_ROLES):
        return True
    return bool(profile is not None and profile.role in REPORTING_ROLES and profile.country_id)


def own_country(user: Any) -> str | None:
    """The country a ministry or a contact point must keep among a document's parties (None: no limit)."""
    profile = profile_of(user)
    if is_admin(user) or profile is None or profile.role not in REPORTING_ROLES:
        return None
    return str(profile.country_id) if profile.country_id else None


class DirectionQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> DirectionQuerySet:
        """Directions are changed by whoever may change their document."""
        if action != CHANGE:
            return super().restrict(user, action)  # type: ignore[return-value]
        return self.filter(document__in=Document.objects.restrict(user, CHANGE).values("pk"))


class MeasureQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> MeasureQuerySet:
        """`change` = may edit the measure and file status reports: administrators and the Commission on
        every measure, a ministry or a national contact point on the measures of documents its country is a
        party to (the same rule as for documents)."""
        if action != CHANGE:
            return super().restrict(user, action)  # type: ignore[return-value]
        profile = profile_of(user)
        if is_admin(user) or (profile is not None and profile.role in EDITING_ROLES):
            return self.all()
        if profile is not None and profile.role in REPORTING_ROLES and profile.country_id:
            return self.filter(document__parties=profile.country_id).distinct()
        return self.none()


class StatusReportQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> StatusReportQuerySet:
        """Reports are public; their author and administrators correct them."""
        if action != CHANGE:
            return super().restrict(user, action)  # type: ignore[return-value]
        if is_admin(user):
            return self.all()
        if user is not None and getattr(user, "is_authenticated", False):
            return self.filter(author=user)
        return self.none()


class Document(TrackedModel, SourcedModel):
    ref = models.SlugField(_("reference"), max_length=60, unique=True, null=True, blank=True,
                           help_text=_("Stable key of a document loaded from a file (e.g. the demo)."))
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=500)
    title_en = models.CharField(_("title in English"), max_length=500, blank=True)
    short_title = models.CharField(_("short title"), max_length=120, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=300, blank=True)
    parties = models.ManyToManyField("reference.Country", blank=True, related_name="plan_documents",
                                     verbose_name=_("parties (countries)"))
    other_parties = models.CharField(
        _("other parties"), max_length=500, blank=True,
        help_text=_("Regions and organisations that are parties, e.g. 'Pskov Oblast; UNIDO'."),
    )
    number = models.CharField(_("number"), max_length=60, blank=True)
    signed = models.DateField(_("signed"), null=True, blank=True)
    in_force = models.DateField(_("in force from"), null=True, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    url = models.URLField(_("link to the text"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    reporting_period_months = models.PositiveSmallIntegerField(
        _("reporting period (months)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    declared_measures = models.PositiveIntegerField(
        _("measures declared"), null=True, blank=True,
        help_text=_("Number of measures the document is reported to contain, when they are not all entered."),
    )
    declared_done_share = models.DecimalField(
        _("share done (declared)"), max_digits=4, decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Implementation share reported by an outside source, e.g. 0.333 for 'a third'."),
    )
    declared_as_of = models.DateField(_("declared as of"), null=True, blank=True)
    write_rules = PROVENANCE  # who writes what: coopnet.core.fieldrules
    history = HistoricalRecords(m2m_fields=[parties])

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ("-period_start", "-signed", "title")
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.short_title or self.display_title

    def get_absolute_url(self) -> str:
        return reverse("plans:document", args=[self.pk])

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})

    @property
    def display_title(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "en").startswith("en") and self.title_en:
            return self.title_en
        return self.title

    @property
    def years(self) -> str:
        if self.period_start and self.period_end:
            if self.period_start.year == self.period_end.year:
                return str(self.period_start.year)
            return f"{self.period_start.year}–{self.period_end.year}"
        d = self.period_start or self.signed or self.in_force
        return str(d.year) if d else ""

    def previous_document(self) -> Document | None:
        link = self.links_out.filter(kind=LinkKind.REPLACES).select_related("to_document").first()
        return link.to_document if link else None


class DocumentLink(TrackedModel, SourcedModel):
    from_document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_out",
                                      verbose_name=_("document"))
    kind = models.CharField(_("link"), max_length=20, choices=LinkKind.choices)
    to_document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_in",
                                    verbose_name=_("linked document"))
    history = HistoricalRecords()

    class Meta:
        ordering = ("from_document", "kind")
        constraints = [
            models.UniqueConstraint(fields=("from_document", "kind", "to_document"), name="plans_link_unique"),
            models.CheckConstraint(condition=~models.Q(from_document=models.F("to_document")),
                                   name="plans_link_not_self"),
        ]
        verbose_name = _("document link")

    def __str__(self) -> str:
        return f"{self.from_document} {self.get_kind_display()} {self.to_document}"


class Direction(TrackedModel, SourcedModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="directions")
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=500)
    title_en = models.CharField(_("title in English"), max_length=500, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = DirectionQuerySet.as_manager()

    class Meta:
        ordering = ("document", "order", "number")
        verbose_name = _("direction")

    def __str__(self) -> str:
        return f"{self.number}. {self.display_title}" if self.number else self.display_title

    @property
    def display_title(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "en").startswith("en") and self.title_en:
            return self.title_en
        return self.title


class Measure(TrackedModel, SourcedModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="measures")
    direction = models.ForeignKey(Direction, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="measures")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=_("part of"))
    number = models.CharField(_("number"), max_length=20)
    text = models.TextField(_("text"))
    text_en = models.TextField(_("text in English"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    expected_result = models.TextField(_("expected result"), blank=True)
    indicator = models.TextField(_("indicator"), blank=True)
    risk_assessment = models.TextField(_("risk assessment"), blank=True)
    linked_projects = models.TextField(_("linked projects"), blank=True,
                                       help_text=_("Joint projects carrying out the measure that are not in "
                                                   "the financing register, one per line."))
    projects = models.ManyToManyField(
        "financing.Application", blank=True, related_name="plan_measures", verbose_name=_("joint projects"),
        help_text=_("Joint projects of the financing register that carry out the measure."),
    )
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices,
                              default=MeasureStatus.PLANNED, db_index=True,
                              help_text=_("Kept equal to the latest status report."))
    order = models.PositiveIntegerField(_("order"), default=0)
    #: who writes what (coopnet.core.fieldrules)
    write_rules = {"document": set_on_create(_("A measure cannot move to another document.")), **PROVENANCE}
    history = HistoricalRecords(m2m_fields=[projects])

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ("document", "order", "pk")
        constraints = [models.UniqueConstraint(fields=("document", "number"), name="plans_measure_number_unique")]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return f"{self.number} {self.display_text[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("plans:measure", args=[self.pk])

    @property
    def display_text(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "en").startswith("en") and self.text_en:
            return self.text_en
        return self.text

    def refresh_status(self) -> None:
        """Set `status` to that of the latest report (by date, then by filing order)."""
        latest = self.reports.order_by("-date", "-pk").first()
        status = latest.status if latest else MeasureStatus.PLANNED
        if status != self.status:
            self.status = status
            self.save(update_fields=["status", "updated"])


class ResponsibleBody(TrackedModel):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="responsible")
    side = models.CharField(_("side"), max_length=10,
                            help_text=_("Country code of the side (RU, BY …), as in the document's parties."))
    body = models.CharField(_("body"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ("measure", "side", "body")
        verbose_name = _("responsible body")
        verbose_name_plural = _("responsible bodies")

    def __str__(self) -> str:
        return f"{self.side}: {self.body}"


class ControlPoint(TrackedModel):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="control_points")
    date = models.DateField(_("date"))
    description = models.CharField(_("what is checked"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("measure", "date")
        verbose_name = _("control point")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.description}"


class StatusReport(TrackedModel, SourcedModel):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="reports")
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices)
    evidence = models.TextField(_("evidence"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="plan_reports", verbose_name=_("author"))
    author_name = models.CharField(_("reported by"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = StatusReportQuerySet.as_manager()

    class Meta:
        ordering = ("measure", "date", "pk")
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_status_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self.measure.refresh_status()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        measure = self.measure
        out = super().delete(*args, **kwargs)
        measure.refresh_status()
        return out
