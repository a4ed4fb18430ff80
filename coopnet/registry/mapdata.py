"""Where a product is made: organisations per region and country for an HS or NACE code at any level."""
from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from coopnet.logic.codes import CodeError, normalise_hs, normalise_nace
from coopnet.reference.models import Country, HSCode, NACECode, Region

from .filtersets import organisations_with_code
from .models import Organisation


def competency_map_data(scheme: str, raw_code: str) -> dict[str, Any]:
    try:
        code = normalise_hs(raw_code) if scheme == "hs" else normalise_nace(raw_code)
    except CodeError as exc:
        return {"error": str(exc)}
    label_model = HSCode if scheme == "hs" else NACECode
    label = label_model.objects.filter(code=code).first()
    orgs = Organisation.objects.active().filter(pk__in=organisations_with_code(scheme, code))
    groups = list(orgs.values("country_id", "region_id").annotate(n=Count("pk")))
    regions = Region.objects.in_bulk([g["region_id"] for g in groups if g["region_id"]])
    countries = Country.objects.in_bulk({g["country_id"] for g in groups})
    by_country: dict[str, dict[str, Any]] = {}
    region_rows = []
    for g in groups:
        country = countries[g["country_id"]]
        entry = by_country.setdefault(country.code, {
            "code": country.code, "name": country.name, "member": country.is_member, "count": 0,
            "without_region": 0, "lat": country.lat, "lon": country.lon,
        })
        entry["count"] += g["n"]
        region = regions.get(g["region_id"]) if g["region_id"] else None
        if region is None:
            entry["without_region"] += g["n"]
            continue
        region_rows.append({"code": region.code, "name": region.name, "country": country.code,
                            "lat": region.lat, "lon": region.lon, "count": g["n"]})
    region_rows.sort(key=lambda r: (-r["count"], r["code"]))
    country_rows = sorted(by_country.values(), key=lambda r: (-r["count"], r["code"]))
    return {
        "scheme": scheme, "code": code, "name": label.name if label else _("(code not in the reference list)"),
        "total": sum(r["count"] for r in country_rows), "regions": region_rows, "countries": country_rows,
    }
