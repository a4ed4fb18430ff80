"""Import page (upload → the same row-level report as the command line), import runs, export download."""
from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from coopnet.accounts.roles import has_role, profile_of

from ..exporting import export_bytes
from ..importing import DEFAULT_SOURCE, import_organisations, rules_from_reference
from ..models import ImportRun

IMPORT_ROLES = ("admin", "contact_point")
MAX_UPLOAD = 512 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    source = forms.CharField(label=_("Import source"), max_length=100, initial=DEFAULT_SOURCE,
                             help_text=_("Refs are unique within a source: importing again updates, never duplicates."))
    dry_run = forms.BooleanField(label=_("Check only (write nothing)"), required=False)


def import_rules(user: Any) -> Any:
    """Reference rules; a national contact point imports organisations of its own country only."""
    rules = rules_from_reference()
    profile = profile_of(user)
    if not user.is_superuser and profile is not None and profile.role == "contact_point" and profile.country_id:
        from dataclasses import replace

        rules = replace(rules, allowed_countries=frozenset({profile.country_id}))
    return rules


def can_import(user: Any) -> bool:
    return has_role(user, *IMPORT_ROLES)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    if not can_import(request.user):
        raise PermissionDenied
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("The file is larger than 512 MB."))
        else:
            result = import_organisations(upload.file, upload.name, source=form.cleaned_data["source"],
                                          user=request.user, dry_run=form.cleaned_data["dry_run"],
                                          rules=import_rules(request.user))
    runs = ImportRun.objects.restrict(request.user).select_related("user")[:20]
    status = 200 if result is None or result.ok else 422
    return render(request, "registry/import.html", {"form": form, "result": result, "runs": runs}, status=status)


@login_required
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_import(request.user):
        raise PermissionDenied
    run = get_object_or_404(ImportRun.objects.restrict(request.user), pk=pk)
    return render(request, "registry/import_run.html", {"run": run, "report": run.report})


def export_download(request: HttpRequest) -> HttpResponse:
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    country = (request.GET.get("country") or "").upper()[:2] or None
    data = export_bytes(fmt, source=request.GET.get("source") or None, country=country)
    content_type = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
                    else "text/csv; charset=utf-8")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="organisations.{fmt}"'
    return response
