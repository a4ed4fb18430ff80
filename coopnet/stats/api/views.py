"""The stats API: the same operations as the `coopnet stats` and `coopnet opportunities` commands."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from coopnet.logic.stats.importers import FORMATS

from .. import services
from ..models import may_import


def _param(name: str, kind: Any = OpenApiTypes.STR, description: str = "") -> OpenApiParameter:
    return OpenApiParameter(name, kind, required=False, description=description)


FILTERS = [
    _param("reporter", description="country (BY), region (RU-PSK) or XT / EAEU / WLD"),
    _param("partner", description="country, region or XT / EAEU / WLD"),
    _param("product", description="HS code (trade indicators) or product code of the series"),
    _param("from", OpenApiTypes.INT, "first year"),
    _param("to", OpenApiTypes.INT, "last year"),
]


#: A JSON array of objects (the list answers: indicators, conflicts, catalog).
LIST_OF_OBJECTS: dict[str, Any] = {"type": "array", "items": {"type": "object", "additionalProperties": {}}}


def _int(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({name: f"{raw!r} is not a whole number"}) from None


def _call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except services.StatsError as exc:
        raise ValidationError({"detail": str(exc)}) from None


@extend_schema(
    operation_id="stats_indicators_list",
    responses={200: LIST_OF_OBJECTS, 400: OpenApiTypes.OBJECT},
    description="The indicators with their formulas.",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def indicator_list(request: Request) -> Response:
    return Response(services.indicator_catalog())


@extend_schema(
    parameters=[
        *FILTERS,
        _param("series", description="growth/share: the series"),
        _param("flow"),
        _param("depth", OpenApiTypes.INT, "trade indicators: HS digits (2, 4, 6)"),
        _param("group", description="rca, trade_intensity: the reference group, auto (default), world or reporters"),
    ],
    operation_id="stats_indicators_retrieve",
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    description="Compute an indicator (rca, complementarity, grubel_lloyd, import_dependence, third_country_share, "
    "trade_intensity, mutual_share, growth, share): its formula and its rows.",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def indicator_detail(request: Request, name: str) -> Response:
    q = request.query_params
    params = {
        "reporter": q.get("reporter"),
        "partner": q.get("partner"),
        "product": q.get("product"),
        "from": _int(request, "from"),
        "to": _int(request, "to"),
        "series": q.get("series"),
        "flow": q.get("flow"),
        "depth": _int(request, "depth"),
        "group": q.get("group"),
    }
    return Response(_call(services.indicator, name, **params))


@extend_schema(
    parameters=[*FILTERS, _param("flow"), _param("limit", OpenApiTypes.INT)],
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    description="A stored series with every source; `conflicts` > 0 where sources disagree.",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def series(request: Request, name: str) -> Response:
    q = request.query_params
    limit = _int(request, "limit") or 10_000
    if not 1 <= limit <= 100_000:
        raise ValidationError({"limit": "between 1 and 100000"})
    rows = _call(
        services.series,
        name,
        reporter=q.get("reporter") or None,
        partner=q.get("partner") or None,
        product=q.get("product") or None,
        flow=q.get("flow") or None,
        limit=limit,
        **{"from": _int(request, "from"), "to": _int(request, "to")},
    )
    return Response({"indicator": name, "rows": rows})


@extend_schema(
    parameters=[_param("indicator")],
    responses={200: LIST_OF_OBJECTS, 400: OpenApiTypes.OBJECT},
    description="Keys for which sources give different values; every value with its provenance.",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def conflicts(request: Request) -> Response:
    name = request.query_params.get("indicator") or None
    return Response(services.get_store().conflicts(name))


@extend_schema(responses={200: LIST_OF_OBJECTS}, description="What the store holds, per indicator and flow.")
@api_view(["GET"])
@permission_classes([AllowAny])
def catalog(request: Request) -> Response:
    return Response(services.get_store().catalog())


@extend_schema(
    parameters=[
        _param("measure", description="a series name or rca / import_dependence / third_country_share / mutual_share"),
        _param("product"),
        _param("year", OpenApiTypes.INT),
        _param("partner"),
        _param("flow"),
    ],
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    description="Values per state and region with coordinates, for the map.",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def map_data(request: Request) -> Response:
    q = request.query_params
    measure = q.get("measure") or "trade_turnover"
    return Response(
        _call(
            services.map_values,
            measure,
            product=q.get("product") or None,
            year=_int(request, "year"),
            partner=q.get("partner") or None,
            flow=q.get("flow") or None,
        )
    )


@extend_schema(
    request=inline_serializer(
        "StatsImport",
        {
            "file": serializers.FileField(),
            "format": serializers.ChoiceField(choices=FORMATS),
            "batch": serializers.CharField(required=False),
            "sheet": serializers.CharField(required=False),
            "retrieved": serializers.DateField(required=False),
        },
    ),
    responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    description="Import a file (administrators, analysts, the Commission). A file with any error writes "
    "nothing; the answer lists the errors by line or cell.",
)
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def import_file(request: Request) -> Response:
    if not may_import(request.user):
        raise PermissionDenied("importing statistics needs the analyst, commission or admin role")
    upload = request.FILES.get("file")
    fmt = request.data.get("format", "")
    if upload is None:
        raise ValidationError({"file": "required"})
    if fmt not in FORMATS:
        raise ValidationError({"format": f"one of {', '.join(FORMATS)}"})
    retrieved = None
    if request.data.get("retrieved"):
        try:
            retrieved = date.fromisoformat(str(request.data["retrieved"]))
        except ValueError:
            raise ValidationError({"retrieved": "not a date (YYYY-MM-DD)"}) from None
    defaults = {
        k: str(request.data[k])
        for k in ("indicator", "reporter", "partner", "scheme", "flow", "unit", "currency", "scale")
        if request.data.get(k)
    }
    result, dataset = _call(
        services.import_file,
        upload,
        fmt,
        batch=request.data.get("batch") or None,
        user=request.user,
        defaults=defaults,
        sheet=request.data.get("sheet") or None,
        retrieved=retrieved,
        file_name=upload.name,
    )
    body = {**result.summary(), "batch": dataset.batch, "dataset": dataset.pk}
    return Response(body, status=status.HTTP_201_CREATED if result.ok else status.HTTP_400_BAD_REQUEST)


class ExportNegotiation(DefaultContentNegotiation):
    """The export's `format` names the SDMX format (as `coopnet stats export --format` does), not a renderer."""

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return super().select_renderer(request, renderers, format_suffix="json")


