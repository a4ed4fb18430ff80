"""Exchange pages: partner search, opportunities board and review queue, opportunity page with
interests, consortium finder, and the "fits for me" page of an organisation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from coopnet.core.mixins import RestrictedQuerysetMixin
from coopnet.core.querysets import CHANGE
from coopnet.logic.matching import MatchRequestError, parse_bom_csv, parse_lines, run_consortium
from coopnet.logic.matching.service import split_suitable

from . import engine, services
from .choices import Direction, Status
from .filtersets import OpportunityFilterSet
from .forms import AnswerForm, CloseForm, ConsortiumForm, InterestForm, OpportunityForm, ReviewForm, SearchForm
from .models import PARTNER_NOT_AGREED, Interest, Opportunity, SavedSearch, TransitionError
from .tables import OpportunityTable


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results: list[dict[str, Any]] = []
    searched = nothing_suitable = not_ready = False
    if form.is_bound and form.is_valid() and form.cleaned_data.get("request") is not None:
        try:
            good, closest = split_suitable(engine.get_index().match(form.cleaned_data["request"]))
        except MatchRequestError as exc:  # e.g. text with no word in it ("%", "_", "[]")
            form.add_error(None, str(exc))
        except engine.IndexNotReady:
            not_ready = True
            form.add_error(None, _("The partner search is being prepared; try again in a minute."))
        else:
            searched = True
            nothing_suitable = bool(closest)
            matches = good or closest
            from coopnet.registry.models import Organisation

            orgs = {o.pk: o for o in Organisation.objects.filter(pk__in={m.key for m in matches})
                    .select_related("country")}
            for m in matches:
                results.append({"match": m, "org": orgs.get(m.key), "data": m.to_dict()})
    return render(
        request,
        "exchange/search.html",
        {
            "form": form,
            "results": results,
            "searched": searched,
            "nothing_suitable": nothing_suitable,
            "saved_params": search_params(request.GET, form) if searched else {},
            "map_points": [r["data"] for r in results if r["data"]["lat"] is not None],
        },
        status=503 if not_ready else 400 if form.is_bound and form.errors else 200,
    )


def search_params(data: Any, form: SearchForm) -> dict[str, str]:
    """The search as it was asked (the form's own fields, non-empty): what a saved search keeps."""
    return {k: v for k, v in data.items() if k in form.fields and v}


@login_required
@require_POST
def save_search(request: HttpRequest) -> HttpResponse:
    """Keep a partner search (a POST with the search's fields): new organisations that fit it are shown later."""
    form = SearchForm(request.POST)
    if not form.is_valid() or form.cleaned_data.get("request") is None:
        messages.error(request, " ".join(form.non_field_errors()) or _("Give the search to save."))
        return redirect("exchange:search")
    params = search_params(request.POST, form)
    SavedSearch.objects.create(user=request.user, name=(params.get("text") or params.get("hs") or "search")[:200],
                               params=params)
    messages.success(request, _("Search saved: new organisations that fit it will be shown to you."))
    return redirect(f"{reverse('exchange:search')}?{urlencode(params)}")


class BoardView(RestrictedQuerysetMixin, SingleTableMixin, FilterView):
    model = Opportunity
    table_class = OpportunityTable
    filterset_class = OpportunityFilterSet
    template_name = "exchange/board.html"
    paginate_by = 50

    def get_queryset(self) -> Any:
        qs = super().get_queryset().select_related("organisation", "country")
        if not self.request.GET.get("status"):
            qs = qs.filter(status=Status.PUBLISHED)
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["queue"] = Opportunity.objects.review_queue(self.request.user).select_related("organisation")
        ctx["figures"] = services.outcome_figures()
        org = services.user_organisation(self.request.user)
        ctx["mine"] = (
            Opportunity.objects.filter(organisation=org).select_related("organisation") if org is not None else []
        )
        return ctx


def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opp = get_object_or_404(Opportunity.objects.restrict(request.user).select_related("organisation", "country"), pk=pk)
    opp.expire_if_due()
    owner = services.is_owner(request.user, opp)
    reviewer = services.can_review(request.user, opp)
    my_org = services.user_organisation(request.user)
    interests = list(Interest.objects.restrict(request.user).filter(opportunity=opp).select_related("organisation"))
    suggestions: list[Any] = []
    if (owner or reviewer) and opp.direction == Direction.REQUEST:
        try:
            suggestions = split_suitable(engine.get_index().match(engine.opportunity_request(opp, limit=5)))[0]
        except (MatchRequestError, engine.IndexNotReady):
            suggestions = []
    partners = [(str(o.pk), o.name) for o in opp.agreed_partners()] if owner else []
    return render(
        request,
        "exchange/opportunity_detail.html",
        {
            "opp": opp,
            "owner": owner,
            "reviewer": reviewer,
            "interests": interests,
            "suggestions": suggestions,
            "review_form": ReviewForm(),
            "interest_form": InterestForm(),
            "answer_form": AnswerForm(),
            "close_form": CloseForm(partners=partners),
            "can_express": bool(
                my_org is not None
                and my_org.pk != opp.organisation_id
                and opp.is_open
                and not any(i.organisation_id == my_org.pk for i in interests)
            ),
            "is_cp": reviewer,
        },
    )


@login_required
def opportunity_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    org = services.user_organisation(request.user)
    opp = None
    if pk is not None:
        opp = get_object_or_404(Opportunity.objects.restrict(request.user, CHANGE), pk=pk)
        if not services.is_owner(request.user, opp) or opp.status not in (Status.DRAFT, Status.CHANGES):
            raise PermissionDenied(_("Only the owner edits a draft or an opportunity with changes requested."))
    elif org is None:
        raise PermissionDenied(_("Only a user of an organisation can post an opportunity."))
    form = OpportunityForm(request.POST or None, instance=opp)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        if opp is None:
            obj.organisation, obj.created_by = org, request.user
        obj.save()
        if request.POST.get("submit_review"):
            obj.submit()
            messages.success(request, _("Sent to the national contact point for review."))
        else:
            messages.success(request, _("Saved as a draft."))
        return redirect(obj)
    return render(request, "exchange/opportunity_form.html", {"form": form, "opp": opp})


@login_required
def opportunity_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("exchange:opportunity", pk=pk)
    opp = get_object_or_404(Opportunity.objects.restrict(request.user).select_related("organisation"), pk=pk)
    try:
        if action == "review":
            if not services.can_review(request.user, opp):
                raise PermissionDenied(_("Only the contact point of the opportunity's country reviews it."))
            form = ReviewForm(request.POST)
            if not form.is_valid():
                raise ValidationError(" ".join(str(e) for e in form.non_field_errors()) or _("Choose a decision."))
            decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
            if decision == "approve":
                opp.approve(request.user)
                messages.success(request, _("Approved and published."))
            elif decision == "changes":
                opp.request_changes(request.user, reason)
                messages.info(request, _("Sent back to the owner with your request for changes."))
            else:
                opp.reject(request.user, reason)
                messages.info(request, _("Rejected."))
        elif action in ("submit", "renew", "close"):
            if not services.is_owner(request.user, opp):
                raise PermissionDenied(_("Only the owner can do this."))
            if action == "submit":
                opp.submit()
                messages.success(request, _("Sent to the national contact point for review."))
            elif action == "renew":
                opp.renew()
                messages.success(request, _("Renewed."))
            else:
                agreed = list(opp.agreed_partners())
                form = CloseForm(request.POST, partners=[(str(o.pk), o.name) for o in agreed])
                if not form.is_valid():
                    # one answer for any partner that is not an accepted interest: anonymous, brokered, or none
                    # at all (a different answer would tell who expressed interest)
                    raise ValidationError(str(PARTNER_NOT_AGREED) if "partner" in form.errors
                                          else _("Choose an outcome."))
                partner = next((o for o in agreed if str(o.pk) == form.cleaned_data["partner"]), None)
                opp.close(form.cleaned_data["outcome"], partner, form.cleaned_data["note"])
                messages.success(request, _("Closed with its outcome."))
        elif action == "interest":
            org = services.user_organisation(request.user)
            if org is None or org.pk == opp.organisation_id or not opp.is_open:
                raise PermissionDenied(_("Another organisation's user can express interest in an open opportunity."))
            form = InterestForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Write a message."))
            interest = form.save(commit=False)
            interest.opportunity, interest.organisation, interest.user = opp, org, request.user
            with transaction.atomic():
                interest.save()
            messages.success(request, _("Your interest was sent."))
        else:
            raise PermissionDenied(_("Unknown action."))
    except (TransitionError, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages))
    except IntegrityError:
        messages.error(request, _("This organisation has already expressed interest."))
    return redirect(opp)


