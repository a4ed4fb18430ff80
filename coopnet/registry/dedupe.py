"""Duplicate organisations across the registry: find candidates, store them for review, merge.

Scoring is the pure ``coopnet.logic.registry.dedupe`` (name keys across scripts, tax ID, place,
codes, website; blocking keys so a registry pass is near-linear). This module loads organisations
into its records, stores ``DuplicateCandidate`` rows (two thresholds: at or above the high one
*automatic*, between the two *pending* for a person), and merges: the absorbed organisation is kept
with its history, points to the survivor (``merged_into``), and its public ID keeps resolving
through a ``PublicIdAlias``.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coopnet.logic.registry.dedupe import (
    DEFAULT_AUTO_THRESHOLD,
    DEFAULT_REVIEW_THRESHOLD,
    OrgRecord,
    PairScore,
    candidate_pairs,
    classify,
    score_pair,
)
from coopnet.logic.registry.rows import Issue, Report

from .choices import NameKind
from .models import Competency, CompetencyCode, Link, Organisation, OrganisationName, Site
from .models.duplicates import DuplicateCandidate, DuplicateStatus, PublicIdAlias

__all__ = [
    "load_records",
    "find_candidates",
    "store_candidates",
    "candidates_for_new",
    "scan",
    "merge",
    "decide",
    "resolve_public_id",
]


def load_records(queryset: Any = None) -> list[OrgRecord]:
    """Scorer records of active (not merged) organisations, with all their names and codes."""
    qs = queryset if queryset is not None else Organisation.objects.all()
    qs = qs.filter(merged_into__isnull=True)
    fields = ("id", "name", "name_en", "country_id", "region_id", "city", "lat", "lon", "tax_id", "website")
    rows = list(qs.values_list(*fields))
    ids = [r[0] for r in rows]
    names: dict[int, list[str]] = defaultdict(list)
    hs: dict[int, set[str]] = defaultdict(set)
    nace: dict[int, set[str]] = defaultdict(set)
    for chunk_start in range(0, len(ids), 5000):
        chunk = ids[chunk_start : chunk_start + 5000]
        for org_id, name in OrganisationName.objects.filter(organisation_id__in=chunk).values_list(
                "organisation_id", "name"):
            names[org_id].append(name)
        for org_id, scheme, code in CompetencyCode.objects.filter(organisation_id__in=chunk).values_list(
                "organisation_id", "scheme", "code"):
            (hs if scheme == "hs" else nace)[org_id].add(code[:4] if scheme == "hs" else code[:5])
    out = []
    for org_id, name, name_en, country, region, city, lat, lon, tax_id, website in rows:
        all_names = tuple(dict.fromkeys(n for n in (name, name_en, *names.get(org_id, ())) if n))
        out.append(OrgRecord(
            id=str(org_id), names=all_names, country=country or "", region=region or "", city=city or "",
            lat=lat, lon=lon, tax_id=tax_id or "", hs=frozenset(hs.get(org_id, ())),
            nace=frozenset(nace.get(org_id, ())), website=website or "",
        ).prepared())
    return out


def find_candidates(
    records: Sequence[OrgRecord],
    auto_threshold: float = DEFAULT_AUTO_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    touching: set[str] | None = None,
) -> list[tuple[PairScore, str]]:
    """Scored pairs above the review threshold; with ``touching``, only pairs involving those ids."""
    out: list[tuple[PairScore, str]] = []
    for i, j in candidate_pairs(records):
        a, b = records[i], records[j]
        if touching is not None and a.id not in touching and b.id not in touching:
            continue
        score = score_pair(a, b)
        status = classify(score.confidence, auto_threshold, review_threshold)
        if status:
            out.append((score, status))
    out.sort(key=lambda x: -x[0].confidence)
    return out


def store_candidates(pairs: Iterable[tuple[PairScore, str]], run: Any = None) -> list[DuplicateCandidate]:
    """Store new pairs (lower id first). A pair already stored keeps its status: a rejected pair is not
    asked again, a pending one gets the new confidence and reasons."""
    stored = []
    for score, status in pairs:
        a, b = sorted((int(score.a), int(score.b)))
        cand, created = DuplicateCandidate.objects.get_or_create(
            organisation_a_id=a, organisation_b_id=b,
            defaults={"confidence": score.confidence, "reasons": list(score.reasons), "status": status,
                      "import_run": run},
        )
        if not created and cand.status in (DuplicateStatus.PENDING, DuplicateStatus.AUTOMATIC):
            cand.confidence, cand.reasons, cand.status = score.confidence, list(score.reasons), status
            cand.save(update_fields=["confidence", "reasons", "status"])
        stored.append(cand)
    return stored


def candidates_for_new(new_ids: Sequence[int], *, run: Any = None, report: Report | None = None,
                       limit: int = 200_000) -> list[dict[str, Any]]:
    """Duplicate candidates that involve organisations just imported; stored and returned for the report."""
    total = Organisation.objects.filter(merged_into__isnull=True).count()
    if total > limit:
        if report is not None:
            report.add(Issue(0, "", "", f"the registry has {total} organisations: duplicates were not checked "
                                         "during the import; run `coopnet duplicates`", "warning"))
        return []
    records = load_records()
    pairs = find_candidates(records, touching={str(i) for i in new_ids})
    stored = store_candidates(pairs, run=run)
    orgs = Organisation.objects.in_bulk({c.organisation_a_id for c in stored} | {c.organisation_b_id for c in stored})
    new = set(new_ids)
    out = []
    for cand in stored:
        a, b = orgs[cand.organisation_a_id], orgs[cand.organisation_b_id]
        mine, other = (b, a) if b.pk in new and a.pk not in new else (a, b)
        row = mine.source.rsplit(":", 1)[-1] if mine.source else ""
        out.append({
            "candidate": cand.pk, "row": int(row) if row.isdigit() else None, "ref": mine.ref, "name": mine.name,
            "public_id": mine.public_id, "other_public_id": other.public_id, "other_name": other.name,
            "confidence": cand.confidence, "reasons": cand.reasons, "status": cand.status,
        })
    return out


def scan(auto_threshold: float = DEFAULT_AUTO_THRESHOLD, review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
         *, auto_merge: bool = False, user: Any = None) -> list[DuplicateCandidate]:
    """Whole-registry pass: store candidates; with ``auto_merge``, merge the automatic ones."""
    stored = store_candidates(find_candidates(load_records(), auto_threshold, review_threshold))
    if auto_merge:
        for cand in stored:
            if cand.status == DuplicateStatus.AUTOMATIC:
                cand.refresh_from_db()
                a, b = cand.organisation_a, cand.organisation_b
                if a.merged_into_id is None and b.merged_into_id is None:
                    merge(a, b, user=user, candidate=cand)
    return stored


def resolve_public_id(public_id: str) -> Organisation | None:
    """The organisation a public ID designates today: follows aliases and merges."""
    org = Organisation.objects.filter(public_id=public_id).first()
    if org is None:
        alias = PublicIdAlias.objects.select_related("organisation").filter(public_id=public_id).first()
        org = alias.organisation if alias else None
    seen = set()
    while org is not None and org.merged_into_id and org.pk not in seen:
        seen.add(org.pk)
        org = org.merged_into
    return org


def _attributed(obj: Any, user: Any) -> Any:
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    return obj


def merge(keep: Organisation, absorb: Organisation, *, user: Any = None,
          candidate: DuplicateCandidate | None = None) -> Organisation:
    """Merge ``absorb`` into ``keep``. Both records and both histories stay; ``absorb`` points to
    ``keep``, its names, competencies, sites and links move to ``keep`` (each move in history), and
    its public ID resolves to ``keep`` through an alias."""
    if keep.pk == absorb.pk:
        raise ValueError("an organisation cannot be merged into itself")
    if absorb.merged_into_id or keep.merged_into_id:
        raise ValueError("one of the organisations is already merged")
    from coopnet.accounts.models import Profile

    reason = f"merged {absorb.public_id} into {keep.public_id}"
    with transaction.atomic():
        known = set(keep.names.values_list("name", flat=True)) | {keep.name, keep.name_en}
        for name, kind in ((absorb.name, NameKind.FORMER), (absorb.name_en, NameKind.ENGLISH)):
            if name and name not in known:
                n = OrganisationName(organisation=keep, name=name, kind=kind, source=reason[:300])
                _attributed(n, user).save()
                known.add(name)
        for n in list(absorb.names.all()):
            if n.name in known:
                _attributed(n, user).delete()
            else:
                n.organisation = keep
                _attributed(n, user).save()
                known.add(n.name)
        for line in Competency.objects.filter(organisation=absorb):
            line.organisation = keep
            _attributed(line, user).save()
        for site in Site.objects.filter(organisation=absorb):
            site.organisation = keep
            _attributed(site, user).save()
        for site in Site.objects.filter(partner=absorb):
            site.partner = keep
            _attributed(site, user).save()
        for link in Link.objects.filter(Q(organisation=absorb) | Q(partner=absorb)):
            if link.organisation_id == absorb.pk:
                link.organisation = keep
            if link.partner_id == absorb.pk:
                link.partner = keep
            if link.organisation_id == link.partner_id:
                _attributed(link, user).delete()
            else:
                _attributed(link, user).save()
        Profile.objects.filter(organisation=absorb).update(organisation=keep)
        PublicIdAlias.objects.filter(organisation=absorb).update(organisation=keep)
        if absorb.public_id:
            PublicIdAlias.objects.update_or_create(public_id=absorb.public_id,
                                                   defaults={"organisation": keep, "reason": reason[:200]})
        for other in Organisation.objects.filter(merged_into=absorb):
            other.merged_into = keep
            _attributed(other, user).save()
        absorb.merged_into = keep
        absorb._change_reason = reason  # type: ignore[attr-defined]
        _attributed(absorb, user).save()
        if candidate is None:
            a, b = sorted((keep.pk, absorb.pk))
            candidate = DuplicateCandidate.objects.filter(organisation_a_id=a, organisation_b_id=b).first()
        if candidate is not None:
            candidate.status = DuplicateStatus.MERGED
            candidate.decided_by = user if getattr(user, "is_authenticated", False) else None
            candidate.decided_at = timezone.now()
            candidate.save(update_fields=["status", "decided_by", "decided_at"])
    return keep


def decide(candidate: DuplicateCandidate, action: str, *, user: Any = None, keep: str = "a") -> DuplicateCandidate:
    """A reviewer's decision: "confirm", "reject" or "merge" (keeping organisation "a" or "b")."""
    if candidate.status == DuplicateStatus.MERGED:
        raise ValueError("this pair is already merged")
    if action == "merge":
        a, b = candidate.organisation_a, candidate.organisation_b
        keep_org, absorb = (a, b) if keep == "a" else (b, a)
        merge(keep_org, absorb, user=user, candidate=candidate)
        candidate.refresh_from_db()
        return candidate
    statuses = {"confirm": DuplicateStatus.CONFIRMED, "reject": DuplicateStatus.REJECTED}
    if action not in statuses:
        raise ValueError(f"unknown action {action!r}: use confirm, reject or merge")
    candidate.status = statuses[action]
    candidate.decided_by = user if getattr(user, "is_authenticated", False) else None
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    return candidate
