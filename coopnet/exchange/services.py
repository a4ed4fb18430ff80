"""Exchange operations used by the views and the API: who may do what, and the figures of outcomes."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from coopnet.accounts.roles import has_role, profile_of

from .choices import InterestStatus, Outcome, Status
from .models import Interest, Opportunity


def user_organisation(user: Any) -> Any | None:
    profile = profile_of(user)
    return profile.organisation if profile is not None and profile.organisation_id else None


def is_owner(user: Any, opp: Opportunity) -> bool:
    org = user_organisation(user)
    return bool(org is not None and org.pk == opp.organisation_id) or has_role(user, "admin")


def can_review(user: Any, opp: Opportunity) -> bool:
    if has_role(user, "admin"):
        return True
    profile = profile_of(user)
    return bool(profile is not None and profile.role == "contact_point" and profile.country_id == opp.country_id)


def can_broker(user: Any, interest: Interest) -> bool:
    if has_role(user, "admin"):
        return True
    profile = profile_of(user)
    return bool(
        profile is not None
        and profile.role == "contact_point"
        and profile.country_id in (interest.opportunity.country_id, interest.organisation.country_id)
    )


def outcome_figures(queryset: Any = None) -> dict[str, Any]:
    """How many contacts became agreements, and of which type."""
    opps = queryset if queryset is not None else Opportunity.objects.all()
    interests = Interest.objects.filter(opportunity__in=opps)
    contacts = interests.exclude(status__in=[InterestStatus.BROKERING, InterestStatus.DECLINED]).count()
    agreements = interests.filter(status=InterestStatus.AGREEMENT).count()
    by_type = dict(
        opps.filter(status=Status.CLOSED)
        .exclude(outcome=Outcome.NO_AGREEMENT)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    return {
        "interests": interests.count(),
        "contacts": contacts,
        "agreements": agreements,
        "rate": (agreements / contacts) if contacts else None,
        "rate_percent": round(100 * agreements / contacts) if contacts else None,
        "by_type": [(Outcome(k).label, by_type.get(k, 0)) for k in Outcome.values if k != Outcome.NO_AGREEMENT],
        "closed": opps.filter(status=Status.CLOSED).count(),
        "published": opps.filter(Q(status=Status.PUBLISHED)).count(),
    }
