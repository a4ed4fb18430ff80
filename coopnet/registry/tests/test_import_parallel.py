"""The import with a pool of validation processes and writes that overlap reading (flushes every
FLUSH_ROWS rows inside one transaction) leaves the registry exactly as the plain import does."""

from __future__ import annotations

import csv
import io

import pytest

from coopnet.logic.registry.rows import COLUMNS
from coopnet.registry import importing
from coopnet.registry.importing import import_bytes
from coopnet.registry.models import Competency, CompetencyCode, ImportRun, Organisation
from coopnet.registry.models.imports import ImportStatus

from .test_import import _synthetic_csv, counts

pytestmark = pytest.mark.django_db

FIELDS = ("name", "name_en", "legal_form", "country_id", "region_id", "city", "lat", "lon", "tax_id", "employees",
          "size", "website", "is_synthetic")


@pytest.fixture
def small_flushes(monkeypatch):
    """Write every 300 rows and cut the file into 16 KB parts, so a few thousand rows are many of both."""
    monkeypatch.setattr(importing, "FLUSH_ROWS", 300)
    monkeypatch.setattr(importing, "BATCH", 100)
    monkeypatch.setattr(importing, "CHUNK_BYTES", 16 * 1024)


def snapshot(source: str) -> dict[str, tuple]:
    orgs = {}
    for o in Organisation.objects.filter(ref_source=source):
        line = o.competencies.get(from_import=True) if o.competencies.exists() else None
        codes = sorted(CompetencyCode.objects.filter(organisation=o).values_list("scheme", "code"))
        orgs[o.ref] = (tuple(getattr(o, f) for f in FIELDS), o.public_id[:2], o.history.count(),
                       line and (line.description, line.hs_codes, line.nace_codes, line.certifications), codes)
    return orgs


def edited(data: bytes, every: int) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode())))
    for r in rows[1::every]:
        r[COLUMNS.index("city")] = "Новый город"
        r[COLUMNS.index("hs")] = "8701"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_parallel_import_writes_what_the_plain_one_writes(small_flushes):
    data = _synthetic_csv(2_000)
    plain = import_bytes(data, "a.csv", source="plain", duplicates=False, workers=0)
    pooled = import_bytes(data, "a.csv", source="pooled", duplicates=False, workers=2)
    assert plain.ok and pooled.ok and plain.created == pooled.created == 2_000
    assert pooled.report.as_dict() == plain.report.as_dict()
    assert snapshot("pooled") == snapshot("plain")
    refs = list(Organisation.objects.filter(ref_source="pooled").order_by("pk").values_list("ref", flat=True))
    assert refs == [r[0] for r in csv.reader(io.StringIO(data.decode()))][1:]  # ids in file order


def test_parallel_reimport_updates_only_what_changed(small_flushes):
    data = _synthetic_csv(1_500)
    assert import_bytes(data, "a.csv", source="s", duplicates=False, workers=2).created == 1_500
    before = Organisation.history.count(), Competency.history.count()
    again = import_bytes(data, "a.csv", source="s", duplicates=False, workers=2)
    assert again.ok and again.unchanged == 1_500 and again.created == again.updated == 0
    assert (Organisation.history.count(), Competency.history.count()) == before
    changed = import_bytes(edited(data, 7), "b.csv", source="s", duplicates=False, workers=2)
    assert changed.ok and changed.updated == len(range(0, 1_500, 7)) and changed.created == 0
    assert Organisation.objects.filter(ref_source="s", city="Новый город").count() == changed.updated
    assert Organisation.objects.count() == 1_500


def test_a_bad_row_after_several_flushes_rolls_everything_back(small_flushes):
    lines = _synthetic_csv(2_000).split(b"\n")
    cells = lines[1_700].split(b",")
    cells[3] = b"ZZ"
    lines[1_700] = b",".join(cells)
    result = import_bytes(b"\n".join(lines), "bad.csv", source="s", duplicates=False, workers=2)
    assert not result.ok and result.created == 0 and result.report.invalid == 1
    assert [(e.row, e.column) for e in result.report.errors] == [(1_701, "country")]
    assert counts() == (0, 0, 0, 0)
    assert ImportRun.objects.get().status == ImportStatus.INVALID


def test_a_duplicate_ref_far_apart_rolls_everything_back(small_flushes):
    lines = _synthetic_csv(1_200).split(b"\n")
    first_ref = lines[1].split(b",")[0]
    cells = lines[1_100].split(b",")
    cells[0] = first_ref
    lines[1_100] = b",".join(cells)
    result = import_bytes(b"\n".join(lines), "dup.csv", source="s", duplicates=False, workers=2)
    assert not result.ok and counts() == (0, 0, 0, 0)
    assert result.report.errors[0].reason == "duplicate ref; first seen in row 2"


def test_a_file_the_pool_gives_up_on_is_read_again_and_imported_once(small_flushes, monkeypatch):
    reads = []
    apply = importing._apply
    monkeypatch.setattr(importing, "_apply", lambda *a: reads.append(a[-1]) or apply(*a))
    # a bare quote inside an unquoted cell, then a quoted cell with a line break: cutting the file by
    # counting quotes would go wrong, so the pool hands the file back to the plain reader
    data = _synthetic_csv(900) + 'BQ1,Завод 5" калибра,,RU\nBQ2,"Завод\nс переносом",,RU\n'.encode()
    result = import_bytes(data, "quotes.csv", source="s", duplicates=False, workers=2)
    assert result.ok, list(result.lines())
    assert result.created == 902 and Organisation.objects.count() == 902
    assert Organisation.objects.get(ref="BQ2").name == "Завод\nс переносом"
    assert reads == [2, 0]  # the pool's writes were rolled back, the plain reader's kept
