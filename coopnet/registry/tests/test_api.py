import pytest
from rest_framework.test import APIClient

from .factories import competency, organisation, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_list_filter_and_paginate(api: APIClient) -> None:
    for i in range(3):
        competency(organisation(name=f"Завод {i}", country="BY"), hs="8704")
    competency(organisation(name="Other", country="RU"), hs="8501", nace="27.11")
    response = api.get("/api/organisations/", {"hs": "87", "limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert api.get("/api/organisations/", {"nace": "27"}).json()["count"] == 1
    bad = api.get("/api/organisations/", {"hs": "87;x"})
    assert bad.status_code == 400 and "hs" in bad.json()


def test_detail_by_public_id_with_competencies(api: APIClient) -> None:
    org = organisation(name="ОАО «БелАЗ»", country="BY")
    competency(org, "Карьерные самосвалы", hs="870410", nace="29.10")
    body = api.get(f"/api/organisations/{org.public_id}/").json()
    assert body["public_id"] == org.public_id
    assert body["competencies"][0]["hs"] == ["870410"]


def test_anonymous_cannot_write(api: APIClient) -> None:
    org = organisation()
    assert api.patch(f"/api/organisations/{org.public_id}/", {"city": "X"}, format="json").status_code == 403
    assert api.post("/api/organisations/", {"name": "X", "country": "BY"}, format="json").status_code == 403


def test_enterprise_edits_only_its_own(api: APIClient) -> None:
    mine, other = organisation(name="Mine"), organisation(name="Other")
    api.force_authenticate(user("u", "enterprise", "BY", mine))
    assert api.patch(f"/api/organisations/{mine.public_id}/", {"city": "Гомель"}, format="json").status_code == 200
    assert api.patch(f"/api/organisations/{other.public_id}/", {"city": "X"}, format="json").status_code == 404
    assert api.post("/api/organisations/", {"name": "New", "country": "BY"}, format="json").status_code == 403
    created = api.post("/api/competencies/", {"organisation": mine.public_id, "description": "Сеялки",
                                              "hs_codes": "843231"}, format="json")
    assert created.status_code == 201, created.json()
    denied = api.post("/api/competencies/", {"organisation": other.public_id, "description": "x"}, format="json")
    assert denied.status_code == 403


def test_api_validates_like_forms(api: APIClient) -> None:
    api.force_authenticate(user("ncp", "contact_point", "RU"))
    bad = api.post("/api/organisations/", {"name": "ООО Ромашка", "country": "RU", "tax_id": "123"}, format="json")
    assert bad.status_code == 400 and "tax_id" in bad.json()
    other_country = api.post("/api/organisations/", {"name": "X", "country": "BY"}, format="json")
    assert other_country.status_code == 403
    ok = api.post("/api/organisations/", {"name": "ПАО Сбербанк", "country": "RU", "tax_id": "7707083893"},
                  format="json")
    assert ok.status_code == 201 and ok.json()["public_id"].startswith("RU-")


def test_openapi_schema_served(api: APIClient) -> None:
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/organisations/" in paths and "/api/competency-map/" in paths
