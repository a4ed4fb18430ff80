"""Export in the import format: lossless round trip (CSV and XLSX), formula guard."""
import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from coopnet.logic.registry.rows import COLUMNS
from coopnet.registry.exporting import export_bytes, iter_rows
from coopnet.registry.importing import import_bytes
from coopnet.registry.models import Organisation

from .factories import competency, organisation

pytestmark = pytest.mark.django_db

ROWS = [
    ["M1", "ОАО «МАЗ»", "MAZ OJSC", "BY", "BY-HM", "Минск", "53.8712345678", "27.65", "600122610", "29.10",
     "8704;8701", "Самосвалы, тягачи; «кавычки» и \"quotes\"", "ISO 9001;ТР ТС 018/2011", "15000", "https://maz.by"],
    ["F1", "'=1+2 «formula»", "'+7 plus", "RU", "", "", "", "", "", "", "", "'-minus first", "", "", ""],
    ["C1", "Havana Tractors", "", "CU", "", "La Habana", "23.1136", "-82.3666", "", "28.30", "8701", "", "", "0", ""],
    ["K1", "ТОО «Казахмыс»", "Kazakhmys LLP", "KZ", "KZ-35", "Караганда", "", "", "", "", "", "Медь\nкатоды", "",
     "", ""],
]


def source_csv() -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    w.writerows(ROWS)
    return buf.getvalue().encode()


def snapshot(source: str) -> list[tuple]:
    out = []
    for o in Organisation.objects.filter(ref_source=source).order_by("ref"):
        line = o.competencies.filter(from_import=True).first()
        out.append((o.ref, o.name, o.name_en, o.country_id, o.region_id, o.city, o.lat, o.lon, o.tax_id,
                    line and line.nace_codes, line and line.hs_codes, line and line.description,
                    line and line.certifications, o.employees, o.website))
    return out


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_is_lossless(fmt, tmp_path):
    assert import_bytes(source_csv(), "src.csv", source="orig", duplicates=False).ok
    original = snapshot("orig")
    path = tmp_path / f"out.{fmt}"
    call_command("export", "organizations", str(path), "--source", "orig")
    result = import_bytes(path.read_bytes(), path.name, source="copy", duplicates=False)
    assert result.ok, list(result.lines())
    assert result.created == len(ROWS)
    assert snapshot("copy") == original
    # exporting the copy gives the same file again
    path2 = tmp_path / f"again.{fmt}"
    call_command("export", "organizations", str(path2), "--source", "copy")
    if fmt == "csv":
        assert path2.read_bytes() == path.read_bytes()


def test_formula_cells_are_escaped_in_csv_and_xlsx():
    org = organisation(name="=HYPERLINK(\"http://evil\")", country="BY", ref="EV", ref_source="manual")
    competency(org, "@SUM(A1)")
    text = export_bytes("csv", source="manual").decode()
    row = next(r for r in csv.reader(io.StringIO(text)) if r[0] == "EV")
    assert row[1] == "'=HYPERLINK(\"http://evil\")" and row[COLUMNS.index("products")] == "'@SUM(A1)"
    wb = load_workbook(io.BytesIO(export_bytes("xlsx", source="manual")))
    values = [c.value for c in next(wb.active.iter_rows(min_row=2))]
    assert values[1].startswith("'=") and all(not str(v).startswith("=") for v in values if v is not None)
    assert wb.active.cell(2, 2).data_type == "s"


def test_organisation_without_ref_exports_its_public_id_and_merged_are_skipped():
    a = organisation(name="ОАО «Гомсельмаш»", country="BY")
    b = organisation(name="Gomselmash", country="BY")
    b.merged_into = a
    b.save()
    refs = [r["ref"] for r in iter_rows()]
    assert a.public_id in refs and b.public_id not in refs


def test_export_view_downloads(client):
    organisation(name="ОАО «БелАЗ»", country="BY", ref="B1", ref_source="s")
    response = client.get("/registry/export/?format=csv&country=by")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "ОАО «БелАЗ»" in response.content.decode()
    xlsx = client.get("/registry/export/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_export_command_rejects_unknown_extension(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export", "organizations", str(tmp_path / "x.txt"))
