"""SDMX in and out: coopnet's observations as SDMX-CSV 2.0 and SDMX-ML 2.1, through the ``sdmx1`` library.

One data structure (DSD ``COOPNET:DSD_OBSERVATIONS(1.0)``, dataflow ``COOPNET:DF_OBSERVATIONS(1.0)``)
describes every observation; its dimensions and attributes use the SDMX cross-domain concept names
where one exists (REF_AREA, COUNTERPART_AREA, TIME_PERIOD, FREQ, UNIT_MEASURE, UNIT_MULT, OBS_VALUE,
COMMENT_OBS, ...). The mapping is :data:`DIMENSIONS` and :data:`ATTRIBUTES`, written out in
docs/stats-formats.md. Export then import into an empty store gives the same observations.

Reading goes through sdmx1's readers; every observation is then checked by the same rules as every other
format (:func:`make_observation`), and a file with any error gives nothing. SDMX-ML is refused when it
declares a DTD or entities (no SDMX message needs them; they are how XML bombs and external-entity
attacks come in) or when it is larger than :data:`MAX_BYTES`. Pure module: no Django.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from .reading import ImportResult, read_utf8
from .schema import COLUMNS, TOTAL, Observation, ObservationError, make_observation, to_table

FORMATS: tuple[str, ...] = ("sdmx-csv", "sdmx-ml")
AGENCY = "COOPNET"
DSD_ID = "DSD_OBSERVATIONS"
DATAFLOW_ID = "DF_OBSERVATIONS"
VERSION = "1.0"
#: Largest SDMX file read (bytes): sdmx1 builds an object per observation (about 2 KB each in memory).
MAX_BYTES = 64 * 1024 * 1024
#: SDMX's code for "not applicable" (an empty dimension) and for "total" (all products, procedures, modes).
NOT_APPLICABLE = "_Z"
ALL = "_T"


@dataclass(frozen=True)
class Component:
    id: str
    field: str
    name: str
    #: The SDMX code written for an empty value (and read back as empty).
    empty: str = NOT_APPLICABLE


#: Dimensions of the key, in order: SDMX id, observation field, name.
DIMENSIONS: tuple[Component, ...] = (
    Component("INDICATOR", "indicator", "Indicator"),
    Component("FREQ", "period_kind", "Frequency"),
    Component("REF_AREA", "reporter", "Reference area (reporter)"),
    Component("COUNTERPART_AREA", "partner", "Counterpart area (partner)"),
    Component("TRADE_FLOW", "flow", "Flow"),
    Component("CLASSIFICATION", "scheme", "Product classification"),
    Component("PRODUCT", "product", "Product or activity", ALL),
    Component("COUNTERPART_AREA2", "partner2", "Second counterpart area (breakdown)"),
    Component("CUSTOMS_PROCEDURE", "customs", "Customs procedure (breakdown)", ALL),
    Component("TRANSPORT_MODE", "transport", "Mode of transport (breakdown)", ALL),
    Component("TIME_PERIOD", "period", "Time period"),
)
#: Attributes of each observation.
ATTRIBUTES: tuple[Component, ...] = (
    Component("UNIT_MEASURE", "unit", "Unit of measure"),
    Component("CURRENCY", "currency", "Currency"),
    Component("UNIT_MULT", "", "Unit multiplier (power of 10)"),
    Component("CLASSIFICATION_EDITION", "edition", "Classification edition (HS: H0 to H6)"),
    Component("SOURCE_DETAIL", "source", "Source"),
    Component("SOURCE_DOCUMENT", "document", "Document"),
    Component("SOURCE_LOCATOR", "locator", "Place in the source (page, line, cell)"),
    Component("DATE_RETRIEVED", "retrieved", "Date retrieved"),
    Component("COMMENT_OBS", "note", "Comment"),
    Component("SYNTHETIC", "is_synthetic", "Synthetic (not real statistics)"),
)
FREQUENCIES = {"year": "A", "quarter": "Q", "month": "M"}
_KIND_OF = {v: k for k, v in FREQUENCIES.items()}
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def structures() -> tuple[Any, Any]:
    """The DSD and the dataflow of coopnet's observations (sdmx1 objects)."""
    dsd, dfd, _concepts = _build()
    return dsd, dfd