def _export_negotiation(func: Any) -> Any:
    func.content_negotiation_class = ExportNegotiation
    return func


@extend_schema(
    parameters=[
        OpenApiParameter("format", OpenApiTypes.STR, required=True, enum=list(services.EXPORT_FORMATS)),
        _param("indicator"),
        *FILTERS,
        _param("flow"),
    ],
    responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 400: OpenApiTypes.OBJECT},
    description="Stored observations as SDMX-CSV 2.0 or SDMX-ML 2.1 in coopnet's data structure "
    "(COOPNET:DSD_OBSERVATIONS(1.0)), or that structure itself (sdmx-structure). Mapping: docs/stats-formats.md.",
)
@api_view(["GET"])
@permission_classes([AllowAny])
@_export_negotiation
def export(request: Request) -> HttpResponse:
    q = request.query_params
    fmt = q.get("format") or ""
    if fmt not in services.EXPORT_FORMATS:
        raise ValidationError({"format": f"one of {', '.join(services.EXPORT_FORMATS)}"})
    body, _count = _call(
        services.export_observations,
        fmt,
        indicator=q.get("indicator") or None,
        reporter=q.get("reporter") or None,
        partner=q.get("partner") or None,
        product=q.get("product") or None,
        flow=q.get("flow") or None,
        **{"from": _int(request, "from"), "to": _int(request, "to")},
    )
    content_type, suffix = services.EXPORT_TYPES[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="coopnet-observations-{fmt}.{suffix}"'
    return response


@extend_schema(
    parameters=[
        _param("product", description="HS code (prefix)"),
        _param("reporter", description="member state"),
        _param("limit", OpenApiTypes.INT),
        _param("depth", OpenApiTypes.INT, "2, 4 or 6"),
        _param("year", OpenApiTypes.INT),
        _param("gaps", OpenApiTypes.BOOL, "include products without a registered supplier"),
    ],
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    description="Import-substitution opportunities ranked by value at stake, with importing states, "
    "supplier counts and links to the partner search and the consortium finder.",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def opportunities(request: Request) -> Response:
    q = request.query_params
    limit = _int(request, "limit") or 50
    gaps = (q.get("gaps") or "").lower() in {"1", "true", "yes"}
    return Response(
        _call(
            services.opportunities,
            product=q.get("product") or None,
            reporter=q.get("reporter") or None,
            limit=limit,
            depth=_int(request, "depth"),
            year=_int(request, "year"),
            gaps=gaps,
        )
    )


@extend_schema(
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    description="Organisations whose registered HS codes cover the product (finer or coarser).",
)
@api_view(["GET"])
@permission_classes([AllowAny])
def opportunity_suppliers(request: Request, code: str) -> Response:
    return Response({"product": code, "suppliers": _call(services.suppliers, code)})
