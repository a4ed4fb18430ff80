"""Bulk import into the database: hostile files, all or nothing, idempotent re-import, history."""
import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook
from rest_framework.test import APIClient

from coopnet.logic.registry.rows import COLUMNS
from coopnet.registry.importing import import_bytes
from coopnet.registry.models import Competency, CompetencyCode, ImportRun, Organisation
from coopnet.registry.models.imports import ImportStatus

from .factories import user

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
MAZ = ('M1,ОАО «МАЗ»,Minsk Automobile Plant,BY,BY-HM,Минск,53.87,27.65,600122610,29.10,"8704;8701",'
       "Самосвалы и тягачи,ISO 9001,15000,maz.by")
BELAZ = ("B1,ОАО «БелАЗ»,BELAZ,BY,BY-MI,Жодино,54.09,28.33,600038906,29.10,870410,Карьерные самосвалы,,"
         "10000,https://belaz.by")


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join((HEADER, *lines)) + "\n").encode(encoding)


def counts() -> tuple[int, int, int, int]:
    return (Organisation.objects.count(), Organisation.history.count(), Competency.objects.count(),
            CompetencyCode.objects.count())


def test_import_creates_organisations_with_lines_codes_and_history():
    admin = user("imp-admin", "admin")
    result = import_bytes(csv_bytes(MAZ, BELAZ), "orgs.csv", source="test", user=admin)
    assert result.ok and result.created == 2
    maz = Organisation.objects.get(ref="M1", ref_source="test")
    assert maz.public_id.startswith("BY-") and Organisation.objects.get(public_id=maz.public_id) == maz
    assert maz.region_id == "BY-HM" and maz.tax_id == "600122610" and maz.size == "large"
    assert maz.legal_form == "OJSC" and maz.website == "https://maz.by" and not maz.is_synthetic
    assert maz.source == "orgs.csv:2"
    line = maz.competencies.get(from_import=True)
    assert line.hs_list == ["8704", "8701"] and line.nace_list == ["29.10"] and line.certification_list == ["ISO 9001"]
    assert sorted(CompetencyCode.objects.filter(organisation=maz).values_list("code", flat=True)) == [
        "29.10", "8701", "8704"]
    history = maz.history.all()
    assert history.count() == 1 and history[0].history_type == "+" and history[0].history_user == admin
    assert line.history.count() == 1
    run = ImportRun.objects.get(pk=result.run.pk)
    assert run.status == ImportStatus.APPLIED and run.created_count == 2 and run.user == admin
    assert run.report["created"] == 2


def test_reimport_changes_nothing_and_an_edit_updates_with_history():
    data = csv_bytes(MAZ, BELAZ)
    import_bytes(data, "orgs.csv", source="test")
    before = counts()
    again = import_bytes(data, "orgs.csv", source="test")
    assert again.ok and again.created == 0 and again.updated == 0 and again.unchanged == 2
    assert counts() == before
    edited = csv_bytes(MAZ.replace("15000", "14000").replace("Самосвалы и тягачи", "Тягачи"), BELAZ)
    third = import_bytes(edited, "orgs.csv", source="test")
    assert third.updated == 1 and third.unchanged == 1 and third.created == 0
    maz = Organisation.objects.get(ref="M1")
    assert maz.employees == 14000 and maz.competencies.get(from_import=True).description == "Тягачи"
    assert [h.history_type for h in maz.history.order_by("history_id")] == ["+", "~"]
    assert Organisation.objects.count() == 2
    assert maz.competencies.get(from_import=True).history.count() == 2


def test_same_ref_in_another_source_is_another_organisation():
    import_bytes(csv_bytes(MAZ), "a.csv", source="one")
    import_bytes(csv_bytes(MAZ), "b.csv", source="two", duplicates=False)
    assert Organisation.objects.filter(ref="M1").count() == 2


def test_one_invalid_row_writes_nothing():
    before = counts()
    result = import_bytes(csv_bytes(MAZ, BELAZ.replace("600038906", "600038907")), "bad.csv", source="test")
    assert not result.ok
    assert counts() == before
    err = result.report.errors[0]
    assert (err.row, err.column) == (3, "tax_id") and "check digit" in err.reason
    assert result.run.status == ImportStatus.INVALID and result.run.report["errors"][0]["row"] == 3


def test_dry_run_counts_but_writes_nothing():
    before = counts()
    result = import_bytes(csv_bytes(MAZ, BELAZ), "orgs.csv", source="test", dry_run=True)
    assert result.ok and result.created == 2 and counts() == before
    assert result.run.status == ImportStatus.CHECKED


