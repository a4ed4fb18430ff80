"""The holes an attacker with ordinary demo accounts found (issue 10), one test per hole.

Each test did fail on the code before its fix. The checks that catch the whole class live beside them:
`tests/browser/test_hostile_strings.py` (scripts in Chromium), `tests/test_field_permissions.py` (who writes
which field) and `tests/test_api_fuzz.py` (no 5xx, answers as documented).
"""
from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db

SCRIPT_NOTE = "</script><svg onload=alert(1)>"


def login(client: Client, username: str) -> Client:
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    return client


def as_user(username: str) -> Client:
    return login(Client(), username)


def org(ref: str) -> Any:
    from coopnet.registry.models import Organisation

    return Organisation.objects.get(ref=ref)


def patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


# --- 1. stored XSS: data never reaches a script as code ---------------------------------------------------


def test_a_statistics_note_cannot_close_the_dashboard_script(demo_accounts: None, settings: Any, tmp_path: Any) -> None:
    from coopnet.stats import services

    settings.STATS_DIR = tmp_path / "stats"
    data = ("indicator,reporter,partner,scheme,product,flow,period,value,unit,source,note\n"
            f'export_structure,RU,BY,other,hostile,export,2022,5,percent,test,"{SCRIPT_NOTE}"\n').encode()
    upload = SimpleUploadedFile("hostile.csv", data)
    result, _dataset = services.import_file(upload, "long", file_name="hostile.csv")
    assert result.ok, result.errors
    body = Client().get("/stats/").content.decode()
    assert SCRIPT_NOTE not in body
    assert "<svg onload" not in body


def test_every_page_sends_a_policy_that_forbids_inline_script(demo_accounts: None) -> None:
    response = Client().get("/")
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]


# --- 2. cross-organisation writes ---------------------------------------------------------------------------


def test_an_enterprise_cannot_move_its_product_line_to_another_organisation(demo_accounts: None) -> None:
    from coopnet.registry.models import Competency

    maz = org("BY-MAZ")
    line = Competency.objects.filter(organisation=maz).first()
    other = org("KZ-AGROMASHHOLDING")
    response = patch(as_user("maz"), f"/api/competencies/{line.pk}/", {"organisation": other.public_id})
    assert response.status_code == 400, response.content
    assert "organisation" in response.json()
    line.refresh_from_db()
    assert line.organisation_id == maz.pk


def test_an_enterprise_cannot_move_a_site_to_another_organisation(demo_accounts: None) -> None:
    from coopnet.registry.models import Site

    maz = org("BY-MAZ")
    site = Site.objects.create(organisation=maz, kind="dealer", country_id="KZ", city="Astana")
    other = org("KZ-AGROMASHHOLDING")
    response = patch(as_user("maz"), f"/api/sites/{site.pk}/", {"organisation": other.public_id})
    assert response.status_code == 400
    site.refresh_from_db()
    assert site.organisation_id == maz.pk


@pytest.mark.parametrize("field,value", [("country", "KZ"), ("is_synthetic", True), ("source", "forged"),
                                         ("source_note", "forged"), ("ref", "FORGED")])
def test_an_enterprise_cannot_change_the_curated_fields_of_its_organisation(demo_accounts: None, field: str,
                                                                            value: Any) -> None:
    maz = org("BY-MAZ")
    maz.region = None  # so that only the permission can stop a change of country (a region is its country's)
    maz.save()
    before = getattr(maz, field if field != "country" else "country_id")
    patch(as_user("maz"), f"/api/organisations/{maz.public_id}/", {field: value})
    maz.refresh_from_db()
    assert getattr(maz, field if field != "country" else "country_id") == before


def test_an_enterprise_cannot_change_its_country_in_the_web_form(demo_accounts: None) -> None:
    maz = org("BY-MAZ")
    client = as_user("maz")
    form = client.get(f"/registry/o/{maz.public_id}/edit/").context["form"]
    assert "country" not in form.fields
    data = {name: form[name].value() or "" for name in form.fields}
    data["country"] = "KZ"
    client.post(f"/registry/o/{maz.public_id}/edit/", data)
    maz.refresh_from_db()
    assert maz.country_id == "BY"


