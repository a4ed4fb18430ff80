"""Registry pages: the list with filters, an organisation's page, editing, history and the competency map."""
from __future__ import annotations

from itertools import chain
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import DeleteView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from coopnet.core.mixins import ChangeViewMixin, RestrictedQuerysetMixin
from coopnet.core.querysets import CHANGE

from ..filtersets import OrganisationFilterSet
from ..forms import CompetencyForm, CompetencyMapForm, LinkForm, OrganisationForm, OrganisationNameForm, SiteForm
from ..mapdata import competency_map_data
from ..models import Competency, Link, Organisation, Site
from ..tables import OrganisationTable


class OrganisationListView(RestrictedQuerysetMixin, SingleTableMixin, FilterView):
    model = Organisation
    table_class = OrganisationTable
    filterset_class = OrganisationFilterSet
    template_name = "registry/organisation_list.html"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("country", "region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from coopnet.accounts.roles import has_role

        context = super().get_context_data(**kwargs)
        context["can_curate"] = has_role(self.request.user, "admin", "contact_point")
        return context


def resolve_organisation(public_id: str) -> tuple[Organisation, bool]:
    """The organisation behind a public ID, following merges; True when the ID is an old one."""
    org = Organisation.objects.filter(public_id=public_id).first()
    moved = False
    if org is None:
        alias_model = _alias_model()
        alias = alias_model.objects.filter(public_id=public_id).first() if alias_model else None
        if alias is None:
            raise Http404(_("No organisation has this public ID."))
        org, moved = alias.organisation, True
    seen = {org.pk}
    while org.merged_into_id:  # follow a chain of merges to the surviving record
        org, moved = org.merged_into, True
        if org.pk in seen:
            break
        seen.add(org.pk)
    return org, moved


def _alias_model() -> Any:
    from .. import models

    return getattr(models, "PublicIdAlias", None)


def organisation_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    org, moved = resolve_organisation(public_id)
    if moved:
        return HttpResponseRedirect(org.get_absolute_url())
    org = (Organisation.objects.restrict(request.user).select_related("country", "region")
           .prefetch_related("names", "competencies",
                             Prefetch("sites", queryset=Site.objects.select_related("country", "partner")),
                             Prefetch("links", queryset=Link.objects.select_related("partner__country")),
                             Prefetch("incoming_links", queryset=Link.objects.select_related("organisation__country")))
           .get(pk=org.pk))
    can_change = Organisation.objects.restrict(request.user, CHANGE).filter(pk=org.pk).exists()
    return render(request, "registry/organisation_detail.html", {
        "org": org, "can_change": can_change, "history": organisation_history(org)[:30],
    })


def organisation_history(org: Organisation) -> list[Any]:
    """Every recorded change of the organisation and of its names, lines, sites and links, newest first."""
    records = chain(
        org.history.select_related("history_user"),
        Competency.history.filter(organisation_id=org.pk).select_related("history_user"),
        Site.history.filter(organisation_id=org.pk).select_related("history_user"),
        Link.history.filter(organisation_id=org.pk).select_related("history_user"),
        org.names.model.history.filter(organisation_id=org.pk).select_related("history_user"),
    )
    return sorted(records, key=lambda r: r.history_date, reverse=True)


def history_page(request: HttpRequest, public_id: str) -> HttpResponse:
    org, _moved = resolve_organisation(public_id)
    records = organisation_history(org)
    rows = []
    for record in records:
        prev = record.prev_record
        changes = record.diff_against(prev).changes if prev is not None else []
        rows.append({"record": record, "model": record.instance_type._meta.verbose_name, "changes": changes})
    return render(request, "registry/organisation_history.html", {"org": org, "rows": rows})


class OrganisationUpdateView(ChangeViewMixin, UpdateView):
    model = Organisation
    form_class = OrganisationForm
    slug_field = "public_id"
    slug_url_kwarg = "public_id"
    template_name = "registry/form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: OrganisationForm) -> HttpResponse:
        messages.success(self.request, _("Saved."))
        return super().form_valid(form)


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    from coopnet.accounts.roles import has_role, profile_of

    if not has_role(request.user, "admin", "contact_point"):
        raise PermissionDenied(_("Only national contact points and administrators add organisations."))
    form = OrganisationForm(request.POST or None, user=request.user)
    profile = profile_of(request.user)
    if request.method == "POST" and form.is_valid():
        org = form.save(commit=False)
        if profile is not None and profile.role == "contact_point" and org.country_id != profile.country_id:
            form.add_error("country", _("A national contact point adds organisations of its own country."))
        else:
            org.save()
            messages.success(request, _("Organisation added."))
            return redirect(org)
    return render(request, "registry/form.html", {"form": form, "title": _("New organisation")})


def _changeable(request: HttpRequest, public_id: str) -> Organisation:
    return get_object_or_404(Organisation.objects.restrict(request.user, CHANGE), public_id=public_id)


CHILD_FORMS: dict[str, tuple[type, Any]] = {
    "competency": (CompetencyForm, Competency),
    "site": (SiteForm, Site),
    "link": (LinkForm, Link),
    "name": (OrganisationNameForm, None),
}


@login_required
def child_edit(request: HttpRequest, public_id: str, kind: str, pk: int | None = None) -> HttpResponse:
    """Add or edit a competency, site, link or name of an organisation the user may change."""
    if kind not in CHILD_FORMS:
        raise Http404
    org = _changeable(request, public_id)
    form_class, _model = CHILD_FORMS[kind]
    model = form_class._meta.model
    instance = get_object_or_404(model, pk=pk, organisation=org) if pk else model(organisation=org)
    form = form_class(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(org)
    title = f"{org.display_name}: {model._meta.verbose_name}"
    return render(request, "registry/form.html", {"form": form, "title": title, "org": org})


class CompetencyDeleteView(ChangeViewMixin, DeleteView):
    model = Competency
    template_name = "registry/confirm_delete.html"

    def get_success_url(self) -> str:
        return self.object.organisation.get_absolute_url()


@require_GET
def competency_map(request: HttpRequest) -> HttpResponse:
    form = CompetencyMapForm(request.GET or None)
    data = None
    if form.is_valid() and form.cleaned_data.get("code"):
        data = competency_map_data(form.cleaned_data["scheme"], form.cleaned_data["code"])
        if data.get("error"):
            form.add_error("code", data["error"])
            data = None
    totals = (Organisation.objects.active().values("country_id")
              .annotate(n=Count("pk")).order_by("country_id"))
    return render(request, "registry/competency_map.html", {"form": form, "data": data, "totals": totals})


@require_GET
def competency_map_json(request: HttpRequest) -> JsonResponse:
    scheme = request.GET.get("scheme", "hs")
    code = (request.GET.get("code") or "").strip()
    if scheme not in ("hs", "nace") or not code:
        return JsonResponse({"error": _("Give scheme=hs|nace and a code.")}, status=400)
    data = competency_map_data(scheme, code)
    return JsonResponse(data, status=400 if data.get("error") else 200)


def by_ref(request: HttpRequest, ref: str) -> HttpResponse:
    org = get_object_or_404(Organisation, ref=ref)
    return redirect(reverse("registry:organisation", kwargs={"public_id": org.public_id}))
