"""Bulk import of organisations from CSV/XLSX: all or nothing, idempotent, fast.

Steps (each row keeps its row number from parse to report), all in one transaction:

1. **Parse and validate** (``coopnet.logic.registry.rows``), streaming; a large CSV file is validated by
   a pool of processes (``parse_batches``). Valid rows go to a temporary staging table on the same
   connection.
2. **Apply every ``FLUSH_ROWS`` rows**, while the next ones are validated, set-based: rows are matched to
   existing organisations by ``(ref_source, ref)``; new ones are copied from the staging table by SQL
   (organisation, its import competency line, the code index, and simple-history's historical rows);
   changed ones are updated with a ``~`` history row; unchanged ones are not touched, so re-importing the
   same file changes nothing and writes no history. Rows of organisations merged since are left alone.
   Once any row is invalid (or the file unreadable) nothing more is written, the file is read to its
   end for the report, and the transaction is rolled back: only the ``ImportRun`` with its report stays.
3. **Duplicate candidates** among the new organisations and the registry are scored and stored for
   review (``coopnet.registry.dedupe``), when the registry is small enough to scan at import time.

The competency line an import writes is the organisation's ``from_import`` line: ``products`` is its
description, ``hs``/``nace``/``certifications`` its codes. Other lines (entered by hand) are kept.
"""
from __future__ import annotations

import functools
import io
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from coopnet.logic.registry.rows import Issue, Report, RestartRead, Rules, parse_batches
from coopnet.logic.registry.staging import STAGE_COLUMNS, stage_values

from . import changes
from .choices import OrganisationKind
from .models import Competency, ImportRun, Organisation
from .models.imports import ImportStatus

__all__ = ["ImportResult", "import_organisations", "rules_from_reference", "DEFAULT_SOURCE", "STAGE_TABLE",
           "ORG_COLUMNS", "COMP_COLUMNS"]

DEFAULT_SOURCE = "import"
STAGE_TABLE = "coopnet_import_stage"
BATCH = 2000  # rows per staging insert (and per chunk a validation worker takes)
FLUSH_ROWS = 20_000  # staged rows written to the registry at a time, while the next ones are validated
PARALLEL_MIN_BYTES = 4 * 1024 * 1024  # files from this size on are validated by a pool of processes
CHUNK_BYTES = 2 * 1024 * 1024  # the part of the file a validation process takes at a time
SQLITE_CACHE_KIB = 512 * 1024
DUPLICATE_SCAN_LIMIT = 200_000  # registry size above which duplicates are left to `coopnet duplicates`

ORG = Organisation._meta.db_table
HORG = Organisation.history.model._meta.db_table
COMP = Competency._meta.db_table
HCOMP = Competency.history.model._meta.db_table
CODE = "registry_competencycode"

# The registry tables' columns in the order the bulk statements write them.
ORG_COLUMNS = (
    "id", "created", "updated", "source", "source_note", "is_synthetic", "public_id", "ref", "ref_source", "name",
    "name_en", "legal_form", "kind", "city", "lat", "lon", "tax_id", "employees", "size", "website",
    "description", "country_id", "merged_into_id", "region_id",
)
COMP_COLUMNS = (
    "id", "created", "updated", "source", "source_note", "is_synthetic", "description", "description_en",
    "hs_codes", "nace_codes", "capacity_quantity", "capacity_unit", "capacity_period", "certifications",
    "from_import", "organisation_id",
)
_HIST = ("history_date", "history_change_reason", "history_type", "history_user_id")


