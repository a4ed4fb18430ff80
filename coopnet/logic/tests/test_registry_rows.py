"""Parsing and validating import files: hostile inputs, row-level report."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from coopnet.logic.registry.rows import (
    COLUMNS,
    Report,
    Rules,
    escape_formula,
    parse_rows,
    validate_row,
)

RULES = Rules(
    countries=frozenset({"AM", "BY", "CU", "KG", "KZ", "RU"}),
    regions={"BY-HM": "BY", "BY-HO": "BY", "RU-MOW": "RU", "RU-TA": "RU", "KZ-75": "KZ"},
)
HEADER = ",".join(COLUMNS)
MAZ = (
    "M1,ОАО «МАЗ»,MAZ OJSC,BY,BY-HM,Минск,53.87,27.65,600122610,29.10,8704;8701,Самосвалы,ISO 9001,15000,"
    "maz.by"
)


def parse(data: bytes, name: str = "f.csv", rules: Rules = RULES):
    report = Report()
    rows = list(parse_rows(io.BytesIO(data), name, rules, report))
    return rows, report


def test_a_valid_row_is_cleaned():
    rows, report = parse(f"{HEADER}\n{MAZ}\n".encode())
    assert report.ok and report.rows == 1 and report.valid == 1
    row = rows[0]
    assert row.row == 2 and row.ref == "M1" and row.country == "BY" and row.region == "BY-HM"
    assert row.lat == pytest.approx(53.87) and row.tax_id == "600122610"
    assert row.hs == ("8704", "8701") and row.nace == ("29.10",) and row.certifications == ("ISO 9001",)
    assert row.employees == 15000 and row.website == "https://maz.by"


def test_only_ref_name_country_are_required():
    rows, report = parse("ref,name,country\nX,Завод,RU\n".encode())
    assert report.ok and rows[0].name == "Завод"
    _, report = parse("ref,name\nX,Завод\n".encode())
    assert not report.ok and "missing required column(s) country" in report.file_error


def test_extra_columns_are_ignored_with_a_warning():
    rows, report = parse("ref,name,country,colour\nX,Завод,RU,red\n".encode())
    assert report.ok and len(rows) == 1
    assert report.warnings[0].reason == "extra columns ignored: colour"


def test_cp1251_is_read_with_a_warning():
    rows, report = parse(f"{HEADER}\n{MAZ}\n".encode("cp1251"))
    assert report.ok and rows[0].name == "ОАО «МАЗ»"
    assert report.encoding == "cp1251"
    assert any("Windows-1251" in w.reason for w in report.warnings)


def test_utf8_bom_and_semicolons_and_tabs():
    for sep in (";", "\t"):
        row = MAZ.replace(",", sep).replace(f"8704{sep}8701", '"8704;8701"')
        data = "\ufeff" + HEADER.replace(",", sep) + "\n" + row + "\n"
        rows, report = parse(data.encode("utf-8"))
        assert report.ok, report.file_error
        assert report.delimiter == sep and report.encoding == "utf-8-sig"
        assert rows[0].ref == "M1" and rows[0].hs == ("8704", "8701")


def test_decimal_comma_with_semicolons():
    rows, report = parse("ref;name;country;lat;lon\nX;Завод;BY;53,9;27,5\n".encode())
    assert report.ok and rows[0].lat == pytest.approx(53.9)


def test_binary_is_refused():
    _, report = parse(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert "binary" in report.file_error
    _, report = parse(b"ref,name,country\n\x00\x01\x02")
    assert "binary" in report.file_error
    _, report = parse(b"")
    assert "empty" in report.file_error


def test_ten_megabyte_cell_is_a_row_error():
    big = "x" * (10 * 1024 * 1024)
    data = f"ref,name,country,products\nA,Завод,RU,{big}\nB,Завод 2,RU,ok\n".encode()
    rows, report = parse(data)
    assert [r.ref for r in rows] == ["B"]
    err = report.errors[0]
    assert err.row == 2 and err.column == "products" and "limit is 10000" in err.reason
    assert len(err.value) <= 80


def test_formulas_are_refused_and_escaped_formulas_accepted():
    data = 'ref,name,country,products,lon,lat\nA,=HYPERLINK("x"),RU,,,\nB,Завод,RU,@SUM(A1),,\n'
    data += "C,'=1+2,RU,'-minus,-82.4,23.1\n"
    rows, report = parse(data.encode())
    assert [(e.row, e.column) for e in report.errors] == [(2, "name"), (3, "products")]
    assert "formula" in report.errors[0].reason
    assert rows[0].name == "=1+2" and rows[0].products == "-minus" and rows[0].lon == pytest.approx(-82.4)


def test_escape_formula_round_trips():
    for value in ["=1+2", "+7", "-x", "@a", "plain", "'=x", "'plain", "'"]:
        escaped = escape_formula(value)
        assert not escaped.startswith(("=", "+", "-", "@"))
        rows, report = parse(f'ref,name,country\nA,"{escaped}",RU\n'.encode())
        assert report.ok, (value, report.errors)
        assert rows[0].name == value


def test_broken_quotes_name_the_row():
    _, report = parse(b'ref,name,country\nA,ok,RU\nB,"never closed,RU\nC,x,RU\n')
    assert report.file_error == "row 3: a quoted cell is never closed (broken quotes)"
    _, report = parse(b'ref,name,country\nA,ok,RU\nB,"ab"c,RU\n')
    assert report.file_error.startswith("row 3: broken quotes")


def test_quoted_newlines_keep_row_numbers_of_the_file():
    rows, report = parse(b'ref,name,country\nA,"two\nlines",RU\nB,x,KZ\n')
    assert report.ok and [r.row for r in rows] == [2, 4]


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("country", "XX", "unknown country"),
        ("region", "RU-MOW", "belongs to RU"),
        ("region", "BY-ZZ", "unknown region"),
        ("lat", "91", "between -90 and 90"),
        ("lon", "east", "not a number"),
        ("tax_id", "600122611", "check digit"),
        ("hs", "870", "2, 4, 6, 8 or 10 digits"),
        ("hs", "87a4", "2, 4, 6, 8 or 10 digits"),
        ("nace", "2910", "29.10"),
        ("employees", "-5", "whole number"),
        ("employees", "many", "whole number"),
        ("website", "javascript:alert(1)", "web address"),
        ("website", "not a url", "web address"),
        ("name", "", "required"),
    ],
)
def test_row_validations(column, value, words):
    raw = {"ref": "R", "name": "Завод", "country": "BY", "lat": "53.9", "lon": "27.5"}
    raw[column] = value
    rec, issues = validate_row(7, raw, RULES)
    assert rec is None
    assert any(i.column == column and words in i.reason and i.row == 7 for i in issues), issues


def test_lat_without_lon_is_an_error():
    rec, issues = validate_row(2, {"ref": "R", "name": "Z", "country": "BY", "lat": "53"}, RULES)
    assert rec is None and issues[0].column == "lon"


def test_region_without_country_prefix_is_completed():
    rec, _ = validate_row(2, {"ref": "R", "name": "Z", "country": "by", "region": "hm"}, RULES)
    assert rec is not None and rec.region == "BY-HM" and rec.country == "BY"


def test_hs_dots_and_nace_okved_depth():
    rec, issues = validate_row(
        2,
        {
            "ref": "R",
            "name": "Z",
            "country": "RU",
            "hs": "8704.21; 8704 21 910 0",
            "nace": "29;29.1;29.10;29.10.2",
        },
        RULES,
    )
    assert rec is not None, issues
    assert rec.hs == ("870421", "8704219100") and rec.nace == ("29", "29.1", "29.10", "29.10.2")


def test_unknown_codes_are_warnings_when_reference_lists_are_given():
    rules = Rules(
        RULES.countries, RULES.regions, hs_codes=frozenset({"87"}), nace_codes=frozenset({"29"})
    )
    rec, issues = validate_row(
        2, {"ref": "R", "name": "Z", "country": "RU", "hs": "870421;999999", "nace": "30.20"}, rules
    )
    assert rec is not None
    assert sorted(i.column for i in issues if i.level == "warning") == ["hs", "nace"]


def test_duplicate_ref_within_the_file():
    rows, report = parse(b"ref,name,country\nA,x,RU\nB,y,RU\nA,z,RU\n")
    assert [r.ref for r in rows] == ["A", "B"]
    assert report.errors[0].row == 4 and "first seen in row 2" in report.errors[0].reason


def test_xlsx_is_read_streaming_with_numbers_and_formulas():
    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS))
    ws.append(
        ["M1", "ОАО «МАЗ»", "", "BY", "BY-HM", "", 53.87, 27.65, 600122610, "29.10", 8704, "", "", 15000, ""]
    )
    ws.append(["M2", "=1+1", "", "BY", "", "", None, None, None, None, None, None, None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    rows, report = parse(buf.getvalue(), "orgs.xlsx")
    assert report.format == "xlsx"
    assert [r.ref for r in rows] == ["M1"] and rows[0].tax_id == "600122610" and rows[0].hs == ("8704",)
    assert rows[0].employees == 15000
    assert report.errors[0].row == 3 and report.errors[0].column == "name"


def test_xlsx_named_file_that_is_not_xlsx():
    _, report = parse(b"ref,name,country\nA,x,RU\n", "orgs.xlsx")
    assert "not an XLSX" in report.file_error


def test_many_rows_stream_with_one_bad_row():
    lines = [HEADER] + [MAZ.replace("M1", f"M{i}", 1).replace("600122610", "") for i in range(20000)]
    lines[12346] = lines[12346].replace(",BY,", ",XX,", 1)
    rows, report = parse("\n".join(lines).encode())
    assert report.rows == 20000 and report.valid == 19999 and report.invalid == 1
    assert report.errors[0].row == 12347 and report.errors[0].column == "country"


def test_report_lines_and_dict():
    _, report = parse(b"ref,name,country\nA,x,XX\n")
    text = "\n".join(report.lines())
    assert "row 2, country: unknown country code" in text
    d = report.as_dict()
    assert d["ok"] is False and d["errors"][0]["row"] == 2


def test_issue_cap_counts_the_rest():
    data = "ref,name,country\n" + "".join(f"R{i},x,XX\n" for i in range(30))
    report = Report(max_issues=5)
    list(parse_rows(io.BytesIO(data.encode()), "f.csv", RULES, report))
    assert len(report.errors) == 5 and report.errors_total == 30
    assert any("25 more errors" in line for line in report.lines())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(data):
    rows, report = parse(data)
    assert report.file_error or report.rows >= len(rows)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(COLUMNS), st.text(max_size=30)))
def test_arbitrary_cells_never_crash(raw):
    rec, issues = validate_row(2, raw, RULES)
    assert (rec is None) == any(i.level == "error" for i in issues)


def test_allowed_countries_limit_an_import():
    rules = Rules(RULES.countries, RULES.regions, allowed_countries=frozenset({"BY"}))
    rec, issues = validate_row(2, {"ref": "R", "name": "Z", "country": "RU"}, rules)
    assert rec is None and issues[0].reason == "you may import organisations of BY only"
    rec, _ = validate_row(2, {"ref": "R", "name": "Z", "country": "BY"}, rules)
    assert rec is not None