@login_required
def interest_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    interest = get_object_or_404(
        Interest.objects.restrict(request.user).select_related("opportunity", "organisation"), pk=pk
    )
    if request.method != "POST":
        return redirect(interest.opportunity)
    try:
        if action == "answer":
            if not services.is_owner(request.user, interest.opportunity):
                raise PermissionDenied(_("Only the owner answers."))
            form = AnswerForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose an answer."))
            interest.answer(form.cleaned_data["accept"], form.cleaned_data["reply"])
            messages.success(request, _("Answer sent."))
        elif action == "forward":
            if not services.can_broker(request.user, interest):
                raise PermissionDenied(_("Only a contact point forwards."))
            interest.forward(request.POST.get("note", ""))
            messages.success(request, _("Forwarded to the owner."))
        else:
            raise PermissionDenied(_("Unknown action."))
    except (TransitionError, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(interest.opportunity)


def consortium(request: HttpRequest) -> HttpResponse:
    form = ConsortiumForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("bom"):
                raw = form.cleaned_data["bom"].read(1_000_000).decode("utf-8-sig", errors="replace")
                lines: list[Any] = [
                    {"label": x.label, "text": x.text, "hs": list(x.hs), "nace": list(x.nace)}
                    for x in parse_bom_csv(raw)
                ]
            else:
                lines = [x.strip() for x in form.cleaned_data["lines"].splitlines() if x.strip()]
                parse_lines(lines)
            result = run_consortium(
                engine.get_index(),
                {
                    "lines": lines,
                    "min_countries": form.cleaned_data["min_countries"],
                    "exclude_countries": form.cleaned_data.get("exclude_countries") or "",
                },
            )
        except MatchRequestError as exc:
            form.add_error(None, str(exc))
        except engine.IndexNotReady:
            form.add_error(None, _("The partner search is being prepared; try again in a minute."))
    return render(request, "exchange/consortium.html", {"form": form, "result": result})


def fits(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    from coopnet.registry.models import Organisation

    if public_id is None:
        org = services.user_organisation(request.user)
        if org is None:
            return render(request, "exchange/fits.html", {"org": None, "fits": [], "saved": []})
    else:
        org = get_object_or_404(Organisation.objects.restrict(request.user), public_id=public_id)
    try:
        found = engine.fits_for_organisation(org)
    except engine.IndexNotReady:
        found = []
    saved: list[tuple[Any, list[Any]]] = []
    if request.user.is_authenticated and public_id is None:
        for s in SavedSearch.objects.filter(user=request.user):
            try:
                saved.append((s, engine.check_saved_search(s)))
            except (MatchRequestError, engine.IndexNotReady):
                continue
    return render(request, "exchange/fits.html", {"org": org, "fits": found, "saved": saved})