def test_a_contact_point_cannot_move_an_organisation_to_another_country(demo_accounts: None) -> None:
    maz = org("BY-MAZ")
    maz.region = None
    maz.save()
    patch(as_user("ncp-by"), f"/api/organisations/{maz.public_id}/", {"country": "RU"})
    maz.refresh_from_db()
    assert maz.country_id == "BY"


def test_a_contact_point_cannot_delete_an_organisation(demo_accounts: None) -> None:
    maz = org("BY-MAZ")
    response = as_user("ncp-by").delete(f"/api/organisations/{maz.public_id}/")
    assert response.status_code == 403
    assert org("BY-MAZ").competencies.exists()


def test_an_enterprise_deleting_its_organisation_gets_a_403_not_a_500(demo_accounts: None) -> None:
    maz = org("BY-MAZ")
    response = as_user("maz").delete(f"/api/organisations/{maz.public_id}/")
    assert response.status_code == 403
    assert "detail" in response.json()


def test_an_administrator_deleting_a_referenced_organisation_gets_a_409(demo_accounts: None) -> None:
    from coopnet.exchange.models import Opportunity

    maz = org("BY-MAZ")
    Opportunity.objects.create(title="Engines", description="Diesel engines", organisation=maz)
    response = as_user("admin").delete(f"/api/organisations/{maz.public_id}/")
    assert response.status_code == 409, response.content
    assert "detail" in response.json()


# --- 3. anonymity kept until both sides agree ---------------------------------------------------------------


@pytest.fixture
def published_request(demo_accounts: None) -> Any:
    from coopnet.exchange.models import Opportunity

    opp = Opportunity.objects.create(title="Diesel engines", description="We need diesel engines",
                                     organisation=org("BY-MAZ"))
    opp.submit()
    opp.approve(None)
    return opp


@pytest.mark.parametrize("anonymous,brokered", [(True, False), (False, True)])
def test_closing_cannot_name_a_partner_who_has_not_agreed(published_request: Any, anonymous: bool,
                                                          brokered: bool) -> None:
    from coopnet.exchange.choices import InterestStatus
    from coopnet.exchange.models import Interest

    secret = org("KZ-AGROMASHHOLDING")
    interest = Interest.objects.create(opportunity=published_request, organisation=secret, message="We make them",
                                       anonymous=anonymous, brokered=brokered)
    client = as_user("maz")
    url = f"/exchange/o/{published_request.pk}/close/"
    named = client.post(url, {"outcome": "supply", "partner": str(secret.pk)}, follow=True)
    published_request.refresh_from_db()
    interest.refresh_from_db()
    assert interest.status != InterestStatus.AGREEMENT
    assert published_request.outcome_partner_id is None
    assert 'data-testid="outcome"' not in named.content.decode()  # not closed, and no partner named
    # the same answer as for an organisation that never expressed interest: no oracle
    published_request.status = "published"
    published_request.save()
    stranger = org("RU-BESHTAU")
    unknown = client.post(url, {"outcome": "supply", "partner": str(stranger.pk)}, follow=True)
    assert [str(m) for m in named.context["messages"]] == [str(m) for m in unknown.context["messages"]]


def test_closing_names_a_partner_whose_interest_was_accepted(published_request: Any) -> None:
    from coopnet.exchange.choices import InterestStatus
    from coopnet.exchange.models import Interest

    partner = org("KZ-AGROMASHHOLDING")
    interest = Interest.objects.create(opportunity=published_request, organisation=partner, message="We make them",
                                       anonymous=True)
    interest.answer(True, "Let us talk")
    as_user("maz").post(f"/exchange/o/{published_request.pk}/close/", {"outcome": "supply",
                                                                        "partner": str(partner.pk)})
    published_request.refresh_from_db()
    interest.refresh_from_db()
    assert published_request.outcome_partner_id == partner.pk
    assert interest.status == InterestStatus.AGREEMENT


# --- 4. private documents -------------------------------------------------------------------------------------


