"""Demo registry: the real organisations of `data/demo/organisations.json`, each fact with its source."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction

from coopnet.reference.models import Country, Region

from .choices import LegalForm, NameKind, OrganisationKind, SiteKind
from .models import Competency, Link, Organisation, OrganisationName, Site

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo" / "organisations.json"
REF_SOURCE = "coopnet-demo"


def _region(code: str | None, country: str) -> str | None:
    if code and code.startswith(f"{country}-") and Region.objects.filter(code=code).exists():
        return code
    return None


def _sources(item: dict[str, Any]) -> str:
    return "; ".join(item.get("sources") or [])[:300]


def _upsert_organisation(ref: str, values: dict[str, Any]) -> Organisation:
    """Create or update without touching an unchanged row (so reloading adds no history)."""
    org = Organisation.objects.filter(ref_source=REF_SOURCE, ref=ref).first()
    if org is None:
        org = Organisation(ref_source=REF_SOURCE, ref=ref)
    elif all(getattr(org, key) == value for key, value in values.items()):
        return org
    for key, value in values.items():
        setattr(org, key, value)
    org._change_reason = "demo data"  # type: ignore[attr-defined]
    org.save()
    return org


@transaction.atomic
def load(stdout: TextIO | None = None) -> None:
    items: list[dict[str, Any]] = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    countries = set(Country.objects.values_list("code", flat=True))
    by_ref: dict[str, Organisation] = {}
    for item in items:
        if item["country"] not in countries:
            continue
        legal_form = item.get("legal_form") or ""
        org = _upsert_organisation(item["ref"], {
            "name": item["name"], "name_en": item.get("name_en") or "",
            "legal_form": legal_form if legal_form in LegalForm.values else LegalForm.OTHER,
            "kind": item.get("kind") if item.get("kind") in OrganisationKind.values else "enterprise",
            "country_id": item["country"], "region_id": _region(item.get("region"), item["country"]),
            "city": item.get("city") or "", "lat": item.get("lat"), "lon": item.get("lon"),
            "tax_id": item.get("tax_id") or "", "employees": item.get("employees"),
            "size": item.get("size") or "", "website": item.get("website") or "",
            "source": _sources(item),
        })
        by_ref[item["ref"]] = org
        names = [(item["name"], "ru", NameKind.OFFICIAL)]
        if item.get("name_en"):
            names.append((item["name_en"], "en", NameKind.ENGLISH))
        names += [(n, "", NameKind.SHORT) for n in item.get("other_names") or []]
        for name, lang, kind in names:
            OrganisationName.objects.get_or_create(organisation=org, name=name[:500],
                                                   defaults={"language": lang, "kind": kind})
        lines = item.get("competencies") or []
        wanted = [(line.get("description_ru") or line.get("description_en") or "", line.get("source") or "")
                  for line in lines]
        if sorted(wanted) == sorted(org.competencies.values_list("description", "source")):
            lines = []  # already loaded: leave the rows (and their history) alone
        else:
            org.competencies.all().delete()
        for line in lines:
            capacity = line.get("capacity") or {}
            competency = Competency(
                organisation=org, description=line.get("description_ru") or line.get("description_en") or "",
                description_en=line.get("description_en") or "",
                hs_codes=";".join(line.get("hs") or []), nace_codes=";".join(line.get("nace") or []),
                capacity_quantity=Decimal(str(capacity["quantity"])) if capacity.get("quantity") else None,
                capacity_unit=capacity.get("unit") or "", capacity_period=capacity.get("period") or "",
                certifications=";".join(line.get("certifications") or []), source=line.get("source") or "",
            )
            competency.clean()
            competency.save()
    for item in items:
        org = by_ref.get(item["ref"])
        if org is None:
            continue
        sites = item.get("sites") or []
        if len(sites) == org.sites.count() and all(
                org.sites.filter(source=site.get("source") or "", description=site.get("description") or "").exists()
                for site in sites):
            sites = []
        else:
            org.sites.all().delete()
        for site in sites:
            if site.get("country") not in countries:
                continue
            partner = by_ref.get(site.get("partner_ref") or "")
            Site.objects.create(
                organisation=org, kind=site["kind"] if site["kind"] in SiteKind.values else SiteKind.PLANT,
                country_id=site["country"], region_id=_region(site.get("region"), site["country"]),
                city=site.get("city") or "", partner=partner, description=site.get("description") or "",
                year=site.get("year"), source=site.get("source") or "",
            )
        links = item.get("links") or []
        if len(links) == org.links.count() and all(
                org.links.filter(source=link.get("source") or "", description=link.get("description") or "").exists()
                for link in links):
            links = []
        else:
            org.links.all().delete()
        for link in links:
            partner = by_ref.get(link.get("partner_ref") or "")
            if partner is None or partner.pk == org.pk:
                continue
            Link.objects.create(organisation=org, partner=partner, kind=link["kind"],
                                description=link.get("description") or "", year=link.get("year"),
                                source=link.get("source") or "")
    if stdout:
        stdout.write(f"registry: {len(by_ref)} real organisations from {DEMO_FILE.name}\n")
