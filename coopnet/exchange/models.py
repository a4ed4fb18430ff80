"""The cooperation exchange: opportunities (EEN-style and subcontracting RFQs), expressions of interest,
outcomes, and saved partner searches."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coopnet.accounts.roles import profile_of
from coopnet.core.models import SourcedModel, TrackedModel
from coopnet.core.querysets import CHANGE, RestrictedQuerySet, is_admin

from .choices import Direction, InterestStatus, OpportunityKind, Outcome, Status

DEFAULT_DAYS = 180
PARTNER_NOT_AGREED = _("Name as the partner an organisation whose interest you accepted.")


class TransitionError(ValidationError):
    """A lifecycle step that is not allowed from the current status (the message says why)."""


def _scope(user: Any) -> tuple[bool, str | None, int | None, str | None]:
    """(admin, contact point's country, user's organisation id, role)."""
    if is_admin(user):
        return True, None, None, "admin"
    profile = profile_of(user)
    if profile is None:
        return False, None, None, None
    cp_country = profile.country_id if profile.role == "contact_point" else None
    return False, cp_country, profile.organisation_id, profile.role


class OpportunityQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> OpportunityQuerySet:
        """Published opportunities are public. Owners see and change their own; a national contact point
        sees and reviews its country's; administrators everything."""
        admin, cp_country, org_id, _role = _scope(user)
        if admin:
            return self.all()
        if action == CHANGE:
            cond = Q(pk__in=[])
        else:
            cond = Q(status__in=[Status.PUBLISHED, Status.CLOSED, Status.EXPIRED])
        if org_id:
            cond |= Q(organisation_id=org_id)
        if cp_country:
            cond |= Q(country_id=cp_country) & ~Q(status=Status.DRAFT)
        return self.filter(cond)

    def published(self) -> OpportunityQuerySet:
        today = timezone.localdate()
        return self.filter(status=Status.PUBLISHED).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))

    def review_queue(self, user: Any) -> OpportunityQuerySet:
        admin, cp_country, _org, _role = _scope(user)
        qs = self.filter(status=Status.REVIEW)
        if admin:
            return qs
        if cp_country:
            return qs.filter(country_id=cp_country)
        return qs.none()