@dataclass
class ImportResult:
    run: ImportRun
    report: Report
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0  # rows whose organisation was merged into another since: not applied
    duplicates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report.ok

    def as_dict(self) -> dict[str, Any]:
        data = self.report.as_dict()
        data.update(
            run=self.run.pk, status=self.run.status, source=self.run.source, dry_run=self.run.dry_run,
            created=self.created, updated=self.updated, unchanged=self.unchanged, merged=self.merged,
            duplicates=self.duplicates,
            seconds=round(self.run.seconds, 3),
        )
        return data

    def lines(self) -> Iterator[str]:
        yield from self.report.lines()
        if self.report.ok:
            verb = "would be" if self.run.dry_run else "were"
            yield (f"{self.created} organisations {verb} created, {self.updated} updated, "
                   f"{self.unchanged} unchanged (source {self.run.source!r}).")
            if self.merged:
                yield (f"{self.merged} rows belong to merged organisations and were not applied "
                       "(see the warnings).")
        for d in self.duplicates:
            yield (f"possible duplicate ({d['status']}, {d['confidence']:.2f}): row {d.get('row', '-')} "
                   f"{d['name']} ~ {d['other_public_id']} {d['other_name']}: {'; '.join(d['reasons'])}")


def rules_from_reference() -> Rules:
    """Validation rules from the reference tables: countries, regions, HS chapters, NACE divisions."""
    from coopnet.reference.models import Country, HSCode, NACECode, Region

    return Rules(
        countries=frozenset(Country.objects.values_list("code", flat=True)),
        regions=dict(Region.objects.values_list("code", "country_id")),
        hs_codes=frozenset(HSCode.objects.filter(level=2).values_list("code", flat=True)) or None,
        nace_codes=frozenset(NACECode.objects.filter(level=2).values_list("code", flat=True)) or None,
    )


def _ph(n: int) -> str:
    return ", ".join(["%s"] * n)


def _distinct_op() -> str:
    return "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"


def _create_stage(cursor: Any) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE_TABLE}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGE_TABLE} (line integer PRIMARY KEY, ref varchar(100) NOT NULL, "
        "name varchar(500) NOT NULL, name_en varchar(500) NOT NULL, country varchar(2) NOT NULL, "
        "region varchar(6) NULL, city varchar(200) NOT NULL, lat double precision NULL, lon double precision NULL, "
        "tax_id varchar(20) NOT NULL, employees integer NULL, size varchar(10) NOT NULL, "
        "website varchar(300) NOT NULL, legal_form varchar(12) NOT NULL, is_synthetic boolean NOT NULL, "
        "products text NOT NULL, hs text NOT NULL, nace text NOT NULL, certs text NOT NULL, "
        "hs_json text NOT NULL, nace_json text NOT NULL, public_id varchar(20) NOT NULL, "
        "org_id bigint NULL, comp_id bigint NULL, merged_into bigint NULL, changed integer NOT NULL DEFAULT 0)"
    )


_STAGE_INSERT = f"INSERT INTO {STAGE_TABLE} ({', '.join(STAGE_COLUMNS)}) VALUES ({_ph(len(STAGE_COLUMNS))})"


def _codes(comp_id: int, org_id: int, hs: str, nace: str) -> list[tuple[Any, ...]]:
    out = [("hs", c, comp_id, org_id) for c in hs.split(";") if c]
    out += [("nace", c, comp_id, org_id) for c in nace.split(";") if c]
    return out


