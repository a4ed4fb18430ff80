"""The adapter between the registry (Django) and the pure matching engine (coopnet.logic.matching).

`get_index()` returns a process-wide :class:`MatchIndex` built from the registry; it is rebuilt when
the registry's revision (`coopnet.core.models.Revision`) has changed, or on `refresh()`.

Building takes minutes for a million organisations, so a built index is also written to
``VAR_DIR/matchindex/registry-<revision>.npz`` and the next process (or the next worker) whose registry is
at the same revision loads that file instead of building (seconds). `coopnet matchindex` builds or loads it
ahead of the first search (run it after a deployment or a bulk import). Settings:
``MATCH_INDEX_SNAPSHOTS`` (default True) turns the files off; ``MATCH_INDEX_DIR`` moves them.
Everything that matches — pages, API, commands — goes through here and through
`coopnet.logic.matching.run_match`, so all of them give the same answer.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coopnet.logic.matching import CompetencyLine, MatchIndex, MatchRequest, OrgRow, parse_request

_lock = threading.Lock()
_state: dict[str, Any] = {"index": None, "signature": None, "origin": ""}
log = logging.getLogger(__name__)


def split(value: str | None) -> list[str]:
    """'8408; 8409' -> ['8408', '8409']."""
    if not value:
        return []
    return [c.strip() for c in value.replace(",", ";").split(";") if c.strip()]


def registry_rows(batch: int = 2000) -> Iterator[OrgRow]:
    """One row per active organisation, read in batches (memory stays flat on a large registry)."""
    from coopnet.registry.models import Competency, Link, Organisation, Site

    orgs = Organisation.objects.filter(merged_into__isnull=True).order_by("pk")
    last = 0
    while True:
        chunk = list(
            orgs.filter(pk__gt=last).values(
                "pk", "public_id", "ref", "name", "name_en", "country_id", "region_id", "lat", "lon"
            )[:batch]
        )
        if not chunk:
            return
        ids = [o["pk"] for o in chunk]
        last = ids[-1]
        lines: dict[int, list[CompetencyLine]] = {}
        for c in (
            Competency.objects.filter(organisation_id__in=ids)
            .order_by("pk")
            .values(
                "organisation_id",
                "description",
                "description_en",
                "hs_codes",
                "nace_codes",
                "capacity_quantity",
                "capacity_unit",
                "certifications",
            )
        ):
            lines.setdefault(c["organisation_id"], []).append(
                CompetencyLine(
                    text_ru=c["description"] or "",
                    text_en=c["description_en"] or "",
                    hs=tuple(split(c["hs_codes"])),
                    nace=tuple(split(c["nace_codes"])),
                    capacity=float(c["capacity_quantity"]) if c["capacity_quantity"] is not None else None,
                    capacity_unit=c["capacity_unit"] or "",
                    certifications=tuple(split(c["certifications"])),
                )
            )
        partners: dict[int, list[str]] = {}
        for a, b_id in Link.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "partner__public_id"
        ):
            if b_id:
                partners.setdefault(a, []).append(b_id)
        for a, b_id in Link.objects.filter(partner_id__in=ids).values_list("partner_id", "organisation__public_id"):
            if b_id:
                partners.setdefault(a, []).append(b_id)
        footprint: dict[int, set[str]] = {}
        for a, cc, p_id in Site.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "country_id", "partner__public_id"
        ):
            footprint.setdefault(a, set()).add(cc)
            if p_id:
                partners.setdefault(a, []).append(p_id)
        for o in chunk:
            pk = o["pk"]
            yield OrgRow(
                id=o["public_id"] or str(pk),
                ref=o["ref"] or None,
                name=o["name"],
                name_en=o["name_en"] or "",
                country=o["country_id"],
                region=o["region_id"] or "",
                lat=o["lat"],
                lon=o["lon"],
                lines=tuple(lines.get(pk, ())),
                partners=tuple(dict.fromkeys(partners.get(pk, ()))),
                footprint=tuple(sorted(footprint.get(pk, ()))),
                key=pk,
            )


def _signature() -> str:
    """The registry's revision: one primary-key read, bumped by every change (see registry.signals)."""
    from coopnet.core.models import Revision
    from coopnet.registry.signals import REVISION

    return Revision.current(REVISION)


def snapshot_dir() -> Path:
    from django.conf import settings

    return Path(getattr(settings, "MATCH_INDEX_DIR", None) or Path(settings.VAR_DIR) / "matchindex")