@pytest.mark.parametrize(
    ("data", "name", "expect"),
    [
        (csv_bytes(MAZ, encoding="cp1251"), "cp1251.csv", "ok"),
        (b"\xef\xbb\xbf" + csv_bytes(MAZ), "bom.csv", "ok"),
        (csv_bytes(MAZ).replace(b",", b";").replace(b'"8704;8701"', b'"8704;8701"'), "semi.csv", "ok"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "image.csv", "binary"),
        (HEADER.encode() + b'\nM1,"broken,BY\n', "quotes.csv", "row 2: a quoted cell is never closed"),
        (csv_bytes(MAZ.replace("ОАО «МАЗ»", "=HYPERLINK(\"http://x\")")), "formula.csv", "row 2"),
        (b"", "empty.csv", "empty"),
    ],
)
def test_hostile_files(data, name, expect):
    before = counts()
    result = import_bytes(data, name, source="hostile", duplicates=False)
    text = "\n".join(result.lines())
    if expect == "ok":
        assert result.ok, text
        assert Organisation.objects.get(ref="M1").name == "ОАО «МАЗ»"
    else:
        assert not result.ok and expect in text
        assert counts() == before


def test_ten_megabyte_cell_is_reported_and_nothing_written():
    big = "x" * (10 * 1024 * 1024)
    result = import_bytes(csv_bytes(MAZ, BELAZ.replace("Карьерные самосвалы", big)), "big.csv", source="t")
    assert not result.ok and Organisation.objects.count() == 0
    err = result.report.errors[0]
    assert err.row == 3 and err.column == "products" and len(err.value) <= 80


def test_xlsx_import():
    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS))
    ws.append(["X1", "ТОО «Казахмыс»", "Kazakhmys LLP", "KZ", "KZ-35", "Караганда", 49.8, 73.1, "", "24.44",
               "7403", "Медь", "", 5000, ""])
    buf = io.BytesIO()
    wb.save(buf)
    result = import_bytes(buf.getvalue(), "kz.xlsx", source="xlsx")
    assert result.ok, list(result.lines())
    org = Organisation.objects.get(ref="X1")
    assert org.country_id == "KZ" and org.legal_form == "LLP" and org.employees == 5000


def _synthetic_csv(n: int) -> bytes:
    from coopnet.logic.registry.synth import generate
    from coopnet.registry.management.commands.generate import vocabulary_from_reference

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for row in generate(n, 42, vocabulary_from_reference()):
        w.writerow([row[c] for c in COLUMNS])
    return buf.getvalue().encode()


def test_hundred_thousand_rows_with_one_bad_row_write_nothing():
    data = _synthetic_csv(100_000)
    lines = data.split(b"\n")
    bad_line = 73_457  # row number as the user sees it (the header is row 1)
    cells = lines[bad_line - 1].split(b",")
    cells[3] = b"ZZ"  # the country column
    lines[bad_line - 1] = b",".join(cells)
    bad = b"\n".join(lines)
    result = import_bytes(bad, "big.csv", source="syn", duplicates=False)
    assert not result.ok and result.report.rows == 100_000 and result.report.invalid == 1
    assert [(e.row, e.column) for e in result.report.errors] == [(bad_line, "country")]
    assert counts() == (0, 0, 0, 0)
    assert ImportRun.objects.get().status == ImportStatus.INVALID


def test_synthetic_file_imports_once_and_reimport_changes_nothing():
    data = _synthetic_csv(5_000)
    good = import_bytes(data, "syn.csv", source="syn", duplicates=False)
    assert good.ok and good.created == 5_000
    assert Organisation.objects.filter(is_synthetic=True).count() == 5_000
    before = counts()
    again = import_bytes(data, "syn.csv", source="syn", duplicates=False)
    assert again.unchanged == 5_000 and again.created == again.updated == 0 and counts() == before


def test_duplicates_are_reported_on_import():
    import_bytes(csv_bytes(MAZ), "a.csv", source="one")
    english = ("E1,Minsk Automobile Plant OJSC,,BY,BY-HM,Minsk,53.871,27.651,600122610,,,,,,https://www.maz.by/")
    result = import_bytes(csv_bytes(english), "b.csv", source="two")
    assert result.ok and len(result.duplicates) == 1
    d = result.duplicates[0]
    assert d["row"] == 2 and d["status"] == "automatic" and any("same tax ID" in r for r in d["reasons"])
    assert "possible duplicate (automatic" in "\n".join(result.lines())


def test_command_prints_report_and_exits_non_zero(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(MAZ))
    call_command("import", "organizations", str(good), "--source", "cmd")
    assert "1 organisations were created" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(MAZ.replace(",BY,", ",XX,")))
    with pytest.raises(CommandError) as exc:
        call_command("import", "organizations", str(bad), "--source", "cmd")
    assert exc.value.returncode == 1
    assert "row 2, country: unknown country code" in capsys.readouterr().out
    call_command("import", "organizations", str(good), "--source", "cmd2", "--dry-run", "--format", "json")
    assert '"dry_run": true' in capsys.readouterr().out
    assert Organisation.objects.filter(ref_source="cmd2").count() == 0