class Opportunity(TrackedModel, SourcedModel):
    """A typed request or offer on the exchange, reviewed by the national contact point before publication."""

    kind = models.CharField(_("type"), max_length=16, choices=OpportunityKind.choices, default=OpportunityKind.BUSINESS)
    direction = models.CharField(
        _("request or offer"), max_length=8, choices=Direction.choices, default=Direction.REQUEST
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), help_text=_("What is needed or offered, in Russian or English."))
    organisation = models.ForeignKey(
        "registry.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="opportunities"
    )
    country = models.ForeignKey(
        "reference.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="opportunities",
        editable=False,
    )
    hs_codes = models.CharField(
        _("HS / TN VED codes"), max_length=300, blank=True, help_text=_("Separated by ';', e.g. 8408; 8409.")
    )
    nace_codes = models.CharField(_("NACE / OKVED2 codes"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=16, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    certifications = models.CharField(
        _("certifications required"),
        max_length=500,
        blank=True,
        help_text=_("e.g. TR CU 018/2011; ISO 9001 — separated by ';'."),
    )
    countries_wanted = models.CharField(
        _("partner countries wanted"),
        max_length=100,
        blank=True,
        help_text=_("Two-letter codes separated by ',' (empty: any)."),
    )
    countries_excluded = models.CharField(_("countries excluded"), max_length=100, blank=True)
    # subcontracting request for quotation (SPX)
    part_name = models.CharField(_("part"), max_length=300, blank=True)
    drawing_ref = models.CharField(_("drawing / specification reference"), max_length=200, blank=True)
    material = models.CharField(_("material"), max_length=200, blank=True)
    tolerances = models.CharField(_("tolerances"), max_length=200, blank=True)
    deadline = models.DateField(_("delivery deadline"), null=True, blank=True)
    # lifecycle
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    outcome_partner = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("agreement partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = OpportunityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "-created"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [models.Index(fields=["status", "country"]), models.Index(fields=["kind", "direction"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(outcome=""),
                name="exchange_closed_has_outcome",
                violation_error_message=_("A closed opportunity needs an outcome."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:opportunity", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        from coopnet.logic.codes import CodeError, normalise_hs, normalise_nace

        from .engine import split

        for field, fn in (("hs_codes", normalise_hs), ("nace_codes", normalise_nace)):
            try:
                setattr(self, field, "; ".join(fn(c) for c in split(getattr(self, field))))
            except CodeError as exc:
                raise ValidationError({field: str(exc)}) from exc
        for field in ("countries_wanted", "countries_excluded"):
            codes = [c.strip().upper() for c in getattr(self, field).replace(";", ",").split(",") if c.strip()]
            if any(len(c) != 2 or not c.isalpha() for c in codes):
                raise ValidationError({field: _("Use two-letter country codes separated by commas, e.g. BY, KZ.")})
            setattr(self, field, ", ".join(codes))
        if self.kind == OpportunityKind.SUBCONTRACTING and not self.part_name:
            raise ValidationError({"part_name": _("A subcontracting request names the part.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.organisation_id and not self.country_id:
            self.country_id = self.organisation.country_id
        super().save(*args, **kwargs)

    # ---------------------------------------------------------------- lifecycle
    def _move(self, allowed: tuple[str, ...], target: str, message: str) -> None:
        if self.status not in allowed:
            raise TransitionError(message % {"status": self.get_status_display()})
        self.status = target

    def submit(self) -> None:
        self._move(
            (Status.DRAFT, Status.CHANGES),
            Status.REVIEW,
            str(_("Only a draft or an opportunity with changes requested can be sent for review (it is %(status)s).")),
        )
        self.save()

    def approve(self, user: Any, days: int = DEFAULT_DAYS) -> None:
        self._move(
            (Status.REVIEW,),
            Status.PUBLISHED,
            str(_("Only an opportunity under review can be approved (it is %(status)s).")),
        )
        now = timezone.now()
        self.reviewed_by, self.reviewed_at, self.published_at = user, now, now
        self.expires_on = timezone.localdate() + datetime.timedelta(days=days)
        self.review_note = ""
        self.save()

    def request_changes(self, user: Any, reason: str) -> None:
        if not reason.strip():
            raise TransitionError(_("Say what should change."))
        self._move(
            (Status.REVIEW,),
            Status.CHANGES,
            str(_("Only an opportunity under review can be sent back (it is %(status)s).")),
        )
        self.reviewed_by, self.reviewed_at, self.review_note = user, timezone.now(), reason.strip()
        self.save()

    def reject(self, user: Any, reason: str) -> None:
        if not reason.strip():
            raise TransitionError(_("Give the reason for the rejection."))
        self._move(
            (Status.REVIEW,),
            Status.REJECTED,
            str(_("Only an opportunity under review can be rejected (it is %(status)s).")),
        )
        self.reviewed_by, self.reviewed_at, self.review_note = user, timezone.now(), reason.strip()
        self.save()

    def expire_if_due(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        if self.status == Status.PUBLISHED and self.expires_on and self.expires_on < today:
            self.status = Status.EXPIRED
            self.save()
            return True
        return False

    def renew(self, days: int = DEFAULT_DAYS) -> None:
        self._move(
            (Status.PUBLISHED, Status.EXPIRED),
            Status.PUBLISHED,
            str(_("Only a published or expired opportunity can be renewed (it is %(status)s).")),
        )
        self.expires_on = timezone.localdate() + datetime.timedelta(days=days)
        self.save()

    def agreed_partners(self) -> Any:
        """Organisations whose interest the owner accepted: the only ones an outcome may name (an anonymous or
        brokered interest stays anonymous until both sides agree)."""
        from coopnet.registry.models import Organisation

        agreed = self.interests.filter(status__in=[InterestStatus.ACCEPTED, InterestStatus.AGREEMENT])
        return Organisation.objects.filter(pk__in=agreed.values("organisation_id"))

    def close(self, outcome: str, partner: Any = None, note: str = "") -> None:
        if outcome not in Outcome.values:
            raise TransitionError(_("Choose an outcome."))
        if partner is not None and not self.agreed_partners().filter(pk=partner.pk).exists():
            raise TransitionError(PARTNER_NOT_AGREED)
        self._move(
            (Status.PUBLISHED, Status.EXPIRED),
            Status.CLOSED,
            str(_("Only a published or expired opportunity can be closed (it is %(status)s).")),
        )
        self.outcome, self.outcome_partner, self.outcome_note = outcome, partner, note
        self.closed_at = timezone.now()
        with transaction.atomic():
            self.save()
            if partner is not None and outcome != Outcome.NO_AGREEMENT:
                self.interests.filter(organisation=partner).update(status=InterestStatus.AGREEMENT)

    @property
    def is_open(self) -> bool:
        return self.status == Status.PUBLISHED and (self.expires_on is None or self.expires_on >= timezone.localdate())

    def code_list(self, field: str) -> list[str]:
        from .engine import split

        return split(getattr(self, field))


class InterestQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> InterestQuerySet:
        """The interested organisation, the opportunity's owner, and the contact points of either country."""
        admin, cp_country, org_id, _role = _scope(user)
        if admin:
            return self.all()
        cond = Q(pk__in=[])
        if org_id:
            cond |= Q(organisation_id=org_id)
            cond |= Q(opportunity__organisation_id=org_id) & ~Q(status=InterestStatus.BROKERING)
        if cp_country:
            cond |= Q(opportunity__country_id=cp_country) | Q(organisation__country_id=cp_country)
        return self.filter(cond)


class Interest(TrackedModel):
    """An organisation's expression of interest in an opportunity, answered by the owner."""

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="interests"
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("interested organisation"),
        on_delete=models.PROTECT,
        related_name="interests",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message"))
    anonymous = models.BooleanField(
        _("anonymous"), default=False, help_text=_("The owner sees the organisation's country only, until accepting.")
    )
    brokered = models.BooleanField(
        _("through the contact point"),
        default=False,
        help_text=_("The national contact point reads it first and forwards it."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InterestStatus.choices, default=InterestStatus.SENT, db_index=True
    )
    reply = models.TextField(_("owner's answer"), blank=True)
    replied_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    broker_note = models.TextField(_("contact point's note"), blank=True)

    objects = InterestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "organisation"],
                name="exchange_one_interest_per_org",
                violation_error_message=_("This organisation has already expressed interest."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.opportunity}"

    def clean(self) -> None:
        super().clean()
        if self.opportunity_id and self.organisation_id and self.opportunity.organisation_id == self.organisation_id:
            raise ValidationError(_("An organisation cannot express interest in its own opportunity."))

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.brokered and self.status == InterestStatus.SENT:
            self.status = InterestStatus.BROKERING
        super().save(*args, **kwargs)

    def shown_to_owner(self) -> str:
        if self.anonymous and self.status not in (InterestStatus.ACCEPTED, InterestStatus.AGREEMENT):
            return str(_("An organisation from %(country)s") % {"country": self.organisation.country_id})
        return self.organisation.name

    def forward(self, note: str = "") -> None:
        if self.status != InterestStatus.BROKERING:
            raise TransitionError(_("Only an interest held by the contact point can be forwarded."))
        self.status, self.broker_note = InterestStatus.FORWARDED, note
        self.save()

    def answer(self, accept: bool, reply: str) -> None:
        if self.status not in (InterestStatus.SENT, InterestStatus.FORWARDED):
            raise TransitionError(_("This interest has already been answered."))
        self.status = InterestStatus.ACCEPTED if accept else InterestStatus.DECLINED
        self.reply, self.replied_at = reply, timezone.now()
        self.save()


class SavedSearch(TrackedModel):
    """A partner search kept by a user; new organisations that fit it are shown as notifications."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(_("name"), max_length=200)
    params = models.JSONField(_("search"), default=dict)
    min_score = models.FloatField(_("minimum score"), default=0.5)
    seen = models.JSONField(_("organisations already notified"), default=list, blank=True)
    last_checked = models.DateTimeField(_("last checked"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.name