@pytest.fixture
def bank_document(demo_accounts: None, settings: Any, tmp_path: Any) -> Any:
    from coopnet.financing.models import ApplicationDocument
    from coopnet.financing.tests import factories

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    factories.regulation()
    app = factories.application(org("RU-SBERBANK"), factories.consortium())
    return ApplicationDocument.objects.create(
        application=app, title="Business plan",
        file=SimpleUploadedFile("plan.html", b"<html><script>alert(document.cookie)</script></html>"))


def test_a_bank_document_is_not_served_from_media(bank_document: Any) -> None:
    from django.conf import settings
    from django.urls import Resolver404, resolve

    public_url = f"/media/{bank_document.file.name}"
    with pytest.raises(Resolver404):
        resolve(public_url)
    assert Client().get(public_url).status_code == 404
    # not under MEDIA_ROOT, where a web server in front of the application would serve it, and no URL of its own
    assert not bank_document.file.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        _url = bank_document.file.url


def test_a_bank_document_is_downloaded_only_by_those_who_see_the_application(bank_document: Any) -> None:
    url = f"/financing/documents/{bank_document.pk}/"
    assert Client().get(url).status_code in (302, 404)
    assert as_user("gpb").get(url).status_code == 404
    response = as_user("sber").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"


# --- 5. import reports across countries ---------------------------------------------------------------------


@pytest.fixture
def russian_import(demo_accounts: None) -> Any:
    from django.contrib.auth import get_user_model

    from coopnet.registry.models import ImportRun

    return ImportRun.objects.create(user=get_user_model().objects.get(username="ncp-ru"), filename="ru.csv",
                                    source="ru", status="invalid", report={"rows": [{"value": "secret-cell"}]})


def test_a_contact_point_cannot_read_another_countrys_import_report(russian_import: Any) -> None:
    client = as_user("ncp-by")
    assert client.get(f"/api/imports/{russian_import.pk}/").status_code == 404
    assert client.get(f"/registry/import/{russian_import.pk}/").status_code == 404
    assert "ru.csv" not in client.get("/registry/import/").content.decode()


def test_the_author_their_contact_point_and_administrators_read_an_import_report(russian_import: Any) -> None:
    for username in ("ncp-ru", "admin"):
        client = as_user(username)
        assert client.get(f"/api/imports/{russian_import.pk}/").status_code == 200
        assert client.get(f"/registry/import/{russian_import.pk}/").status_code == 200


# --- 6. usernames on public history pages ------------------------------------------------------------------


def test_public_history_shows_a_role_and_organisation_not_the_username(demo_accounts: None) -> None:
    maz = org("BY-MAZ")
    patch(as_user("maz"), f"/api/organisations/{maz.public_id}/", {"city": "Минск"})
    for url in (f"/registry/o/{maz.public_id}/history/", f"/registry/o/{maz.public_id}/"):
        public = Client().get(url).content.decode()
        assert ">maz<" not in public and " maz<" not in public and "by maz" not in public
        assert maz.name in public
        assert "maz" in as_user("admin").get(url).content.decode()


def test_plan_reports_do_not_show_the_reporters_username(demo_accounts: None) -> None:
    from coopnet.plans.models import Document, Measure

    doc = Document.objects.create(kind="action_plan", title="Plan")
    doc.parties.set(["BY"])
    measure = Measure.objects.create(document=doc, number="1", text="Measure")
    client = as_user("minprom-by")
    client.post("/api/plans/reports/", {"measure": measure.pk, "date": "2025-01-01", "status": "done"})
    assert "minprom-by" not in Client().get(f"/plans/m/{measure.pk}/").content.decode()
    report = Client().get("/api/plans/reports/").json()["results"][0]
    assert "minprom-by" not in json.dumps(report)


# --- 7. formula injection in every export -------------------------------------------------------------------


def test_the_plan_export_writes_a_measure_text_as_text(demo_accounts: None) -> None:
    from openpyxl import load_workbook

    from coopnet.plans.models import Document, Measure

    doc = Document.objects.create(kind="action_plan", title="=HYPERLINK(\"http://x\")")
    Measure.objects.create(document=doc, number="1", text="=1+2", text_en="@SUM(A1)", source="+cmd")
    book = load_workbook(io.BytesIO(Client().get(f"/plans/d/{doc.pk}/export.xlsx").content))
    cells = [c.value for row in book["Measures"].iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c for c in cells if c[:1] in "=+-@"], cells