class _Writer:
    """Bulk writes of one import, inside the caller's transaction."""

    def __init__(self, cursor: Any, run: ImportRun, filename: str, user_id: int | None) -> None:
        self.cursor = cursor
        self.source = run.source
        self.filename = filename
        self.user_id = user_id
        self.reason = f"import #{run.pk}: {filename}"[:200]
        now = timezone.now()
        self.now = connection.ops.adapt_datetimefield_value(now)
        self.sql_org = f"INSERT INTO {ORG} ({', '.join(ORG_COLUMNS)}) VALUES ({_ph(len(ORG_COLUMNS))})"
        self.sql_horg = (f"INSERT INTO {HORG} ({', '.join(ORG_COLUMNS + _HIST)}) "
                         f"VALUES ({_ph(len(ORG_COLUMNS) + len(_HIST))})")
        self.sql_comp = f"INSERT INTO {COMP} ({', '.join(COMP_COLUMNS)}) VALUES ({_ph(len(COMP_COLUMNS))})"
        self.sql_hcomp = (f"INSERT INTO {HCOMP} ({', '.join(COMP_COLUMNS + _HIST)}) "
                          f"VALUES ({_ph(len(COMP_COLUMNS) + len(_HIST))})")
        self.sql_code = f"INSERT INTO {CODE} (scheme, code, competency_id, organisation_id) VALUES (%s, %s, %s, %s)"
        # New rows get ids above these (see insert_new), fixed before this import writes anything.
        self.org_base, self.comp_base = self._max_id(ORG), self._max_id(COMP)
        # Matching staged rows to organisations of this source is needed only if the source has any
        # (decided once, before this import writes its own rows).
        cursor.execute(f"SELECT 1 FROM {ORG} WHERE ref_source = %s LIMIT 1", [self.source])
        self.source_known = cursor.fetchone() is not None

    def _max_id(self, table: str) -> int:
        self.cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return int(self.cursor.fetchone()[0])

    def _source(self, row: int) -> str:
        return f"{self.filename}:{row}"[:300]

    def _comp(self, comp_id: int, org_id: int, s: dict[str, Any], created: Any) -> tuple[Any, ...]:
        return (comp_id, created, self.now, self._source(s["line"]), "", s["is_synthetic"], s["products"], "",
                s["hs"], s["nace"], None, "", "", s["certs"], True, org_id)

    def insert_new(self, lines: tuple[int, int]) -> list[int]:
        """Insert the staged rows of ``lines`` (first, last file row) without a match, set-based: the rows
        are copied from the staging table by SQL (the id of row n is ``org_base + n``, its import line's
        ``comp_base + n``), history rows are copied from the rows just written."""
        c = self.cursor
        st = STAGE_TABLE
        lo, hi = int(lines[0]), int(lines[1])
        base, comp_base = self.org_base, self.comp_base
        has_line = "(s.products <> '' OR s.hs <> '' OR s.nace <> '' OR s.certs <> '')"
        new = f"FROM {st} s WHERE s.org_id IS NULL AND s.line BETWEEN {lo} AND {hi}"
        src = "SUBSTR(%s || s.line, 1, 300)"
        c.execute(
            f"INSERT INTO {ORG} ({', '.join(ORG_COLUMNS)}) SELECT {base} + s.line, %s, %s, {src}, '', "
            f"s.is_synthetic, s.public_id, s.ref, %s, s.name, s.name_en, s.legal_form, %s, s.city, s.lat, s.lon, "
            f"s.tax_id, s.employees, s.size, s.website, '', s.country, NULL, s.region {new} ORDER BY s.line",
            [self.now, self.now, self.filename + ":", self.source, OrganisationKind.ENTERPRISE])
        cols = ", ".join(ORG_COLUMNS)
        c.execute(f"INSERT INTO {HORG} ({cols}, {', '.join(_HIST)}) SELECT {cols}, %s, %s, '+', %s FROM {ORG} "
                  f"WHERE id BETWEEN %s AND %s ORDER BY id",
                  [self.now, self.reason, self.user_id, base + lo, base + hi])
        c.execute(
            f"INSERT INTO {COMP} ({', '.join(COMP_COLUMNS)}) SELECT {comp_base} + s.line, %s, %s, {src}, '', "
            f"s.is_synthetic, s.products, '', s.hs, s.nace, NULL, '', '', s.certs, %s, {base} + s.line {new} "
            f"AND {has_line} ORDER BY s.line", [self.now, self.now, self.filename + ":", True])
        ccols = ", ".join(COMP_COLUMNS)
        c.execute(f"INSERT INTO {HCOMP} ({ccols}, {', '.join(_HIST)}) SELECT {ccols}, %s, %s, '+', %s FROM {COMP} "
                  f"WHERE id BETWEEN %s AND %s ORDER BY id",
                  [self.now, self.reason, self.user_id, comp_base + lo, comp_base + hi])
        sqlite = connection.vendor == "sqlite"
        for scheme, column in (("hs", "hs_json"), ("nace", "nace_json")):
            elements = (f"json_each(s.{column}) j" if sqlite
                        else f"LATERAL jsonb_array_elements_text(s.{column}::jsonb) AS j(value)")
            c.execute(
                f"INSERT INTO {CODE} (scheme, code, competency_id, organisation_id) SELECT %s, j.value, "
                f"{comp_base} + s.line, {base} + s.line FROM {st} s, {elements} WHERE s.org_id IS NULL "
                f"AND s.line BETWEEN {lo} AND {hi} ORDER BY s.line", [scheme])
        c.execute(f"SELECT {base} + s.line {new} ORDER BY s.line")
        return [int(r[0]) for r in c.fetchall()]

    def mark_existing(self, lines: tuple[int, int]) -> tuple[int, int, list[tuple[int, str, str, str]]]:
        """Match the staged rows of ``lines`` to existing organisations and flag the changed ones.
        Rows whose organisation has been merged into another are left alone (the merged record keeps
        its history as it was). Returns (matched, changed, [(row, ref, public ID, survivor's) merged])."""
        if not self.source_known:
            return 0, 0, []
        c = self.cursor
        in_lines = f"line BETWEEN {int(lines[0])} AND {int(lines[1])}"
        match = f"FROM {ORG} o WHERE o.ref_source = %s AND o.ref = {STAGE_TABLE}.ref AND NOT (o.ref = '')"
        c.execute(
            f"UPDATE {STAGE_TABLE} SET org_id = (SELECT o.id {match}), merged_into = (SELECT o.merged_into_id "
            f"{match}) WHERE {in_lines}",
            [self.source, self.source],
        )
        c.execute(
            f"SELECT s.line, s.ref, o.public_id, k.public_id FROM {STAGE_TABLE} s JOIN {ORG} o ON o.id = s.org_id "
            f"JOIN {ORG} k ON k.id = s.merged_into WHERE s.{in_lines} ORDER BY s.line"
        )
        merged = [(int(r[0]), r[1], r[2] or "", r[3] or "") for r in c.fetchall()]
        c.execute(
            f"UPDATE {STAGE_TABLE} SET comp_id = (SELECT MIN(c.id) FROM {COMP} c WHERE "
            f"c.organisation_id = {STAGE_TABLE}.org_id AND c.from_import) WHERE org_id IS NOT NULL "
            f"AND merged_into IS NULL AND {in_lines}"
        )
        ne = _distinct_op()
        st = STAGE_TABLE
        org_diff = " OR ".join(
            f"o.{a} {ne} {st}.{b}" for a, b in (
                ("name", "name"), ("name_en", "name_en"), ("country_id", "country"), ("region_id", "region"),
                ("city", "city"), ("lat", "lat"), ("lon", "lon"), ("tax_id", "tax_id"),
                ("employees", "employees"), ("website", "website"), ("is_synthetic", "is_synthetic"),
            )
        )
        comp_diff = " OR ".join(
            f"c.{a} {ne} {st}.{b}" for a, b in (
                ("description", "products"), ("hs_codes", "hs"), ("nace_codes", "nace"), ("certifications", "certs"),
            )
        )
        c.execute(
            f"UPDATE {st} SET changed = 1 WHERE org_id IS NOT NULL AND merged_into IS NULL AND {in_lines} AND ("
            f"EXISTS (SELECT 1 FROM {ORG} o WHERE o.id = {st}.org_id AND ({org_diff})) "
            f"OR (comp_id IS NULL AND (products <> '' OR hs <> '' OR nace <> '' OR certs <> '')) "
            f"OR EXISTS (SELECT 1 FROM {COMP} c WHERE c.id = {st}.comp_id AND ({comp_diff})))"
        )
        c.execute(f"SELECT COUNT(*), COALESCE(SUM(changed), 0) FROM {st} WHERE org_id IS NOT NULL "
                  f"AND merged_into IS NULL AND {in_lines}")
        matched, changed = c.fetchone()
        return int(matched), int(changed), merged

    def update_changed(self, lines: tuple[int, int]) -> list[int]:
        """Update the changed organisations of ``lines`` and their import line, with '~' history rows.
        Returns their ids."""
        org_cols = ", ".join(f"o.{c}" for c in ORG_COLUMNS)
        read = connection.cursor()
        read.execute(
            f"SELECT {', '.join('s.' + c for c in STAGE_COLUMNS)}, s.comp_id, {org_cols} "
            f"FROM {STAGE_TABLE} s JOIN {ORG} o ON o.id = s.org_id WHERE s.changed = 1 "
            f"AND s.line BETWEEN {int(lines[0])} AND {int(lines[1])} ORDER BY s.line"
        )
        n_stage = len(STAGE_COLUMNS) + 1
        set_org = ("updated", "source", "is_synthetic", "name", "name_en", "legal_form", "city", "lat", "lon",
                   "tax_id", "employees", "size", "website", "country_id", "region_id")
        sql_update = f"UPDATE {ORG} SET {', '.join(c + ' = %s' for c in set_org)} WHERE id = %s"
        comp_set = ("updated", "source", "is_synthetic", "description", "hs_codes", "nace_codes", "certifications")
        sql_comp_update = f"UPDATE {COMP} SET {', '.join(c + ' = %s' for c in comp_set)} WHERE id = %s"
        hist_change = (self.now, self.reason, "~", self.user_id)
        changed: list[int] = []
        while chunk := read.fetchmany(BATCH):
            updates, horgs, comp_updates, comps, hcomps, codes, drop_codes, drop_comps = [], [], [], [], [], [], [], []
            for values in chunk:
                s = dict(zip(STAGE_COLUMNS, values[: n_stage - 1], strict=True))
                existing_comp = values[n_stage - 1]
                o = dict(zip(ORG_COLUMNS, values[n_stage:], strict=True))
                changed.append(int(o["id"]))
                o.update(
                    updated=self.now, source=self._source(s["line"]), is_synthetic=s["is_synthetic"], name=s["name"],
                    name_en=s["name_en"], legal_form=s["legal_form"] or o["legal_form"], city=s["city"],
                    lat=s["lat"], lon=s["lon"], tax_id=s["tax_id"], employees=s["employees"], size=s["size"],
                    website=s["website"], country_id=s["country"], region_id=s["region"],
                )
                updates.append(tuple(o[c] for c in set_org) + (o["id"],))
                horgs.append(tuple(o[c] for c in ORG_COLUMNS) + hist_change)
                has_line = bool(s["products"] or s["hs"] or s["nace"] or s["certs"])
                if existing_comp is not None:
                    drop_codes.append((existing_comp,))
                    if has_line:
                        comp_updates.append((self.now, self._source(s["line"]), s["is_synthetic"], s["products"],
                                             s["hs"], s["nace"], s["certs"], existing_comp))
                        codes += _codes(existing_comp, o["id"], s["hs"], s["nace"])
                    else:
                        drop_comps.append(existing_comp)
                elif has_line:
                    comp_id = self.comp_base + s["line"]  # as insert_new numbers them: never taken
                    comp = self._comp(comp_id, o["id"], s, self.now)
                    comps.append(comp)
                    hcomps.append(comp + (self.now, self.reason, "+", self.user_id))
                    codes += _codes(comp_id, o["id"], s["hs"], s["nace"])
            c = self.cursor
            c.executemany(sql_update, updates)
            c.executemany(self.sql_horg, horgs)
            if drop_codes:
                c.executemany(f"DELETE FROM {CODE} WHERE competency_id = %s", drop_codes)
            if comp_updates:
                c.executemany(sql_comp_update, comp_updates)
                ids = [u[-1] for u in comp_updates]
                self._history_of_competencies(ids, "~")
            if drop_comps:
                self._history_of_competencies(drop_comps, "-")
                c.executemany(f"DELETE FROM {COMP} WHERE id = %s", [(i,) for i in drop_comps])
            if comps:
                c.executemany(self.sql_comp, comps)
                c.executemany(self.sql_hcomp, hcomps)
            if codes:
                c.executemany(self.sql_code, codes)
        read.close()
        return changed

    def _history_of_competencies(self, ids: list[int], kind: str) -> None:
        cols = ", ".join(COMP_COLUMNS)
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            self.cursor.execute(
                f"INSERT INTO {HCOMP} ({cols}, {', '.join(_HIST)}) SELECT {cols}, %s, %s, %s, %s FROM {COMP} "
                f"WHERE id IN ({_ph(len(part))})",
                [self.now, self.reason, kind, self.user_id, *part],
            )