def _build() -> tuple[Any, Any, Any]:
    from sdmx.model import common, v21

    maintainer = common.Agency(id=AGENCY, name="coopnet")
    dsd = v21.DataStructureDefinition(id=DSD_ID, maintainer=maintainer, version=VERSION, name="coopnet observations")
    dfd = v21.DataflowDefinition(
        id=DATAFLOW_ID, maintainer=maintainer, version=VERSION, structure=dsd, name="coopnet observations"
    )
    concepts = common.ConceptScheme(id="CS_OBSERVATIONS", maintainer=maintainer, version=VERSION)
    for c in DIMENSIONS:
        dsd.dimensions.getdefault(id=c.id, concept_identity=concepts.setdefault(id=c.id, name=c.name))
    dsd.measures.getdefault(id="OBS_VALUE", concept_identity=concepts.setdefault(id="OBS_VALUE", name="Value"))
    for c in ATTRIBUTES:
        dsd.attributes.getdefault(id=c.id, concept_identity=concepts.setdefault(id=c.id, name=c.name))
    return dsd, dfd, concepts


def structure_message() -> bytes:
    """The DSD, dataflow and concepts as an SDMX-ML 2.1 structure message, for partners to load."""
    import sdmx
    from sdmx import message

    dsd, dfd, concepts = _build()
    msg = message.StructureMessage()
    for item in (concepts, dsd, dfd):
        msg.add(item)
    out: bytes = sdmx.to_xml(msg, pretty_print=True)
    return out


def _sdmx_period(period: str, kind: str) -> str:
    return period.replace("Q", "-Q") if kind == "quarter" else period


def _encode(row: Mapping[str, Any], component: Component) -> str:
    if component.id == "FREQ":
        return FREQUENCIES.get(str(row["period_kind"]), "A")
    if component.id == "TIME_PERIOD":
        return _sdmx_period(str(row["period"]), str(row["period_kind"]))
    if component.id == "UNIT_MULT":
        return "0"
    value = row.get(component.field)
    if component.field == "product" and value == TOTAL:
        return ALL
    if component.field == "is_synthetic":
        return "true" if value else "false"
    if component.field == "retrieved":
        return value.isoformat() if isinstance(value, date) else ""
    text = "" if value is None else str(value)
    if text == "" and component in DIMENSIONS:
        return component.empty
    return text


def _dataset(rows: Iterable[Mapping[str, Any]], *, structure_specific: bool) -> Any:
    from sdmx.model import common, v21

    dsd, dfd = structures()
    cls = v21.StructureSpecificDataSet if structure_specific else v21.DataSet
    ds = cls(described_by=dfd, structured_by=dsd)
    measure = dsd.measures.components[0]
    attributes = {c.id: dsd.attributes.get(c.id) for c in ATTRIBUTES}
    observations = []
    for row in rows:
        key = dsd.make_key(common.Key, {c.id: _encode(row, c) for c in DIMENSIONS})
        observations.append(
            v21.Observation(
                dimension=key,
                value=repr(float(row["value"])),
                value_for=measure,
                attached_attribute={
                    c.id: common.AttributeValue(value=_encode(row, c), value_for=attributes[c.id]) for c in ATTRIBUTES
                },
            )
        )
    ds.add_obs(observations)
    return ds, dfd


def to_sdmx_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """Observations (dicts with the store's columns) as SDMX-CSV 2.0 (UTF-8)."""
    import pandas as pd
    import sdmx
    from sdmx.format import csv as sdmx_csv
    from sdmx.format.csv.common import Attributes

    ds, _dfd = _dataset(rows, structure_specific=False)
    if not ds.obs:
        columns = ["STRUCTURE", "STRUCTURE_ID", "ACTION"] + [c.id for c in DIMENSIONS] + ["OBS_VALUE"]
        return (",".join(columns + [c.id for c in ATTRIBUTES]) + "\n").encode("utf-8")
    frame: Any = sdmx.to_csv(
        ds, rtype=pd.DataFrame, format_options=sdmx_csv.v2.FormatOptions(), attributes=Attributes.all
    )
    # sdmx1 writes the action of a data set that replaces nothing as "I" (information); data to load is "A".
    frame["ACTION"] = "A"
    text: str = frame.to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")


