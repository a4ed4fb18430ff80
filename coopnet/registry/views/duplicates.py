"""Duplicate review: pairs with their confidence and reasons; confirm, reject or merge."""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopnet.accounts.roles import has_role, profile_of

from ..dedupe import decide
from ..models import DuplicateCandidate
from ..models.duplicates import DuplicateStatus

REVIEW_ROLES = ("admin", "contact_point")


def reviewable(user: Any) -> Any:
    """Pairs the user may decide: all for an administrator, their country's for a contact point."""
    qs = DuplicateCandidate.objects.select_related("organisation_a__country", "organisation_b__country",
                                                   "decided_by")
    if user.is_superuser or has_role(user, "admin") and not _contact_point_country(user):
        return qs
    country = _contact_point_country(user)
    if country:
        return qs.filter(Q(organisation_a__country_id=country) | Q(organisation_b__country_id=country))
    return qs.none()


def _contact_point_country(user: Any) -> str | None:
    profile = profile_of(user)
    if profile is not None and profile.role == "contact_point":
        return str(profile.country_id) if profile.country_id else None
    return None


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, *REVIEW_ROLES):
        raise PermissionDenied
    status = request.GET.get("status") or "open"
    qs = reviewable(request.user)
    if status == "open":
        qs = qs.filter(status__in=[DuplicateStatus.PENDING, DuplicateStatus.AUTOMATIC],
                       organisation_a__merged_into__isnull=True, organisation_b__merged_into__isnull=True)
    elif status in DuplicateStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-confidence", "pk"), 25).get_page(request.GET.get("page"))
    return render(request, "registry/duplicate_list.html", {
        "page": page, "status": status, "statuses": DuplicateStatus.choices,
    })


@login_required
@require_POST
def duplicate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    if not has_role(request.user, *REVIEW_ROLES):
        raise PermissionDenied
    cand = get_object_or_404(reviewable(request.user), pk=pk)
    action = request.POST.get("action", "")
    keep = request.POST.get("keep", "a")
    try:
        decide(cand, action, user=request.user, keep=keep if keep in ("a", "b") else "a")
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("registry:duplicates")
    messages.success(request, _("Decision saved: %(status)s.") % {"status": cand.get_status_display()})
    return redirect("registry:duplicates")