def test_the_statistics_exports_write_a_note_as_text(demo_accounts: None, settings: Any, tmp_path: Any) -> None:
    from openpyxl import load_workbook

    from coopnet.stats import services

    settings.STATS_DIR = tmp_path / "stats"
    data = (b"indicator,reporter,partner,scheme,product,flow,period,value,unit,source,note\n"
            b'joint_ventures,BY,RU,other,total,,2024,5,count,test,"=HYPERLINK(""http://x"")"\n')
    result, _dataset = services.import_file(SimpleUploadedFile("f.csv", data), "long", file_name="f.csv")
    assert result.ok, result.errors
    csv_text = Client().get("/stats/series/joint_ventures/?export=csv").content.decode()
    assert ",=HYPERLINK" not in csv_text and '"=HYPERLINK' not in csv_text
    book = load_workbook(io.BytesIO(Client().get("/stats/series/joint_ventures/?export=xlsx").content))
    cells = [c.value for row in book["data"].iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c for c in cells if c.startswith("=")], cells


# --- 8. bad input is a 400, never a 500; page sizes are bounded; state changes are POSTs --------------------


@pytest.mark.parametrize("text", ["%", "0", "-1", "_", "[]"])
def test_partner_search_with_text_that_has_no_words(demo_accounts: None, text: str) -> None:
    response = Client().get("/exchange/", {"text": text})
    assert response.status_code == 400
    assert response.context["form"].errors


@pytest.mark.parametrize("url", ["/registry/", "/exchange/board/", "/financing/register/", "/plans/"])
@pytest.mark.parametrize("per_page", ["-1", "0", "100000", "x"])
def test_page_sizes_are_bounded(demo_accounts: None, url: str, per_page: str) -> None:
    response = Client().get(url, {"per_page": per_page})
    assert response.status_code == 200
    table = response.context["table"]
    assert 1 <= table.paginator.per_page <= 200


@pytest.mark.parametrize("path", ["/api/organisations/", "/api/competencies/"])
@pytest.mark.parametrize("name", ["hs", "nace"])
def test_a_code_filter_with_a_percent_sign(demo_accounts: None, path: str, name: str) -> None:
    response = Client().get(path, {name: "%"})
    assert response.status_code == 400
    assert name in response.json()


def test_a_duplicate_ref_is_a_400_with_a_message(demo_accounts: None) -> None:
    maz = org("BY-MAZ")
    response = patch(as_user("admin"), f"/api/organisations/{maz.public_id}/", {"ref": "KZ-AGROMASHHOLDING"})
    assert response.status_code == 400, response.content
    assert "ref" in response.json()


def test_a_saved_search_is_not_created_by_a_link(demo_accounts: None) -> None:
    from coopnet.exchange.models import SavedSearch

    client = as_user("maz")
    client.get("/exchange/", {"text": "diesel engines", "save": "1"})
    assert not SavedSearch.objects.exists()
    response = client.post("/exchange/save/", {"text": "diesel engines"})
    assert response.status_code == 302
    assert SavedSearch.objects.get().params == {"text": "diesel engines"}


# --- 9. answers match the documented schema ------------------------------------------------------------------


def test_an_open_opportunity_has_no_outcome_rather_than_an_empty_one(published_request: Any) -> None:
    row = Client().get("/api/opportunities/").json()["results"][0]
    assert row["outcome"] is None


def test_a_seeded_plan_report_has_a_null_author_that_the_schema_allows(demo_accounts: None) -> None:
    from coopnet.plans.models import Document, Measure, StatusReport

    doc = Document.objects.create(kind="action_plan", title="Plan")
    measure = Measure.objects.create(document=doc, number="1", text="Measure")
    StatusReport.objects.create(measure=measure, date=date(2024, 1, 1), status="done", author_name="seed document")
    schema = Client().get("/api/schema/?format=json").json()
    author = schema["components"]["schemas"]["StatusReport"]["properties"]["author"]
    assert author.get("nullable") is True
    listing = schema["paths"]["/api/plans/reports/"]["get"]["responses"]
    assert {"200", "400"} <= set(listing)