def test_api_import_report_and_permissions():
    api = APIClient()
    upload = io.BytesIO(csv_bytes(MAZ))
    upload.name = "orgs.csv"
    assert api.post("/api/imports/", {"file": upload}, format="multipart").status_code == 403
    api.force_authenticate(user("api-admin", "admin"))
    upload.seek(0)
    ok = api.post("/api/imports/", {"file": upload, "source": "api"}, format="multipart")
    assert ok.status_code == 200 and ok.json()["created"] == 1
    bad = io.BytesIO(csv_bytes(MAZ.replace("53.87", "153.87")))
    bad.name = "bad.csv"
    response = api.post("/api/imports/", {"file": bad, "source": "api"}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0] == {"row": 2, "column": "lat", "value": "153.87",
                                             "reason": "must be between -90 and 90", "level": "error"}
    assert api.post("/api/imports/", {}, format="multipart").status_code == 400
    run = api.get(f"/api/imports/{ok.json()['run']}/")
    assert run.status_code == 200 and run.json()["created"] == 1
    assert api.get("/api/imports/999999/").status_code == 404


def test_contact_point_imports_its_country_only():
    api = APIClient()
    api.force_authenticate(user("ncp-test", "contact_point", country="RU"))
    upload = io.BytesIO(csv_bytes(MAZ))
    upload.name = "orgs.csv"
    response = api.post("/api/imports/", {"file": upload}, format="multipart")
    assert response.status_code == 400 and "of RU only" in response.json()["errors"][0]["reason"]


def test_import_page(client):
    page_user = user("page-admin", "admin")
    assert client.get("/registry/import/").status_code == 302
    client.force_login(page_user)
    assert client.get("/registry/import/").status_code == 200
    upload = io.BytesIO(csv_bytes(MAZ, BELAZ.replace(",BY,", ",XX,")))
    upload.name = "page.csv"
    response = client.post("/registry/import/", {"file": upload, "source": "page"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "unknown country code" in body and "nothing was written" in body
    upload = io.BytesIO(csv_bytes(MAZ))
    upload.name = "page.csv"
    response = client.post("/registry/import/", {"file": upload, "source": "page"})
    assert response.status_code == 200 and "Created: 1" in response.content.decode()
    run = ImportRun.objects.filter(status=ImportStatus.APPLIED).first()
    assert client.get(f"/registry/import/{run.pk}/").status_code == 200
    enterprise = user("page-ent", "enterprise")
    client.force_login(enterprise)
    assert client.get("/registry/import/").status_code == 403


def test_import_logs_its_organisations_for_the_partner_search_only_when_it_writes():
    from coopnet.registry.models import Organisation, RegistryChange

    data = csv_bytes(MAZ)
    import_bytes(data, "orgs.csv", source="rev", duplicates=False)
    maz = Organisation.objects.get(ref="M1")
    entries = list(RegistryChange.objects.all())
    assert len(entries) == 1 and entries[0].organisation_id <= maz.pk <= entries[0].last_id  # one range
    import_bytes(data, "orgs.csv", source="rev", duplicates=False)  # nothing changed: nothing logged
    assert RegistryChange.objects.count() == 1
    import_bytes(data.replace(b"Minsk Automobile Plant", b"MAZ"), "orgs.csv", source="rev", duplicates=False)
    last = RegistryChange.objects.order_by("-id").first()
    assert RegistryChange.objects.count() == 2 and (last.organisation_id, last.last_id) == (maz.pk, None)


def test_reimport_after_a_merge_leaves_the_merged_record_alone():
    """Two rows of one file were the same enterprise and were merged; importing the file again must not
    write into the merged-away record (it would get a product line again on every import), and says so."""
    from coopnet.registry.dedupe import merge

    twin = MAZ.replace("M1,", "M2,", 1).replace("600122610", "")
    data = csv_bytes(MAZ, twin, BELAZ)
    assert import_bytes(data, "orgs.csv", source="t", duplicates=False).created == 3
    keep, absorbed = Organisation.objects.get(ref="M1"), Organisation.objects.get(ref="M2")
    merge(keep, absorbed)
    lines_before = Competency.objects.count()
    history_before = Organisation.history.count(), Competency.history.count()
    again = import_bytes(data, "orgs.csv", source="t", duplicates=False)
    assert again.ok and again.created == again.updated == 0 and again.unchanged == 2 and again.merged == 1
    assert Competency.objects.count() == lines_before
    assert not Competency.objects.filter(organisation=absorbed).exists()
    assert (Organisation.history.count(), Competency.history.count()) == history_before
    warning = [w for w in again.report.warnings if w.column == "ref"]
    assert warning and warning[0].row == 3 and keep.public_id in warning[0].reason
    assert "1 rows belong to merged organisations" in " ".join(again.lines())
