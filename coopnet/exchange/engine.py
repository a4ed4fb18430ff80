"""The partner search's service layer: a live index of the registry that every process of a machine shares.

How it stays fresh (see docs/ARCHITECTURE.md, "Partner search"):

* Every change the search sees is written to the registry's change log (``registry.RegistryChange``) in
  the change's own transaction (``coopnet.registry.changes`` / ``signals``).
* ``MATCH_INDEX_DIR`` holds the machine's shared index: generations ``<dir>/<name>/`` (a tantivy index and
  its ``position.json``: the last log entry it contains, the mean document length, the places' centres) and
  ``CURRENT``, the name of the generation in use. Every worker memory-maps the same files.
* One process per machine is the index's writer: whichever holds ``<dir>/writer.lock`` (a thread in each
  serving process tries; ``coopnet matchindex --follow`` is the same loop as a process of its own). It reads
  the committed log entries after its position every ``MATCH_INDEX_POLL`` seconds, re-indexes those
  organisations (delete + add), commits and moves the position.
* Before answering, every process reads the log after the shared index's position on its own connection
  and indexes those organisations in a small in-memory *overlay* that shadows the shared copies: a search
  sees every change committed before it (and the request's own), in milliseconds, whatever the writer is
  doing. When more than ``MATCH_OVERLAY_MAX`` organisations are pending (a bulk import being applied), the
  search answers from the shared index as it is and says so (``stale``).
* A full rebuild (``coopnet matchindex --rebuild``, or the writer when there is no usable index) writes a
  new generation beside the current one, which keeps answering, and then switches ``CURRENT``.
* A process with no usable shared index (first start, another database) answers from an overlay of the
  whole registry when the registry has at most ``MATCH_COLD_MAX`` organisations; a larger one raises
  :class:`IndexNotReady` (pages say the search is being prepared, the API answers 503) while the writer
  builds it.

Several web machines against one PostgreSQL each keep their own shared index by following the same log.
Everything that matches — pages, API, commands — goes through :func:`get_index` and
``coopnet.logic.matching.run_match``, so all of them give the same answer.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coopnet.logic.matching import CompetencyLine, MatchRequest, OrgRow, default_glossary, parse_request
from coopnet.logic.matching.glossary import DATA as GLOSSARY_DATA
from coopnet.logic.matching.live import LiveIndex, write_rows
from coopnet.logic.matching.store import LAYOUT, Store

log = logging.getLogger(__name__)

#: Sites whose partner organisation belongs to the organisation's own group (never proposed to each other).
OWN_SITE_KINDS = ("plant", "assembly_plant", "joint_venture", "trade_house", "representative_office")
#: A gap in the log ids (a transaction that has not committed yet) older than this is a rollback.
GAP_SECONDS = 120.0
#: Organisations the writer re-indexes per commit.
APPLY_BATCH = 2000


class IndexNotReady(RuntimeError):
    """No shared index yet and the registry is too large to index inside a request: try again shortly."""


def _setting(name: str, default: Any) -> Any:
    from django.conf import settings

    return getattr(settings, name, default)


def index_dir() -> Path:
    from django.conf import settings

    return Path(_setting("MATCH_INDEX_DIR", None) or Path(settings.VAR_DIR) / "matchindex")


def fingerprint() -> str:
    """What an index must have been written with: this layout and the same glossary file."""
    return f"live{LAYOUT}:{hashlib.sha256(GLOSSARY_DATA.read_bytes()).hexdigest()[:16]}"


def split(value: str | None) -> list[str]:
    """'8408; 8409' -> ['8408', '8409']."""
    if not value:
        return []
    return [c.strip() for c in value.replace(",", ";").split(";") if c.strip()]


# ---------------------------------------------------------------------------------------------- reading
def registry_rows(batch: int = 2000, ids: Iterable[int] | None = None) -> Iterator[OrgRow]:
    """One row per active organisation (or per active organisation among `ids`), read in batches."""
    from coopnet.registry.models import Organisation

    orgs = Organisation.objects.filter(merged_into__isnull=True).order_by("pk")
    fields = ("pk", "public_id", "ref", "name", "name_en", "country_id", "region_id", "lat", "lon")
    if ids is not None:
        wanted = sorted({int(i) for i in ids})
        for start in range(0, len(wanted), batch):
            yield from _rows(list(orgs.filter(pk__in=wanted[start : start + batch]).values(*fields)))
        return
    last = 0
    while True:
        chunk = list(orgs.filter(pk__gt=last).values(*fields)[:batch])
        if not chunk:
            return
        last = chunk[-1]["pk"]
        yield from _rows(chunk)


def _rows(chunk: list[dict[str, Any]]) -> Iterator[OrgRow]:
    from coopnet.registry.models import Competency, Link, Site

    ids = [o["pk"] for o in chunk]
    lines: dict[int, list[CompetencyLine]] = {}
    for c in (
        Competency.objects.filter(organisation_id__in=ids)
        .order_by("pk")
        .values("organisation_id", "description", "description_en", "hs_codes", "nace_codes",
                "capacity_quantity", "capacity_unit", "certifications")
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
    for a, b_id in Link.objects.filter(organisation_id__in=ids).values_list("organisation_id", "partner__public_id"):
        if b_id:
            partners.setdefault(a, []).append(b_id)
    for a, b_id in Link.objects.filter(partner_id__in=ids).values_list("partner_id", "organisation__public_id"):
        if b_id:
            partners.setdefault(a, []).append(b_id)
    footprint: dict[int, set[str]] = {}
    group: dict[int, set[str]] = {}
    for a, cc, p_id, kind in Site.objects.filter(organisation_id__in=ids).values_list(
        "organisation_id", "country_id", "partner__public_id", "kind"
    ):
        footprint.setdefault(a, set()).add(cc)
        if p_id:
            partners.setdefault(a, []).append(p_id)
            if kind in OWN_SITE_KINDS:
                group.setdefault(a, set()).add(p_id)
    for p, owner_id, kind in Site.objects.filter(partner_id__in=ids).values_list(
        "partner_id", "organisation__public_id", "kind"
    ):
        if owner_id and kind in OWN_SITE_KINDS:
            group.setdefault(p, set()).add(owner_id)
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
            group=tuple(sorted(group.get(pk, set()) - {o["public_id"]})),
        )


def _keys_of(entries: Iterable[Any]) -> dict[int, tuple[int, str]]:
    """Organisation id -> (latest entry id, its stamp) of the entries; ranges are read from the registry."""
    from coopnet.registry.models import Organisation

    out: dict[int, tuple[int, str]] = {}
    for e in entries:
        if e.last is None:
            keys: Iterable[int] = (e.first,)
        else:
            keys = Organisation.objects.filter(pk__gte=e.first, pk__lte=e.last).values_list("pk", flat=True)
        for k in keys:
            out[int(k)] = (e.id, e.stamp)
    return out


# ---------------------------------------------------------------------------------------------- generations
@dataclass
class Generation:
    """One shared index on disk and what it knows of the log."""

    name: str
    path: Path
    store: Store
    meta: dict[str, Any]
    meta_mtime: float = 0.0

    @property
    def position(self) -> int:
        return int(self.meta.get("position", 0))

    @property
    def stamp(self) -> str:
        return str(self.meta.get("stamp", ""))

    @property
    def applied(self) -> set[int]:
        return {int(i) for i in self.meta.get("applied", ())}

    @property
    def current_format(self) -> bool:
        return self.meta.get("fingerprint") == fingerprint()

    def refresh(self) -> bool:
        """Re-read the position and see the writer's last commit if it moved (True when it did)."""
        try:
            mtime = (self.path / "position.json").stat().st_mtime
        except OSError:
            return False
        if mtime == self.meta_mtime:
            return False
        self.meta = _read_meta(self.path)
        self.meta_mtime = mtime
        self.store.reload()
        return True