def _reset_sequences() -> None:
    if connection.vendor == "sqlite":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), [Organisation, Competency])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def import_organisations(
    stream: IO[bytes],
    filename: str,
    *,
    source: str = DEFAULT_SOURCE,
    user: Any = None,
    dry_run: bool = False,
    rules: Rules | None = None,
    duplicates: bool = True,
    workers: int | None = None,
) -> ImportResult:
    """Validate the file and (unless ``dry_run``) write it, all or nothing, in one transaction.

    ``stream`` is a binary, seekable file. Re-importing the same file with the same ``source``
    updates the organisations it created and never duplicates them. ``workers``: processes that read and
    validate the file (None: decided by its size and the ``IMPORT_WORKERS`` setting)."""
    started = time.perf_counter()
    source = (source or DEFAULT_SOURCE).strip()[:100]
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    run = ImportRun.objects.create(user_id=user_id, filename=filename[:300], source=source, dry_run=dry_run,
                                   status=ImportStatus.CHECKED if dry_run else ImportStatus.APPLIED)
    report = Report(filename=filename)
    result = ImportResult(run=run, report=report)
    rules = rules or rules_from_reference()
    cursor = connection.cursor()
    if connection.vendor == "sqlite":
        # A large page cache keeps the indexes of the registry tables in memory during bulk writes.
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        if not connection.in_atomic_block:  # (SQLite allows this outside a transaction only)
            # The staging table holds at most FLUSH_ROWS rows and a batch (it is emptied after each
            # write), so it can live in memory rather than in a temporary file.
            cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        _run(cursor, stream, filename, rules, report, result, run, user_id, dry_run, duplicates,
             _workers(stream) if workers is None else workers)
    except Exception:
        run.status = ImportStatus.FAILED
        run.finished = timezone.now()
        run.report = {"file_error": "the import stopped on an internal error; nothing was written"}
        run.save()
        raise
    finally:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE_TABLE}")
        cursor.close()
    if report.file_error:
        run.status = ImportStatus.FAILED
    elif not report.ok:
        run.status = ImportStatus.INVALID
    run.rows, run.invalid = report.rows, report.invalid
    run.created_count, run.updated_count, run.unchanged_count = result.created, result.updated, result.unchanged
    run.duplicates_count = len(result.duplicates)
    run.finished = timezone.now()
    run.seconds = time.perf_counter() - started
    run.report = result.as_dict()
    run.save()
    return result


