from __future__ import annotations

from pathlib import Path

import plotly
from django.db import connection
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    from coopnet.reference.models import Country
    from coopnet.registry.models import Competency, Organisation

    orgs = Organisation.objects.active()
    by_country = (Country.objects.members().annotate(n=Count("organisations")).order_by("-n"))
    context = {
        "organisations": orgs.count(),
        "competencies": Competency.objects.count(),
        "by_country": by_country,
        "recent": orgs.order_by("-updated")[:8],
    }
    return render(request, "core/home.html", context)


@require_GET
@cache_control(max_age=86400, public=True)
def plotly_js(request: HttpRequest) -> FileResponse:
    """Plotly's browser bundle from the pinned Python package: no CDN, no second copy in the repo."""
    return FileResponse(open(PLOTLY_JS, "rb"), content_type="application/javascript")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for a path no view answers: JSON under /api/ (as every API error, and as the schema says), the
    site's page elsewhere."""
    if request.path.startswith("/api/"):
        from django.utils.translation import gettext as _

        return JsonResponse({"detail": _("No such address in the API.")}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)  # type: ignore[arg-type]