def to_sdmx_ml(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """Observations as an SDMX-ML 2.1 structure-specific data message (UTF-8)."""
    import sdmx
    from sdmx import message

    ds, dfd = _dataset(rows, structure_specific=True)
    msg = message.DataMessage(dataflow=dfd, data=[ds])
    out: bytes = sdmx.to_xml(msg, pretty_print=True)
    return out


# -------------------------------------------------------------------------------------------- reading


def _decode(obs: Any, where: str) -> dict[str, Any]:
    """An sdmx1 observation -> the plain fields make_observation checks."""
    fields: dict[str, Any] = {}
    key = {k: str(v.value) for k, v in obs.dimension.values.items()}
    attrs = {k: ("" if v.value is None else str(v.value)) for k, v in obs.attached_attribute.items()}
    known = {c.id for c in DIMENSIONS} | {c.id for c in ATTRIBUTES}
    unknown = sorted((set(key) | set(attrs)) - known - {"__TARGET"})
    if unknown:
        raise ObservationError(unknown[0], f"{', '.join(unknown)}: not in coopnet's data structure")
    for c in DIMENSIONS:
        value = key.get(c.id, "")
        if c.id in ("FREQ", "TIME_PERIOD"):
            continue
        fields[c.field] = "" if value in (c.empty, NOT_APPLICABLE, ALL) else value
    if fields.get("product") == "":
        fields["product"] = TOTAL if key.get("PRODUCT") == ALL else ""
    period = key.get("TIME_PERIOD", "")
    freq = key.get("FREQ", "")
    fields["period"] = period.replace("-Q", "Q")
    if freq and freq not in _KIND_OF:
        raise ObservationError("FREQ", f"{freq!r} is not A, Q or M")
    for c in ATTRIBUTES:
        if c.field:
            fields[c.field] = attrs.get(c.id, "")
    fields["is_synthetic"] = attrs.get("SYNTHETIC", "").lower() in {"true", "1", "yes", "y"}
    multiplier = attrs.get("UNIT_MULT", "") or "0"
    if not re.fullmatch(r"-?\d{1,2}", multiplier):
        raise ObservationError("UNIT_MULT", f"{multiplier!r} is not a power of 10")
    fields["value"] = obs.value
    fields["_scale"] = 10.0 ** int(multiplier)
    fields["_freq"] = freq
    # Provenance the file states (even as empty) is kept; where it says nothing, the importer fills it.
    fields["_given"] = {c.field for c in ATTRIBUTES if c.id in attrs}
    return fields


def _observations(result: ImportResult, sdmx_obs: Iterable[Any], where: str, retrieved: date | None, name: str) -> None:
    observations: list[Observation] = []
    for n, obs in enumerate(sdmx_obs, start=1):
        place = f"{where} {n + 1}" if where == "line" else f"{where} {n}"
        result.rows_read += 1
        try:
            fields = _decode(obs, place)
            scale = fields.pop("_scale")
            freq = fields.pop("_freq")
            given = fields.pop("_given")
            value = fields.get("value")
            if value is None or (isinstance(value, str) and not value.strip()) or value != value:
                raise ObservationError("OBS_VALUE", "missing")
            made = make_observation(fields, scale=scale)
            if freq and FREQUENCIES[made.period_kind] != freq:
                raise ObservationError("FREQ", f"{freq!r} does not match the period {made.period!r}")
        except ObservationError as exc:
            result.error(place, exc.column, exc.message)
            continue
        if "source" not in given:
            made.source = made.source or name
        if "locator" not in given:
            made.locator = made.locator or place
        if "retrieved" not in given:
            made.retrieved = made.retrieved or retrieved
        observations.append(made)
    if result.error_count == 0:
        if not observations:
            result.error("file", "", "no observations")
        else:
            result.table = to_table(observations)


def _read(source: str | Path | IO[bytes], result: ImportResult) -> tuple[bytes, str] | None:
    """The file as UTF-8 bytes and its name, or None after a file error (not text, larger than MAX_BYTES)."""
    read = read_utf8(source, result)
    if read is not None and len(read[0]) > MAX_BYTES:
        result.error("file", "", f"{len(read[0]):,} bytes; SDMX files are read up to {MAX_BYTES:,} bytes (split it)")
        return None
    return read


def parse_sdmx_csv(
    source: str | Path | IO[bytes], *, retrieved: date | None = None, source_name: str = ""
) -> ImportResult:
    """SDMX-CSV 2.0 in coopnet's data structure (the columns docs/stats-formats.md lists)."""
    from sdmx.reader.csv import Reader

    result = ImportResult("sdmx-csv")
    read = _read(source, result)
    if read is None:
        return result
    raw, name = read
    header = raw.split(b"\n", 1)[0].decode("utf-8", errors="replace").strip().split(",")
    if not header or header[:2] != ["STRUCTURE", "STRUCTURE_ID"]:
        result.error("line 1", "", "not SDMX-CSV 2.0: the first columns must be STRUCTURE, STRUCTURE_ID")
        return result
    known = {"STRUCTURE", "STRUCTURE_ID", "ACTION", "OBS_VALUE"} | {c.id for c in DIMENSIONS + ATTRIBUTES}
    unknown = [h for h in header if h not in known]
    if unknown:
        result.error("line 1", ",".join(unknown), f"column(s) not in coopnet's data structure: {', '.join(unknown)}")
    missing = [c for c in ("INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE") if c not in header]
    if missing:
        result.error("line 1", ",".join(missing), f"missing column(s): {', '.join(missing)}")
    if result.error_count:
        return result
    widths = {len(r) for r in _csv_rows(raw)}
    if len(widths) > 1:
        bad = [i for i, r in enumerate(_csv_rows(raw), start=1) if len(r) != len(header)][:5]
        result.error(f"line {bad[0]}", "", f"wrong number of cells on line(s) {', '.join(map(str, bad))}")
        return result
    _dsd, dfd = structures()
    try:
        msg = Reader().convert(io.BytesIO(raw), structure=dfd)
    except Exception as exc:  # sdmx1 raises many kinds on a malformed file
        result.error("file", "", f"not readable SDMX-CSV: {type(exc).__name__}: {exc}")
        return result
    actions = {getattr(ds.action, "name", str(ds.action)) for ds in msg.data}
    if actions - {"append", "replace", "information"}:
        result.error("file", "ACTION", f"only data to add (A, R or I) is read, not {', '.join(sorted(actions))}")
        return result
    _observations(result, (o for ds in msg.data for o in ds.obs), "line", retrieved, source_name or name)
    return result


def _csv_rows(raw: bytes) -> list[list[str]]:
    import csv

    return [r for r in csv.reader(io.StringIO(raw.decode("utf-8", errors="replace"))) if r]


def parse_sdmx_ml(
    source: str | Path | IO[bytes], *, retrieved: date | None = None, source_name: str = ""
) -> ImportResult:
    """An SDMX-ML 2.1 data message (generic, or structure-specific in coopnet's data structure)."""
    import sdmx

    result = ImportResult("sdmx-ml")
    read = _read(source, result)
    if read is None:
        return result
    raw, name = read
    if _DOCTYPE.search(raw[:1_000_000]) or _DOCTYPE.search(raw):
        result.error("file", "", "the XML declares a DTD or entities; SDMX-ML needs neither and they are refused")
        return result
    if not raw.lstrip().startswith(b"<"):
        result.error("file", "", "not XML: an SDMX-ML message starts with '<'")
        return result
    dsd, _dfd = structures()
    try:
        msg = sdmx.read_sdmx(io.BytesIO(raw), format="XML", structure=dsd)
    except Exception as exc:  # sdmx1 and lxml raise many kinds on a malformed file
        result.error("file", "", f"not readable SDMX-ML: {type(exc).__name__}: {exc}"[:500])
        return result
    data = getattr(msg, "data", None)
    if not data:
        result.error("file", "", "not an SDMX data message (no data set)")
        return result
    _observations(result, (o for ds in data for o in ds.obs), "observation", retrieved, source_name or name)
    return result


def parse(
    fmt: str, source: str | Path | IO[bytes], *, retrieved: date | None = None, source_name: str = ""
) -> ImportResult:
    if fmt == "sdmx-csv":
        return parse_sdmx_csv(source, retrieved=retrieved, source_name=source_name)
    if fmt == "sdmx-ml":
        return parse_sdmx_ml(source, retrieved=retrieved, source_name=source_name)
    raise ValueError(f"unknown SDMX format {fmt!r}; expected one of {', '.join(FORMATS)}")


def export(fmt: str, table: pa.Table) -> bytes:
    """The store's rows (an Arrow table with its columns) in ``fmt``."""
    rows = table.select(list(COLUMNS)).to_pylist()
    if fmt == "sdmx-csv":
        return to_sdmx_csv(rows)
    if fmt == "sdmx-ml":
        return to_sdmx_ml(rows)
    raise ValueError(f"unknown SDMX format {fmt!r}; expected one of {', '.join(FORMATS)}")
