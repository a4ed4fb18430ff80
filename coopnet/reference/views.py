from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from .models import HSCode, NACECode


@require_GET
def code_lookup(request: HttpRequest) -> JsonResponse:
    """Autocomplete for product and activity codes: ?scheme=hs|nace&q=трактор or ?q=8701."""
    scheme = request.GET.get("scheme", "hs")
    model = NACECode if scheme == "nace" else HSCode
    q = (request.GET.get("q") or "").strip()[:100]
    qs = model.objects.all()
    if q:
        qs = qs.filter(Q(code__startswith=q) | Q(name_en__icontains=q) | Q(name_ru__icontains=q))
    items = [{"code": c.code, "name": c.name, "level": c.level} for c in qs.order_by("code")[:30]]
    return JsonResponse({"results": items})
