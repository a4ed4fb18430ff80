"""The columnar observation store: Parquet files in one directory, queried with DuckDB.

Layout of ``<root>``::

    manifest.json                 the batches: id, files, rows, indicators, source, format, created
    batches/<batch id>/*.parquet  the observations of one import (one file, one generator run, ...)

A batch is written to a temporary directory and moved into place, then the manifest is replaced
atomically, so a failed import leaves nothing behind and readers never see half a batch. Writing a
batch id again replaces that batch (imports are idempotent). Every query is a plain SQL file in
``sql/``, run against the view ``obs`` (see view_obs_*.sql); DuckDB is embedded and needs no server.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .schema import BREAKDOWN_COLUMNS, OBSERVATION_SCHEMA

SQL_DIR = Path(__file__).with_name("sql")
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_BATCH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,120}$")

#: Columns of the capacity table that opportunities.sql joins (one row per organisation and code).
CAPACITY_SCHEMA = pa.schema(
    [
        ("org_id", pa.int64()),
        ("public_id", pa.string()),
        ("name", pa.string()),
        ("country", pa.string()),
        ("region", pa.string()),
        ("scheme", pa.string()),
        ("code", pa.string()),
        ("capacity_quantity", pa.float64()),
        ("capacity_unit", pa.string()),
        ("capacity_period", pa.string()),
    ]
)


#: Columns added to the observation schema after the first release (older batches lack them).
_ADDED_COLUMNS = frozenset({"edition", "partner2", "customs", "transport"})


class StoreError(ValueError):
    """A request the store cannot serve (unknown batch, bad argument); the message says why."""


def sql_text(name: str) -> str:
    """The text of ``sql/<name>.sql``."""
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise StoreError(f"no query {name!r}")
    return path.read_text(encoding="utf-8")


def sql_params(sql: str) -> list[str]:
    """Names of the ``$parameters`` a query uses (comments excluded)."""
    body = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    return sorted(set(_PARAM.findall(body)))


@dataclass
class Batch:
    id: str
    files: list[str]
    rows: int
    indicators: list[str]
    source: str = ""
    format: str = ""
    created: str = ""
    synthetic: bool = False
    meta: dict[str, Any] = field(default_factory=dict)
    #: The columns its files have (batches written before a column was added lack it; reads fill '').
    columns: list[str] = field(default_factory=list)
    #: Whether it holds breakdown rows (by second partner, customs procedure or mode of transport).
    breakdowns: bool = False


def capacity_table(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Plain dicts (from the registry) -> the capacity table opportunities.sql expects."""
    columns: dict[str, list[Any]] = {name: [] for name in CAPACITY_SCHEMA.names}
    for row in rows:
        for name in CAPACITY_SCHEMA.names:
            value = row.get(name)
            if name == "scheme" and value is None:
                value = "hs"
            columns[name].append(value if value is not None or name in ("capacity_quantity", "org_id") else "")
    return pa.table(columns, schema=CAPACITY_SCHEMA)


