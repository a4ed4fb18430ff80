"""Joint cooperation projects and their financing: rules, base rates, applications, budget, monitoring.

Regulation parameters are rows with effective dates (:class:`RuleSetVersion`, :class:`BaseRate`,
:class:`ApprovedLender`, :class:`BudgetEnvelope`); the arithmetic lives in
``coopnet.logic.financing`` and is called through :mod:`coopnet.financing.services`.
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coopnet.accounts.roles import has_role, profile_of
from coopnet.core.models import SourcedModel, TrackedModel
from coopnet.core.querysets import CHANGE, VIEW, RestrictedQuerySet, is_admin
from coopnet.core.storage import private_files
from coopnet.logic.financing.rules import DAY_COUNTS, MEMBER_CURRENCIES, RuleSet

from .choices import Currency, DayCount, Decision, FlowKind, ParticipantRole, Stage

MONEY = {"max_digits": 20, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 4}
SHARE = {"max_digits": 7, "decimal_places": 4}


class Industry(TrackedModel):
    """An industry on the list set by the heads of government (code used by rule sets and files)."""

    code = models.SlugField(_("code"), max_length=50, primary_key=True)
    name_en = models.CharField(_("name in English"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "ru").startswith("ru") and self.name_ru:
            return self.name_ru
        return self.name_en


class RuleSetVersion(TrackedModel, SourcedModel):
    """One version of the subsidy rules, in force from ``effective_from`` until the next version."""

    name = models.CharField(_("name"), max_length=300)
    effective_from = models.DateField(_("in force from"), unique=True)
    min_member_states = models.PositiveSmallIntegerField(_("minimum member states"), default=3)
    max_duration_years = models.PositiveSmallIntegerField(_("maximum duration, years"), default=5)
    currencies = models.JSONField(_("loan currencies"), default=list,
                                  help_text=_("ISO 4217 codes, e.g. [\"RUB\", \"BYN\"]."))
    margin_pp = models.DecimalField(_("rate margin over the base rate, pp"), default=Decimal("6.5"), **RATE)
    subsidised_share = models.DecimalField(
        _("share of the base rate subsidised"), default=Decimal("1"), **SHARE,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("A fraction: 1 means the whole base rate, 0.5 half of it."),
    )
    annual_cap_rub = models.DecimalField(_("annual cap per project, RUB"), default=Decimal("350000000"),
                                         **MONEY)
    industries = models.ManyToManyField(Industry, verbose_name=_("industries"), related_name="rule_sets")
    min_cost_rub = models.DecimalField(_("minimum project cost, RUB"), null=True, blank=True,
                                       help_text=_("Off while empty."), **MONEY)
    min_partner_supply_share = models.DecimalField(
        _("minimum share of supplies from partner states"), null=True, blank=True, **SHARE,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("A fraction; off while empty."),
    )
    day_count = models.CharField(_("day count"), max_length=8, choices=DayCount.choices,
                                 default=DayCount.ACT_365)
    budget_share_pct = models.DecimalField(
        _("budget share of duties revenue, %"), default=Decimal("10"), **RATE,
        help_text=_("Share of the previous year's special, anti-dumping and countervailing duties."),
    )
    history = HistoricalRecords(m2m_fields=[industries])

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from.isoformat()})"

    def clean(self) -> None:
        super().clean()
        bad = [c for c in self.currencies or [] if not isinstance(c, str) or len(c) != 3]
        if bad or not isinstance(self.currencies, list):
            raise ValidationError({"currencies": _("A list of three-letter currency codes.")})
        if self.day_count not in DAY_COUNTS:
            raise ValidationError({"day_count": _("Unknown day count.")})

    def to_rules(self, lenders: tuple[str, ...] = ()) -> RuleSet:
        return RuleSet(
            effective_from=self.effective_from,
            min_member_states=self.min_member_states,
            max_duration_years=self.max_duration_years,
            currencies=tuple(self.currencies or MEMBER_CURRENCIES),
            margin_pp=self.margin_pp,
            subsidised_share=self.subsidised_share,
            annual_cap_rub=self.annual_cap_rub,
            industries=tuple(sorted(i.code for i in self.industries.all())),
            lenders=lenders,
            min_cost_rub=self.min_cost_rub,
            min_partner_supply_share=self.min_partner_supply_share,
            day_count=self.day_count,  # type: ignore[arg-type]
            name=self.name,
        )


class ApprovedLenderQuerySet(RestrictedQuerySet):
    def on(self, day: Any) -> ApprovedLenderQuerySet:
        """Lenders on the list on ``day``."""
        return self.filter(Q(approved_on__isnull=True) | Q(approved_on__lte=day)).filter(
            Q(removed_on__isnull=True) | Q(removed_on__gt=day)
        )


class ApprovedLender(TrackedModel, SourcedModel):
    """A financial organisation on the list approved by the EEC Council."""

    name = models.CharField(_("name"), max_length=300)
    aliases = models.JSONField(_("other names"), default=list, blank=True,
                               help_text=_("Other spellings matched as the same lender."))
    country = models.ForeignKey("reference.Country", verbose_name=_("country"), on_delete=models.PROTECT,
                                related_name="approved_lenders")
    organisation = models.ForeignKey("registry.Organisation", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="lender_listings")
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)

    objects = ApprovedLenderQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["country_id", "name"]
        verbose_name = _("approved lender")
        verbose_name_plural = _("approved lenders")
        constraints = [models.UniqueConstraint(fields=["country", "name"], name="financing_lender_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def names(self) -> list[str]:
        return [self.name, *[a for a in self.aliases or [] if isinstance(a, str)]]


class BaseRate(TrackedModel, SourcedModel):
    """A central bank's base rate (key / refinancing / discount rate), in force from ``date``."""

    country = models.ForeignKey("reference.Country", verbose_name=_("country"), on_delete=models.PROTECT,
                                related_name="base_rates")
    date = models.DateField(_("in force from"))
    rate = models.DecimalField(_("rate, % a year"), **RATE,
                               validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1000))])
    history = HistoricalRecords()

    class Meta:
        ordering = ["country_id", "-date"]
        verbose_name = _("base rate")
        verbose_name_plural = _("base rates")
        constraints = [models.UniqueConstraint(fields=["country", "date"], name="financing_base_rate_unique")]

    def __str__(self) -> str:
        return f"{self.country_id} {self.date.isoformat()} {self.rate}%"


class ApplicationQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = VIEW) -> ApplicationQuerySet:
        """The Commission and administrators see every application; a bank its own; an enterprise
        those it takes part in. Changing (editing a returned application) is the submitting bank's."""
        if action not in (VIEW, CHANGE):
            raise ValueError(f"unknown action {action!r}")
        if is_admin(user) or has_role(user, "commission"):
            return self.all()
        profile = profile_of(user)
        if profile is None or not profile.organisation_id:
            return self.none()
        if profile.role == "bank":
            mine = self.filter(bank_id=profile.organisation_id)
            return mine if action == VIEW else mine.filter(stage=Stage.RETURNED)
        if profile.role == "enterprise" and action == VIEW:
            return self.filter(participants__organisation_id=profile.organisation_id).distinct()
        return self.none()

    def approved(self) -> ApplicationQuerySet:
        """The public register of approved projects."""
        return self.filter(stage=Stage.APPROVED)


class Application(TrackedModel, SourcedModel):
    """A joint cooperation project submitted by a bank for the interest-rate subsidy."""

    reference = models.CharField(_("reference"), max_length=30, unique=True, null=True, blank=True,
                                 editable=False)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    industry = models.ForeignKey(Industry, verbose_name=_("industry"), on_delete=models.PROTECT,
                                 related_name="applications")
    bank = models.ForeignKey("registry.Organisation", verbose_name=_("submitting bank"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="financing_applications",
                             help_text=_("Empty when the submitting bank is not public."))
    lender_name = models.CharField(_("lender"), max_length=300,
                                   help_text=_("The financial organisation that lends (usually the bank)."))
    lender_country = models.ForeignKey("reference.Country", verbose_name=_("lender's country"),
                                       on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(_("loan currency"), max_length=3, choices=Currency.choices,
                                default=Currency.RUB)
    loan_rate = models.DecimalField(_("borrower's rate, % a year"), **RATE,
                                    validators=[MinValueValidator(Decimal(0))])
    fx_rub = models.DecimalField(_("RUB per unit of the loan currency"), null=True, blank=True,
                                 max_digits=20, decimal_places=8,
                                 help_text=_("For the cap of a loan not in roubles."))
    cost_rub = models.DecimalField(_("project cost, RUB"), null=True, blank=True, **MONEY)
    partner_supply_share = models.DecimalField(_("share of supplies from partner states"), null=True,
                                               blank=True, **SHARE)
    application_date = models.DateField(_("application date"))
    start = models.DateField(_("project start"))
    completion = models.DateField(_("project completion"))
    maturity = models.DateField(_("loan maturity"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices, default=Stage.SUBMITTED,
                             db_index=True)
    stage_changed = models.DateTimeField(_("stage changed"), default=timezone.now)
    planned_output_rub = models.DecimalField(_("planned output a year, RUB"), null=True, blank=True, **MONEY)
    planned_jobs = models.PositiveIntegerField(_("planned jobs"), null=True, blank=True)
    planned_mutual_supplies_rub = models.DecimalField(_("planned mutual supplies a year, RUB"), null=True,
                                                      blank=True, **MONEY)
    planned_taxes_rub = models.DecimalField(_("planned taxes a year, RUB"), null=True, blank=True, **MONEY)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-application_date", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.reference or '—'} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("financing:application", kwargs={"pk": self.pk})

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        if not self.reference:
            self.reference = f"EAEU-{self.application_date.year}-{self.pk:04d}"
            type(self).objects.filter(pk=self.pk).update(reference=self.reference)

    def clean(self) -> None:
        super().clean()
        if self.start and self.completion and self.completion < self.start:
            raise ValidationError({"completion": _("Completion is before the start.")})

    @property
    def loan_amount(self) -> Decimal:
        return sum((f.amount for f in self.flows.all() if f.kind == FlowKind.DRAWDOWN), Decimal(0))


class ApplicationParticipant(TrackedModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey("registry.Organisation", verbose_name=_("organisation"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="financing_roles")
    name = models.CharField(_("name"), max_length=500)
    country = models.ForeignKey("reference.Country", verbose_name=_("country"), on_delete=models.PROTECT,
                                related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices,
                            default=ParticipantRole.PARTNER)
    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.name} ({self.country_id}, {self.get_role_display()})"


class LoanFlow(TrackedModel):
    """A drawdown or repayment of the loan's principal, in the loan's currency."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="flows")
    kind = models.CharField(_("kind"), max_length=10, choices=FlowKind.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "date", "kind"]
        verbose_name = _("loan flow")
        verbose_name_plural = _("loan flows")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date.isoformat()} {self.amount}"


def document_path(instance: ApplicationDocument, filename: str) -> str:
    return f"financing/applications/{instance.application_id}/{filename}"


class ApplicationDocument(TrackedModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=document_path, storage=private_files, blank=True,
                            help_text=_("Served only to those who may see the application, as a download."))
    url = models.URLField(_("link"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url or reverse("financing:document", kwargs={"pk": self.pk})

    @property
    def filename(self) -> str:
        return os.path.basename(self.file.name) if self.file else ""

    def clean(self) -> None:
        super().clean()
        if not self.file and not self.url:
            raise ValidationError(_("Attach a file or give a link."))


class StageTransition(models.Model):
    """One decision on an application: who took it, when, from which stage to which, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    from_stage = models.CharField(_("from stage"), max_length=30, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=30, choices=Stage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("actor (as recorded)"), max_length=300, blank=True)
    at = models.DateTimeField(_("date"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    subsidy_total_rub = models.DecimalField(_("subsidy at the decision, RUB"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["application", "at", "pk"]
        verbose_name = _("stage transition")
        verbose_name_plural = _("stage transitions")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_stage or '—'} → {self.to_stage} ({self.decision})"


class BudgetEnvelope(TrackedModel, SourcedModel):
    """The year's money for subsidies: the previous year's duties revenue × the share parameter."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    duties_revenue_rub = models.DecimalField(_("previous year's duties revenue, RUB"), **MONEY)
    share_pct = models.DecimalField(_("share, %"), default=Decimal("10"), **RATE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        verbose_name = _("budget envelope")
        verbose_name_plural = _("budget envelopes")

    def __str__(self) -> str:
        return f"{self.year}: {self.amount:,.2f} RUB"

    @property
    def amount(self) -> Decimal:
        return (self.duties_revenue_rub * self.share_pct / 100).quantize(Decimal("0.01"))

    @property
    def committed(self) -> Decimal:
        total = Commitment.objects.filter(year=self.year).aggregate(s=Sum("amount_rub"))["s"]
        return total or Decimal("0.00")

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.committed


class Commitment(TrackedModel):
    """The subsidy an approved application will draw from a year's envelope, in RUB."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="commitments")
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    amount_rub = models.DecimalField(_("amount, RUB"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "application"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [models.UniqueConstraint(fields=["application", "year"], name="financing_commit_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.application_id} {self.amount_rub}"


class MonitoringReport(TrackedModel):
    """What an approved project reports for a year, compared with its plan."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    subsidy_paid = models.DecimalField(_("subsidy paid"), null=True, blank=True, **MONEY)
    output_rub = models.DecimalField(_("output, RUB"), null=True, blank=True, **MONEY)
    jobs = models.PositiveIntegerField(_("jobs"), null=True, blank=True)
    mutual_supplies_rub = models.DecimalField(_("mutual supplies, RUB"), null=True, blank=True, **MONEY)
    taxes_rub = models.DecimalField(_("taxes paid, RUB"), null=True, blank=True, **MONEY)
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "year"]
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        constraints = [models.UniqueConstraint(fields=["application", "year"], name="financing_report_unique")]

    def __str__(self) -> str:
        return f"{self.application} — {self.year}"