def snapshot_path(signature: str) -> Path | None:
    """The snapshot file of a registry revision; None when snapshots are off or the revision is unknown
    (a registry that was never changed through the application has no revision to key a file by)."""
    from django.conf import settings

    if not signature or not getattr(settings, "MATCH_INDEX_SNAPSHOTS", True):
        return None
    return snapshot_dir() / f"registry-{re.sub(r'[^0-9A-Za-z]+', '-', signature)}.npz"


def _load_snapshot(signature: str) -> MatchIndex | None:
    path = snapshot_path(signature)
    if path is None or not path.exists():
        return None
    try:
        return MatchIndex.load(path, label=signature)
    except (OSError, ValueError, KeyError) as exc:  # another engine version, a damaged file: build instead
        log.warning("match index snapshot %s not used: %s", path, exc)
        return None


def _save_snapshot(index: MatchIndex, signature: str) -> None:
    """Write the snapshot of this revision and remove the older ones (best effort: a failure is logged)."""
    path = snapshot_path(signature)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        index.save(path, label=signature)
        for old in path.parent.glob("registry-*.npz"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, ValueError) as exc:
        log.warning("match index snapshot %s not written: %s", path, exc)


def _ensure(signature: str, *, rebuild: bool = False) -> MatchIndex:
    """Under the lock: the index of this revision, from memory, from its snapshot or built."""
    if rebuild or _state["index"] is None or _state["signature"] != signature:
        index = None if rebuild else _load_snapshot(signature)
        origin = "snapshot"
        if index is None:
            index = MatchIndex.build(registry_rows())
            origin = "built"
            _save_snapshot(index, signature)
        _state.update(index=index, signature=signature, origin=origin)
    current: MatchIndex = _state["index"]
    return current


def get_index() -> MatchIndex:
    """The current index, loaded or rebuilt if the registry changed since it was built."""
    sig = _signature()
    with _lock:
        return _ensure(sig)


def refresh() -> MatchIndex:
    """Rebuild from the registry now (and rewrite the snapshot)."""
    sig = _signature()
    with _lock:
        return _ensure(sig, rebuild=True)


def warm(*, rebuild: bool = False) -> tuple[MatchIndex, str]:
    """Make this process's index current; returns it and where it came from: "memory", "snapshot", "built"."""
    sig = _signature()
    with _lock:
        fresh = rebuild or _state["index"] is None or _state["signature"] != sig
        index = _ensure(sig, rebuild=rebuild)
        return index, _state["origin"] if fresh else "memory"


def opportunity_request(opp: Any, limit: int = 10) -> MatchRequest:
    """The matching request an opportunity stands for (its owner is the buyer)."""
    text = " ".join(x for x in (opp.title, opp.part_name, opp.description, opp.material) if x)
    return parse_request(
        {
            "text": text[:2000],
            "hs": split(opp.hs_codes),
            "nace": split(opp.nace_codes),
            "quantity": float(opp.quantity) if opp.quantity is not None else None,
            "unit": opp.unit,
            "certifications": split(opp.certifications),
            "countries": split(opp.countries_wanted),
            "exclude_countries": split(opp.countries_excluded),
            "buyer_country": opp.country_id,
            "buyer_id": opp.organisation.public_id or "",
            "limit": limit,
        }
    )


def fits_for_organisation(org: Any, limit: int = 50) -> list[tuple[Any, Any]]:
    """Published requests of other organisations that this organisation answers: [(opportunity, match)]."""
    from .choices import Direction
    from .models import Opportunity

    opps = list(
        Opportunity.objects.published()
        .filter(direction=Direction.REQUEST)
        .exclude(organisation=org)
        .select_related("organisation")[:2000]
    )
    requests = []
    for opp in opps:
        try:
            requests.append((opp, opportunity_request(opp)))
        except ValueError:
            continue
    return get_index().fits_for(org.public_id, requests)[:limit]


def check_saved_search(search: Any) -> list[Any]:
    """Organisations that now fit a saved search and were not notified before (marks them seen)."""
    from django.utils import timezone

    index = get_index()
    req = parse_request({**search.params, "limit": 100})
    fresh = [m for m in index.match(req) if m.score >= search.min_score and m.id not in set(search.seen)]
    search.seen = list(search.seen) + [m.id for m in fresh]
    search.last_checked = timezone.now()
    search.save(update_fields=["seen", "last_checked", "updated"])
    return fresh