class StatsStore:
    """Observations under ``root`` (created when missing). Thread-safe for readers; writers lock."""

    def __init__(self, root: str | Path, *, threads: int | None = None, memory_limit: str | None = None) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "batches").mkdir(exist_ok=True)
        self.threads = threads
        self.memory_limit = memory_limit

    # ------------------------------------------------------------------ manifest and batches
    @property
    def _manifest_path(self) -> Path:
        return self.root / "manifest.json"

    def _read_manifest(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(self._manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"batches": {}}
        return data

    def _write_manifest(self, data: dict[str, Any]) -> None:
        tmp = self.root / f".manifest-{uuid.uuid4().hex}.json"
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self._manifest_path)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        with open(self.root / ".lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def batches(self) -> list[Batch]:
        data = self._read_manifest()["batches"]
        return [Batch(**{**b, "id": k}) for k, b in sorted(data.items())]

    def batch(self, batch_id: str) -> Batch | None:
        raw = self._read_manifest()["batches"].get(batch_id)
        return None if raw is None else Batch(**{**raw, "id": batch_id})

    def write(
        self,
        batch_id: str,
        tables: pa.Table | Iterable[pa.Table],
        *,
        source: str = "",
        format: str = "",
        meta: Mapping[str, Any] | None = None,
        row_group_size: int = 1_000_000,
    ) -> Batch:
        """Write (or replace) a batch from one table or an iterable of tables (streamed, one file each)."""
        if not _BATCH_ID.match(batch_id):
            raise StoreError(f"batch id {batch_id!r} must be letters, digits, '.', '_' or '-'")
        parts = [tables] if isinstance(tables, pa.Table) else tables
        staging = self.root / f".staging-{uuid.uuid4().hex}"
        staging.mkdir()
        files: list[str] = []
        rows = 0
        indicators: set[str] = set()
        synthetic = False
        breakdowns = False
        try:
            for n, table in enumerate(parts):
                if table.num_rows == 0:
                    continue
                table = table.select(OBSERVATION_SCHEMA.names).cast(OBSERVATION_SCHEMA)
                fname = f"part-{n:05d}.parquet"
                pq.write_table(
                    table,
                    staging / fname,
                    row_group_size=row_group_size,
                    compression="zstd",
                    use_dictionary=True,
                )
                files.append(fname)
                rows += table.num_rows
                indicators.update(str(v) for v in table.column("indicator").unique().to_pylist())
                synthetic = synthetic or bool(table.column("is_synthetic").to_numpy(zero_copy_only=False).any())
                breakdowns = breakdowns or any(
                    bool(pc.any(pc.not_equal(pc.fill_null(table.column(c), ""), "")).as_py()) for c in BREAKDOWN_COLUMNS
                )
            if not files:
                raise StoreError("nothing to write: the batch has no rows")
            batch = Batch(
                id=batch_id,
                files=files,
                rows=rows,
                indicators=sorted(indicators),
                source=source,
                format=format,
                created=datetime.now(UTC).isoformat(timespec="seconds"),
                synthetic=synthetic,
                meta=dict(meta or {}),
                columns=list(OBSERVATION_SCHEMA.names),
                breakdowns=breakdowns,
            )
            with self._lock():
                target = self.root / "batches" / batch_id
                trash = self.root / f".trash-{uuid.uuid4().hex}"
                if target.exists():
                    os.replace(target, trash)
                os.replace(staging, target)
                data = self._read_manifest()
                record = {k: v for k, v in batch.__dict__.items() if k != "id"}
                data["batches"][batch_id] = record
                self._write_manifest(data)
                if trash.exists():
                    shutil.rmtree(trash, ignore_errors=True)
            return batch
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)

    def write_result(
        self, batch_id: str, result: Any, *, source: str = "", meta: Mapping[str, Any] | None = None
    ) -> Batch:
        """Write an importer's result, or nothing at all when it has errors (StoreError says how many)."""
        if not result.ok:
            raise StoreError(f"nothing written: {result.error_count} error(s) in the file")
        return self.write(batch_id, result.table, source=source, format=result.format, meta=meta)

    def delete(self, batch_id: str) -> bool:
        with self._lock():
            data = self._read_manifest()
            if batch_id not in data["batches"]:
                return False
            del data["batches"][batch_id]
            self._write_manifest(data)
            shutil.rmtree(self.root / "batches" / batch_id, ignore_errors=True)
            return True

    def files(self) -> list[Path]:
        out: list[Path] = []
        for b in self.batches():
            out.extend(self.root / "batches" / b.id / f for f in b.files)
        return out

    def overlapping_indicators(self) -> list[str]:
        """Indicators that two or more batches carry (their values may conflict; obs resolves them)."""
        seen: dict[str, int] = {}
        for b in self.batches():
            for ind in b.indicators:
                seen[ind] = seen.get(ind, 0) + 1
        return sorted(k for k, v in seen.items() if v > 1)

    # ------------------------------------------------------------------ queries
    def connect(self, capacity: pa.Table | None = None) -> duckdb.DuckDBPyConnection:
        """A DuckDB connection with the views obs_all and obs (and the table capacity when given)."""
        config: dict[str, Any] = {}
        if self.threads:
            config["threads"] = self.threads
        if self.memory_limit:
            config["memory_limit"] = self.memory_limit
        con = duckdb.connect(":memory:", config=config)
        batches = self.batches()
        files = [str(self.root / "batches" / b.id / f) for b in batches for f in b.files]
        if files:
            listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
            names = OBSERVATION_SCHEMA.names
            if all(set(names) <= set(b.columns) for b in batches):
                con.execute(f"CREATE VIEW obs_all AS SELECT {', '.join(names)} FROM read_parquet([{listing}])")
            else:
                # Some batches were written before a column existed: read by name, fill what they lack.
                present = {
                    row[0]
                    for row in con.execute(
                        f"DESCRIBE SELECT * FROM read_parquet([{listing}], union_by_name = true)"
                    ).fetchall()
                }
                select = ", ".join(
                    (f"coalesce({n}, '') AS {n}" if n in present else f"''::VARCHAR AS {n}")
                    if OBSERVATION_SCHEMA.field(n).type == pa.string() and n in _ADDED_COLUMNS
                    else n
                    for n in names
                )
                con.execute(
                    f"CREATE VIEW obs_all AS SELECT {select} FROM read_parquet([{listing}], union_by_name = true)"
                )
        else:
            con.register("obs_empty", OBSERVATION_SCHEMA.empty_table())
            con.execute("CREATE VIEW obs_all AS SELECT * FROM obs_empty")
        # Indicators read totals only: breakdown rows stay visible in obs_all (series, conflicts, exports).
        totals = " AND ".join(f"{c} = ''" for c in BREAKDOWN_COLUMNS)
        if any(b.breakdowns for b in batches):
            con.execute(f"CREATE VIEW obs_totals AS SELECT * FROM obs_all WHERE {totals}")
        else:
            con.execute("CREATE VIEW obs_totals AS SELECT * FROM obs_all")
        overlapping = self.overlapping_indicators()
        if overlapping:
            con.execute("CREATE TABLE overlapping (indicator VARCHAR)")
            con.executemany("INSERT INTO overlapping VALUES (?)", [[i] for i in overlapping])
            con.execute(sql_text("view_obs_resolved"))
        else:
            con.execute(sql_text("view_obs_plain"))
        if capacity is not None:
            # A view over the Arrow table (no copy): the queries read it once into a materialised CTE.
            con.register("capacity_arrow", capacity)
            con.execute("CREATE VIEW capacity AS SELECT * FROM capacity_arrow")
        return con

    def run(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        *,
        capacity: pa.Table | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> list[dict[str, Any]]:
        """Run ``sql/<name>.sql`` with named parameters (missing ones are NULL); rows as dicts."""
        table = self.run_arrow(name, params, capacity=capacity, con=con)
        rows: list[dict[str, Any]] = table.to_pylist()
        return rows

    def run_arrow(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        *,
        capacity: pa.Table | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> pa.Table:
        sql = sql_text(name)
        given = dict(params or {})
        used = {p: given.get(p) for p in sql_params(sql)}
        own = con is None
        connection = self.connect(capacity) if con is None else con
        try:
            relation = connection.sql(sql, params=used) if used else connection.sql(sql)
            table: pa.Table = relation.to_arrow_table()
            return table
        finally:
            if own:
                connection.close()

    def catalog(self) -> list[dict[str, Any]]:
        return self.run("catalog")

    def conflicts(self, indicator: str | None = None) -> list[dict[str, Any]]:
        return self.run("conflicts", {"indicator": indicator})

    def series(self, indicator: str, *, limit: int = 10_000, **filters: Any) -> list[dict[str, Any]]:
        return self.run("series", {"indicator": indicator, "limit": limit, **filters})

    def map_values(self, indicator: str, **filters: Any) -> list[dict[str, Any]]:
        return self.run("map", {"indicator": indicator, **filters})

    def opportunities(
        self,
        capacity: pa.Table,
        *,
        depth: int = 6,
        level: int = 6,
        year: int | None = None,
        reporter: str | None = None,
        product: str | None = None,
        gaps: bool = False,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        if depth not in (2, 4, 6, 8, 10) or depth > level:
            raise StoreError(f"depth must be 2, 4, 6, 8 or 10 and not finer than the data level {level}")
        if year is None:
            year = self.latest_year("trade", "import")
            if year is None:
                return []
        return self.run(
            "opportunities",
            {
                "depth": depth,
                "level": level,
                "year": year,
                "reporter": reporter,
                "product": product,
                "gaps": gaps,
                "limit": limit,
            },
            capacity=capacity,
        )

    def latest_year(self, indicator: str, flow: str | None = None) -> int | None:
        rows = self.run("latest_year", {"indicator": indicator, "flow": flow})
        year = rows[0]["year"] if rows else None
        return None if year is None else int(year)

    def suppliers(self, capacity: pa.Table, product: str) -> list[dict[str, Any]]:
        return self.run("opportunity_suppliers", {"product": product}, capacity=capacity)


def read_batches(root: str | Path) -> Sequence[Batch]:
    """The batches of the store at ``root`` (without opening DuckDB)."""
    return StatsStore(root).batches()
