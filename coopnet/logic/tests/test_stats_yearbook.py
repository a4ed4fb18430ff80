"""Yearbook sheets as they really look. No real EEC or national-office XLSX could be found in the public
repositories the search tool reaches, so these workbooks are built to reproduce the layout the EEC
statistical yearbooks and the offices' tables use: a title, a unit line, a two-row header whose upper row
is merged over the years ("Экспорт" / "Импорт"), years with footnote marks ("2023 1)"), country and region
names in Russian and English, labels merged down over several rows, "…", "-", "x" and empty cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from coopnet.logic.stats import importers

NAMES = {
    "Беларусь": "BY",
    "Belarus": "BY",
    "Казахстан": "KZ",
    "Kazakhstan": "KZ",
    "Russia": "RU",
    "Минская область": "BY-MI",
}


def workbook(path: Path, rows: list[list[Any]], merges: tuple[str, ...] = ()) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "Табл. 3"
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    book.save(path)
    return path


def test_footnotes_merged_headers_names_and_no_data_marks(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "eec.xlsx",
        [
            ["Взаимная торговля товарами, млн долларов США"],
            ["Unit:", "money"],
            ["Currency:", "USD"],
            ["Scale:", "млн"],
            ["Страна", "Экспорт", None, "Импорт", None],
            [None, 2022, "2023 1)", "2022", "2023 г.1)"],
            ["Беларусь 2)", "1 072,6", "…", 15.5, "x"],
            ["Kazakhstan", "-", None, "3,5*", 4],
            ["Минская область", 1, 2, 3, 4],
        ],
        merges=("B5:C5", "D5:E5", "A5:A6"),
    )
    result = importers.parse_yearbook(path, defaults={"indicator": "mutual_trade"}, area_names=NAMES)
    assert result.ok, result.errors
    rows = {(r["reporter"], r["flow"], r["period"]): r for r in result.table.to_pylist()}
    assert rows[("BY", "export", "2022")]["value"] == 1072.6e6
    assert rows[("BY", "import", "2022")]["value"] == 15.5e6
    assert "footnote 2) at Табл. 3!A7" in rows[("BY", "export", "2022")]["note"]
    assert rows[("KZ", "import", "2022")]["value"] == 3.5e6
    assert "footnote * at Табл. 3!D8" in rows[("KZ", "import", "2022")]["note"]
    assert "footnote 1) at Табл. 3!E6" in rows[("KZ", "import", "2023")]["note"]
    assert rows[("BY-MI", "export", "2023")]["locator"] == "Табл. 3!C9"
    assert len(rows) == 8
    warnings = " | ".join(str(w) for w in result.warnings)
    # Every cell without an observation is named, by what it says.
    assert "1 cell(s) '…' (no data), no observation: Табл. 3!C7" in warnings
    assert "1 cell(s) 'x' (confidential), no observation: Табл. 3!E7" in warnings
    assert "1 cell(s) '-' (no such event), no observation: Табл. 3!B8" in warnings
    assert "1 cell(s) empty, no observation: Табл. 3!C8" in warnings


def test_labels_merged_down_over_rows_count_for_each_row(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "merged.xlsx",
        [
            ["Region", "Code", 2023, 2024],
            ["Минская область", "C", 10, 11],
            [None, "B", 5, 6],
            ["Russia", "C", 7, 8],
        ],
        merges=("A2:A3",),
    )
    result = importers.parse_yearbook(
        path, defaults={"indicator": "industrial_production", "unit": "count", "scheme": "nace"}, area_names=NAMES
    )
    assert result.ok, result.errors
    assert sorted({(r["reporter"], r["product"]) for r in result.table.to_pylist()}) == [
        ("BY-MI", "B"),
        ("BY-MI", "C"),
        ("RU", "C"),
    ]


def test_an_unknown_place_name_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    path = workbook(tmp_path / "narnia.xlsx", [["Страна", 2023], ["Нарния", 1]])
    result = importers.parse_yearbook(path, defaults={"indicator": "x", "unit": "count"}, area_names=NAMES)
    assert not result.ok
    assert (
        str(result.errors[0])
        == "Табл. 3!A2 [reporter]: 'Нарния' is not a country or region coopnet knows (code or name)"
    )


def test_columns_and_headers_that_are_not_read_are_named(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "extra.xlsx",
        [["Страна", "Наименование", "Прочее", None], ["", "", 2023, 2024], ["BY", "Беларусь", 1, 2]],
        merges=("C1:D1", "A1:A2", "B1:B2"),
    )
    result = importers.parse_yearbook(path, defaults={"indicator": "x", "unit": "count"})
    assert result.ok
    warnings = [str(w) for w in result.warnings]
    assert "Табл. 3!C1: header 'Прочее' is not read" in warnings
    assert "Табл. 3!B2: column 'Наименование' is not read" in warnings


def test_an_oversized_sheet_is_refused_with_its_size(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(importers, "MAX_YEARBOOK_CELLS", 10)
    path = workbook(tmp_path / "big.xlsx", [["Country", 2020, 2021, 2022]] + [["BY", 1, 2, 3]] * 5)
    result = importers.parse_yearbook(path, defaults={"indicator": "x", "unit": "count"})
    assert not result.ok and "6 rows x 4 columns" in str(result.errors[0])


def test_hostile_labels_are_data_not_markup(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "hostile.xlsx",
        [["Note:", "<script>alert(1)</script>"], ["Country", 2023, 2024], ["BY", 1, "<b>5</b>"]],
    )
    result = importers.parse_yearbook(path, defaults={"indicator": "x", "unit": "count"})
    assert not result.ok and str(result.errors[0]) == "Табл. 3!C3 [2024]: '<b>5</b>' is not a number"
    fixed = workbook(tmp_path / "fixed.xlsx", [["Note:", "<script>alert(1)</script>"], ["Country", 2023], ["BY", 1]])
    (row,) = importers.parse_yearbook(fixed, defaults={"indicator": "x", "unit": "count"}).table.to_pylist()
    assert row["note"] == "<script>alert(1)</script>"  # kept as text; pages escape it


def test_footnote_marks_are_split_from_years_labels_and_values() -> None:
    assert importers._year_of("2023 1)") == (2023, "1)")
    assert importers._year_of("2024¹") == (2024, "¹")
    assert importers._year_of("2018 г.") == (2018, "")
    assert importers._year_of("1 072") is None
    assert importers.split_footnote("Беларусь2)") == ("Беларусь", "2)")
    assert importers.split_footnote("12,5*") == ("12,5", "*")
    assert importers.split_footnote("1)") == ("1)", "")
    assert importers.normalise_name("  Республика  Беларусь 1)") == "республика беларусь"