def _workers(stream: IO[bytes]) -> int:
    """Validation processes for this file: none for small files (a pool costs more than it saves), and
    none in a multi-threaded process (a web server's threads: forking there is not safe)."""
    workers = int(getattr(settings, "IMPORT_WORKERS", 0))
    if workers < 1 or threading.active_count() > 1:
        return 0
    try:
        size = stream.seek(0, io.SEEK_END)
        stream.seek(0)
    except (OSError, ValueError):
        return 0
    return workers if size >= PARALLEL_MIN_BYTES else 0


def _run(cursor: Any, stream: IO[bytes], filename: str, rules: Rules, report: Report, result: ImportResult,
         run: ImportRun, user_id: int | None, dry_run: bool, duplicates: bool, workers: int) -> None:
    try:
        new_ids = _apply(cursor, stream, filename, rules, report, result, run, user_id, dry_run, workers)
    except RestartRead:
        # the parallel reader could not vouch for this file; its writes were rolled back: read it again
        report.reset()
        result.created = result.updated = result.unchanged = result.merged = 0
        new_ids = _apply(cursor, stream, filename, rules, report, result, run, user_id, dry_run, 0)
    if duplicates and new_ids:
        from .dedupe import candidates_for_new

        result.duplicates = candidates_for_new(new_ids, run=run, report=report, limit=DUPLICATE_SCAN_LIMIT)