def _read_meta(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((path / "position.json").read_text(encoding="utf-8"))
    return data


def _write_json(path: Path, data: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def current_name() -> str:
    try:
        return (index_dir() / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def open_generation(name: str) -> Generation | None:
    """The generation `name` if it is complete and of this layout (any glossary: the writer rebuilds)."""
    if not name:
        return None
    path = index_dir() / name
    try:
        meta = _read_meta(path)
        if not str(meta.get("fingerprint", "")).startswith(f"live{LAYOUT}:"):
            return None
        gen = Generation(name, path, Store(path), meta, (path / "position.json").stat().st_mtime)
    except (OSError, ValueError) as exc:
        log.warning("match index %s not opened: %s", path, exc)
        return None
    return gen


def rebuild() -> Generation:
    """Build a new generation from the registry beside the current one, then make it current.

    The position is the log's head read before the registry: changes committed meanwhile are applied
    again by the writer (re-indexing an organisation twice gives the same document)."""
    from coopnet.registry import changes

    head = changes.head()
    root = index_dir()
    root.mkdir(parents=True, exist_ok=True)
    name = time.strftime("gen-%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    path = root / name
    store = Store(path)
    stats = write_rows(store, registry_rows(), commit_every=100_000)
    meta = {
        "fingerprint": fingerprint(),
        "position": head.id if head else 0,
        "stamp": head.stamp if head else "",
        "applied": [],
        "gaps": {},
        "avgdl": stats.avgdl,
        "tokens": stats.tokens,
        "documents": stats.n,
        "centres": stats.centres,
        "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    _write_json(path / "position.json", meta)
    previous = current_name()
    (root / "CURRENT.tmp").write_text(name, encoding="utf-8")
    os.replace(root / "CURRENT.tmp", root / "CURRENT")
    for old in root.glob("gen-*"):  # the previous generation stays while processes switch; older ones go
        if old.name not in (name, previous) and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    gen = open_generation(name)
    assert gen is not None
    return gen


# ---------------------------------------------------------------------------------------------- the writer
class Follower:
    """The machine's writer: applies committed log entries to the current generation (one at a time per
    machine: it holds ``writer.lock``)."""

    def __init__(self) -> None:
        self.gen: Generation | None = None
        self.writer: Any = None
        self.gaps: dict[int, float] = {}

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.writer = None

    def _ensure(self) -> Generation:
        name = current_name()
        if self.gen is None or self.gen.name != name:
            self.close()
            gen = open_generation(name)
            if gen is None or not gen.current_format:
                gen = rebuild()
            self.gen = gen
            self.gaps = {int(k): float(v) for k, v in gen.meta.get("gaps", {}).items()}
            self.writer = gen.store.writer()
        return self.gen

    def step(self) -> int:
        """Apply what the log has after the position; returns the number of organisations re-indexed."""
        from coopnet.registry import changes

        gen = self._ensure()
        position = gen.position
        entries = changes.since(position, APPLY_BATCH + 1)
        if position and (not entries or entries[0].id != position or entries[0].stamp != gen.stamp):
            log.warning("match index %s does not follow this database's change log: rebuilding", gen.name)
            self.close()
            self.gen = None
            rebuild()
            return 0
        applied = gen.applied
        fresh = [e for e in entries if e.id > position and e.id not in applied]
        if not fresh:
            return 0
        keys = _keys_of(fresh)
        count = 0
        wanted = sorted(keys)
        for start in range(0, len(wanted), APPLY_BATCH):
            part = wanted[start : start + APPLY_BATCH]
            found = set()
            for row in registry_rows(ids=part):
                found.add(row.key)
                self.writer.put(_profile(row))
                count += 1
            for k in part:
                if k not in found:
                    self.writer.delete(k)
            self.writer.commit()
        self._advance(gen, entries, applied | {e.id for e in fresh})
        return count

    def _advance(self, gen: Generation, entries: list[Any], applied: set[int]) -> None:
        """Move the position over every id seen or given up on; ids above a young gap stay 'applied'."""
        now = time.time()
        seen = {e.id for e in entries} | applied
        position = gen.position
        top = max(seen) if seen else position
        while position < top:
            nxt = position + 1
            if nxt in seen:
                position = nxt
                self.gaps.pop(nxt, None)
                continue
            first = self.gaps.setdefault(nxt, now)
            if now - first >= GAP_SECONDS:  # never committed: a rolled-back transaction
                position = nxt
                self.gaps.pop(nxt, None)
                continue
            break
        stamp = next((e.stamp for e in entries if e.id == position), gen.stamp if position == gen.position else "")
        if not stamp and position:
            from coopnet.registry.models import RegistryChange

            stamp = RegistryChange.objects.filter(id=position).values_list("stamp", flat=True).first() or ""
        meta = dict(gen.meta)
        meta.update(position=position, stamp=stamp, applied=sorted(i for i in applied if i > position),
                    gaps={str(k): v for k, v in self.gaps.items()})
        _write_json(gen.path / "position.json", meta)
        gen.meta = meta


def _profile(row: OrgRow) -> dict[str, Any]:
    from coopnet.logic.matching.rerank import profile

    return profile(row, default_glossary().codes_for)


def follow(stop: threading.Event | None = None, *, poll: float | None = None, once: bool = False) -> None:
    """Be this machine's writer until `stop` is set: wait for the writer lock, then follow the log."""
    from django.db import close_old_connections, connection

    root = index_dir()
    root.mkdir(parents=True, exist_ok=True)
    interval = float(poll if poll is not None else _setting("MATCH_INDEX_POLL", 0.2))
    with open(root / "writer.lock", "a+") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if once or (stop is not None and stop.wait(2.0)):
                    return
                if stop is None:
                    time.sleep(2.0)
        follower = Follower()
        try:
            while stop is None or not stop.is_set():
                try:
                    follower.step()
                except Exception:  # the database went away, a disk error: log it and try again
                    log.exception("match index writer step failed")
                    follower.close()
                    follower.gen = None
                    close_old_connections()
                    time.sleep(interval * 10)
                if once:
                    break
                if stop is not None:
                    stop.wait(interval)
                else:
                    time.sleep(interval)
        finally:
            follower.close()
            if threading.current_thread() is not threading.main_thread():
                connection.close()  # the writer thread's own connection (the caller's is left alone)
            fcntl.flock(lock, fcntl.LOCK_UN)


_follower: dict[str, Any] = {"thread": None, "pid": 0, "serving": False}
_stop = threading.Event()


def serving() -> None:
    """Mark this process as a server (the WSGI application calls it): its searches start the writer thread."""
    _follower["serving"] = True


def start_following() -> None:
    """Start this process's writer thread once, in a serving process (it writes only while it holds the
    machine's lock; a process forked from one that had started it starts its own)."""
    if not _follower["serving"] or not _setting("MATCH_INDEX_FOLLOW", True):
        return
    thread = _follower["thread"]
    if thread is not None and _follower["pid"] == os.getpid() and thread.is_alive():
        return
    thread = threading.Thread(target=follow, args=(_stop,), name="match-index-writer", daemon=True)
    _follower.update(thread=thread, pid=os.getpid())
    thread.start()


# ---------------------------------------------------------------------------------------------- serving
@dataclass
class _Serving:
    """This process's view: the current generation and the overlay of the changes after it."""

    gen: Generation | None = None
    overlay: Store | None = None
    overlay_writer: Any = None
    overlay_keys: dict[int, tuple[int, str]] = field(default_factory=dict)  # cold: entry each key was read at
    recent: dict[int, tuple[tuple[int, str], dict[str, Any] | None]] = field(default_factory=dict)  # warm
    cold: tuple[int, str] | None = None  # the overlay holds the whole registry as of this entry
    cold_avgdl: float = 1.0
    cold_centres: dict[str, tuple[float, float]] = field(default_factory=dict)
    origin: str = ""

    def reset_overlay(self) -> None:
        if self.overlay_writer is not None:
            self.overlay_writer.close()
        self.overlay = Store(None)
        self.overlay_writer = self.overlay.writer(heap_bytes=15_000_000)
        self.overlay_keys = {}
        self.recent = {}
        self.cold = None


_lock = threading.RLock()
_serving = _Serving()


def _current() -> Generation | None:
    name = current_name()
    gen = _serving.gen
    if gen is None or gen.name != name:
        gen = open_generation(name)
        _serving.gen = gen
    elif gen is not None:
        try:
            gen.refresh()
        except (OSError, ValueError) as exc:  # a merge removed a file meanwhile: the next request retries
            log.warning("match index reload failed: %s", exc)
    return gen


def get_index() -> LiveIndex:
    """The index as of now: the shared generation and this process's overlay of the newer changes."""
    from coopnet.registry import changes

    start_following()
    overlay_max = int(_setting("MATCH_OVERLAY_MAX", 2000))
    with _lock:
        if _serving.overlay is None:
            _serving.reset_overlay()
        gen = _current()
        if gen is not None:
            entries = changes.since(gen.position, overlay_max + 2)
            if gen.position and (not entries or entries[0].id != gen.position or entries[0].stamp != gen.stamp):
                gen = None  # an index of another database (or of a log rolled back): not usable here
        if gen is None:
            return _cold(overlay_max)
        if _serving.cold is not None:
            _serving.reset_overlay()
        applied = gen.applied
        pending = [e for e in entries if e.id > gen.position and e.id not in applied]
        stale = len(entries) > overlay_max + 1 or sum(e.size for e in pending) > overlay_max
        need = {} if stale else _keys_of(pending)
        _sync_recent(need)
        _serving.origin = "shared"
        return LiveIndex(
            base=gen.store,
            recent=tuple(p for _, p in _serving.recent.values() if p is not None),
            shadow=frozenset(need),
            avgdl=float(gen.meta.get("avgdl", 1.0)),
            centres={k: (float(v[0]), float(v[1])) for k, v in gen.meta.get("centres", {}).items()},
            stale=stale,
        )


def _sync_recent(need: dict[int, tuple[int, str]]) -> None:
    """Hold the profiles of `need`'s organisations as of their latest entry, and no others (None: gone)."""
    recent = _serving.recent
    for k in [k for k in recent if k not in need]:
        del recent[k]
    refresh = [k for k, v in need.items() if k not in recent or recent[k][0] != v]
    if not refresh:
        return
    found: dict[int, dict[str, Any]] = {}
    for row in registry_rows(ids=refresh):
        assert row.key is not None
        found[row.key] = _profile(row)
    for k in refresh:
        recent[k] = (need[k], found.get(k))


def _sync_overlay(need: dict[int, tuple[int, str]]) -> None:
    """Update the cold overlay (the whole registry) with `need`'s organisations as of their latest entry."""
    s = _serving
    assert s.overlay is not None and s.overlay_writer is not None
    changed = False
    refresh = [k for k, v in need.items() if s.overlay_keys.get(k) != v]
    if refresh:
        found = set()
        for row in registry_rows(ids=refresh):
            found.add(row.key)
            s.overlay_writer.put(_profile(row))
        for k in refresh:
            if k not in found:
                s.overlay_writer.delete(k)
            s.overlay_keys[k] = need[k]
        changed = True
    if changed:
        s.overlay_writer.commit()
        s.overlay.reload()


def _cold(overlay_max: int) -> LiveIndex:
    """No usable shared index: the whole registry in the overlay when it is small enough."""
    from coopnet.registry import changes
    from coopnet.registry.models import Organisation

    s = _serving
    entries = changes.since(s.cold[0], overlay_max + 2) if s.cold is not None else []
    if s.cold is None or (s.cold[0] and (not entries or (entries[0].id, entries[0].stamp) != s.cold)) or len(
        entries
    ) > overlay_max + 1:
        s.reset_overlay()
        if Organisation.objects.filter(merged_into__isnull=True).count() > int(_setting("MATCH_COLD_MAX", 5000)):
            raise IndexNotReady("the partner index is being prepared")
        head = changes.head()
        assert s.overlay is not None
        s.overlay_writer.close()
        stats = write_rows(s.overlay, registry_rows())
        s.overlay_writer = s.overlay.writer(heap_bytes=15_000_000)
        s.cold = (head.id, head.stamp) if head else (0, "")
        s.cold_avgdl, s.cold_centres = stats.avgdl, stats.centres
        s.origin = "registry"
        entries = changes.since(s.cold[0], overlay_max + 2)
    fresh = [e for e in entries if e.id > s.cold[0]]
    if fresh:
        _sync_overlay(_keys_of(fresh))
        s.cold = (fresh[-1].id, fresh[-1].stamp)
    return LiveIndex(base=None, overlay=s.overlay, avgdl=s.cold_avgdl, centres=s.cold_centres)


def warm(*, rebuild_now: bool = False) -> tuple[LiveIndex, str]:
    """Make sure this machine has a shared index (build one when there is none, or when asked), bring it up
    to the log's head, and return it with where it came from: "built", "shared"."""
    origin = "shared"
    gen = open_generation(current_name())
    if rebuild_now or gen is None or not gen.current_format:
        rebuild()
        origin = "built"
    follow(poll=0.0, once=True)
    with _lock:
        _serving.gen = None
    return get_index(), origin


def refresh() -> LiveIndex:
    """Rebuild the shared index from the registry now."""
    return warm(rebuild_now=True)[0]


# ---------------------------------------------------------------------------------------------- requests
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
