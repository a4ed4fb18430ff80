"""Reading an import file with a pool of validation processes gives what the sequential reader gives:
the same valid rows in the same order, the same report (counts, issues in order, file errors) — for
hostile files too. The pieces are kept small here so that every file is cut into many of them."""

from __future__ import annotations

import csv
import io
from dataclasses import astuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopnet.logic.registry.rows import COLUMNS, Report, RestartRead, Rules, parse_batches, parse_rows
from coopnet.logic.registry.staging import stage_values

RULES = Rules(
    countries=frozenset({"AM", "BY", "KG", "KZ", "RU"}),
    regions={"BY-HM": "BY", "RU-MOW": "RU", "KZ-75": "KZ"},
)
HEADER = ",".join(COLUMNS)


def sequential(data: bytes, name: str = "f.csv") -> tuple[list[tuple], dict]:
    report = Report()
    rows = [astuple(r) for r in parse_rows(io.BytesIO(data), name, RULES, report)]
    return rows, report.as_dict()


RESTARTS: list[bytes] = []


def parallel(data: bytes, name: str = "f.csv", chunk_bytes: int = 64, transform=None) -> tuple[list, dict]:
    """The rows the parallel reader yields while the report is still valid (what an importer uses), or
    the sequential result when it asks for a restart — as the importer does (noted in RESTARTS)."""
    report = Report()
    rows: list = []
    try:
        for batch in parse_batches(io.BytesIO(data), name, RULES, report, workers=2, chunk_bytes=chunk_bytes,
                                   transform=transform):
            assert batch.count == len(batch.rows) and batch.first <= batch.last
            if report.ok:
                rows += batch.rows
    except RestartRead:
        RESTARTS.append(data)
        return sequential(data, name)
    if transform is None:
        rows = [astuple(r) for r in rows]
    return (rows if report.ok else []), report.as_dict()


def same(data: bytes, name: str = "f.csv", chunk_bytes: int = 64, restart: bool = False) -> dict:
    """Both readers agree; ``restart``: whether the parallel one may hand over to the sequential one."""
    RESTARTS.clear()
    seq_rows, seq_report = sequential(data, name)
    par_rows, par_report = parallel(data, name, chunk_bytes)
    assert par_report == seq_report
    if seq_report["ok"]:
        assert par_rows == seq_rows
    if not restart:
        assert not RESTARTS, "the parallel reader gave up on this file"
    return par_report


def csv_bytes(rows: list[list[str]], *, newline: str = "\n", encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator=newline, delimiter=delimiter)
    w.writerow(COLUMNS)
    w.writerows(rows)
    return out.getvalue().encode(encoding)


def row(i: int, **cells: str) -> list[str]:
    base = {"ref": f"R{i}", "name": f"Завод №{i}", "country": "BY", "region": "BY-HM", "city": "Минск",
            "lat": "53.9", "lon": "27.6", "hs": "8701;8704", "nace": "29.10", "products": f"Тракторы, модель {i}",
            "employees": str(10 * i)}
    base.update(cells)
    return [base.get(c, "") for c in COLUMNS]


def test_a_valid_file_in_many_pieces():
    report = same(csv_bytes([row(i) for i in range(1, 300)]))
    assert report["ok"] and report["valid"] == 299


def test_quoted_newlines_commas_and_quotes_inside_cells():
    rows = [row(i, products=f'многострочное\nописание "{i}", с запятыми,\r\nи кавычками ""') for i in range(1, 80)]
    report = same(csv_bytes(rows))
    assert report["ok"] and report["valid"] == 79


def test_row_numbers_count_physical_lines_with_crlf_and_lone_cr():
    rows = [row(i, products="две\nстроки") for i in range(1, 40)]
    data = csv_bytes(rows, newline="\r\n")
    same(data)
    bad = csv_bytes([row(1), row(2, country="XX"), row(3, products="a\rb"), row(4, lat="north")], newline="\r")
    report = same(bad, restart=True)  # lines ended by CR alone: read by the sequential reader
    assert [e["row"] for e in report["errors"]] == [3, 6]


def test_errors_warnings_and_duplicate_refs_across_pieces():
    rows = [row(i) for i in range(1, 200)]
    rows[5] = row(6, country="ZZ")
    rows[70] = row(71, hs="87A")
    rows[150] = row(3)  # ref R3 again, far from row 3's piece
    rows[151] = row(152) + ["extra", "cells"]
    rows[160] = row(161, name="=HYPERLINK(\"http://x\")")
    report = same(csv_bytes(rows))
    assert not report["ok"] and report["errors_total"] == 4 and report["warnings_total"] == 1
    assert "duplicate ref; first seen in row 4" in [e["reason"] for e in report["errors"]]


def test_blank_lines_bom_semicolons_and_cp1251():
    rows = [row(i) for i in range(1, 60)]
    body = csv_bytes(rows).decode()
    same(("\ufeff" + body.replace("\n", "\n\n", 7)).encode())
    same(csv_bytes(rows, delimiter=";"))
    report = same(csv_bytes(rows, encoding="cp1251"))
    assert report["encoding"] == "cp1251" and report["warnings_total"] == 1


@pytest.mark.parametrize("tail", [
    '"never closed,BY\n',  # broken quotes: the sequential reader names the row
    'R999,a"b,BY\n"x\ny",c,BY\n',  # a bare quote inside a cell throws the quote count off
    "R998,\x00,BY\n",
])
def test_hostile_tails_give_the_sequential_report(tail):
    data = csv_bytes([row(i) for i in range(1, 50)]) + tail.encode()
    same(data, restart=True)


def test_header_the_parallel_reader_leaves_to_the_sequential_one():
    rows = [row(i) for i in range(1, 30)]
    quoted = csv_bytes(rows).replace(b"ref,name", b'"ref",name', 1)
    same(quoted, restart=True)
    same(b"ref,name\nX,Y\n")  # country missing: a file error on the header
    same(b"\n\nref,name,country\n", restart=True)


def test_rows_come_back_transformed_in_order():
    data = csv_bytes([row(i) for i in range(1, 120)])
    rows, report = parallel(data, transform=stage_values)
    assert report["ok"] and [r[0] for r in rows] == list(range(2, 121))
    assert rows[0][11] == "small" and rows[0][14] is False  # size class (10 employees), not synthetic


cell = st.text(alphabet=st.sampled_from(list('aZ Я,;"\n\r\t=-\'1.')), max_size=12)


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell, min_size=1, max_size=17), min_size=1, max_size=25),
       st.sampled_from(["\n", "\r\n"]), st.integers(16, 200))
def test_any_file_reads_the_same_in_pieces(cells, newline, chunk_bytes):
    data = csv_bytes(cells, newline=newline)
    same(data, chunk_bytes=chunk_bytes, restart=True)


def test_a_cell_longer_than_the_csv_modules_default_limit_is_read_in_pieces_too():
    # 200,000 characters: over csv's default field limit (131,072), under the import's hard limit; the
    # row is refused for its length, as the plain reader refuses it, and the pool does not give up
    rows = [row(i) for i in range(1, 40)]
    rows[20] = row(21, products="ж" * 200_000)
    data = csv_bytes(rows)
    default = csv.field_size_limit()
    csv.field_size_limit(131_072)  # as in a fresh process (the plain reader would raise it first)
    try:
        RESTARTS.clear()
        _, report = parallel(data, chunk_bytes=4096)
    finally:
        csv.field_size_limit(default)
    assert not RESTARTS and report == sequential(data)[1]
    assert report["errors"][0]["reason"] == "cell has 200000 characters; the limit is 10000"