def _apply(cursor: Any, stream: IO[bytes], filename: str, rules: Rules, report: Report, result: ImportResult,
           run: ImportRun, user_id: int | None, dry_run: bool, workers: int) -> list[int]:
    """Stage the valid rows while the file is read and validated; every ``FLUSH_ROWS`` rows (if the
    file is valid so far) write them to the registry, so writing overlaps validation. All of it is
    one transaction: a bad row anywhere in the file rolls everything back. Returns the new ids."""
    writer = _Writer(cursor, run, filename, user_id)
    new_ids: list[int] = []
    changed_ids: list[int] = []
    new_ranges: list[tuple[int, int]] = []  # ids the new organisations of each write may take
    staged = (0, 0)  # (first, last) file row staged and not yet written

    def flush() -> None:
        nonlocal staged
        matched, changed, merged = writer.mark_existing(staged)
        result.updated += changed
        result.unchanged += matched - changed
        result.merged += len(merged)
        for row, ref, public_id, survivor in merged:
            report.add(Issue(row, "ref", ref, f"organisation {public_id} was merged into {survivor}; "
                             "this row is not applied (edit the organisation it was merged into)", "warning"))
        if dry_run:
            cursor.execute(f"SELECT COUNT(*) FROM {STAGE_TABLE} WHERE org_id IS NULL "
                           f"AND line BETWEEN {int(staged[0])} AND {int(staged[1])}")
            result.created += int(cursor.fetchone()[0])
        else:
            new_ids.extend(writer.insert_new(staged))
            new_ranges.append((writer.org_base + staged[0], writer.org_base + staged[1]))
            changed_ids.extend(writer.update_changed(staged))
        cursor.execute(f"DELETE FROM {STAGE_TABLE}")  # written: the staging table only holds what is not
        staged = (0, 0)

    with transaction.atomic():
        _create_stage(cursor)
        pending = 0
        stream.seek(0)
        transform = functools.partial(stage_values, id_base=writer.org_base)
        for batch in parse_batches(stream, filename, rules, report, transform=transform, workers=workers,
                                   batch=BATCH, chunk_bytes=CHUNK_BYTES):
            if not report.ok:
                continue  # the file is invalid: read on for the report, write nothing
            cursor.executemany(_STAGE_INSERT, batch.rows)
            staged = (staged[0] or batch.first, batch.last)
            pending += batch.count
            if pending >= FLUSH_ROWS:
                flush()
                pending = 0
        if not report.ok:
            transaction.set_rollback(True)
            result.updated = result.unchanged = result.created = result.merged = 0
            return []
        if pending:
            flush()
        if not dry_run:
            result.created = len(new_ids)
            _reset_sequences()
            # the partner search follows the change log: one row per write of new organisations (a range
            # of ids), one per changed organisation; written last, so that the entries commit at once
            if result.created:
                for first, last in new_ranges:
                    changes.record_range(first, last)
            changes.record(changed_ids)
    return new_ids


def import_bytes(data: bytes, filename: str, **kwargs: Any) -> ImportResult:
    """Convenience for tests and the API: import an in-memory file."""
    return import_organisations(io.BytesIO(data), filename, **kwargs)
