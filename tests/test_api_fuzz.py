"""The API survives fuzzing: malformed, hostile and oversized input gets a clear 4xx, never a server error.

Property-based part: the OpenAPI schema is read from the application itself (`/api/schema/`), and
schemathesis generates valid and invalid requests for every operation (examples, coverage and fuzzing
phases, bounded by the `coopnet-api-fuzz` Hypothesis profile of `api_fuzz_support`). Each answer must not
be a 5xx, and a documented answer must match its documented schema and content type. Writes run as an
administrator (HTTP basic auth); reads also run anonymously.

Explicit part: hand-written hostile requests against the registry API.

Reproduce one operation: `pytest tests/test_api_fuzz.py -k admin` then read the failure's curl command;
runs are derandomized, so the same code gives the same requests.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client

from tests.api_fuzz_support import ADMIN_PASSWORD as PASSWORD
from tests.api_fuzz_support import ADMIN_USERNAME as USERNAME
from tests.api_fuzz_support import (
    FUZZ_SETTINGS,
    SCHEMA_PATH,
    basic_auth,
    call_and_check,
    known_path_values,
    register_known_path_values,
    schemathesis_config,
    seed_data,
)


@pytest.fixture
def fuzz_admin(db, settings):  # type: ignore[no-untyped-def]
    """A superuser with an administrator profile; a fast password hasher, since basic auth checks every request."""
    from django.contrib.auth import get_user_model

    from coopnet.accounts.models import Profile

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = get_user_model().objects.create_superuser(USERNAME, "fuzz-admin@example.org", PASSWORD)
    Profile.objects.create(user=user, role="admin")
    return user


@pytest.fixture
def fuzz_data(fuzz_admin) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return seed_data()


ENTERPRISE_USERNAME = "fuzz-enterprise"


@pytest.fixture
def fuzz_enterprise(fuzz_data):  # type: ignore[no-untyped-def]
    """An enterprise user of the seeded tractor works: its writes meet the permission rules, not the admin's."""
    from django.contrib.auth import get_user_model

    from coopnet.accounts.models import Profile
    from coopnet.registry.models import Organisation

    user = get_user_model().objects.create_user(ENTERPRISE_USERNAME, password=PASSWORD)
    Profile.objects.create(user=user, role="enterprise", country_id="BY",
                           organisation=Organisation.objects.get(public_id=fuzz_data["organisation"]))
    return user


# The schema is read once, at collection, from the application itself (drf-spectacular builds it without the
# database). Path parameter values that exist are looked up per test by the `known_paths` fixture.
# Anonymous reads differ from the administrator's only in what they may see: they skip the coverage phase.
schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, WSGIHandler(), config=schemathesis_config())
read_schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, WSGIHandler(), config=schemathesis_config(coverage=False))
# Writes as an ordinary enterprise user: refusals (403, 404, 409) must be declared answers too, never a 500.
write_schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, WSGIHandler(),
                                              config=schemathesis_config(coverage=False))
KNOWN_PATH_VALUES: dict[tuple[str, str], Any] = {}
register_known_path_values(schema, KNOWN_PATH_VALUES)
register_known_path_values(read_schema, KNOWN_PATH_VALUES)
register_known_path_values(write_schema, KNOWN_PATH_VALUES)


@pytest.fixture
def known_paths(fuzz_admin, fuzz_data) -> Iterator[None]:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(fuzz_admin)
    KNOWN_PATH_VALUES.update(known_path_values(client, list(schema.raw_schema["paths"])))
    yield
    KNOWN_PATH_VALUES.clear()


@pytest.mark.django_db
@schema.parametrize()
@FUZZ_SETTINGS
def test_every_operation_as_admin(case: schemathesis.Case, known_paths: None) -> None:
    call_and_check(case, headers=basic_auth())


@pytest.mark.django_db
@read_schema.include(method="GET").parametrize()
@FUZZ_SETTINGS
def test_every_read_operation_anonymously(case: schemathesis.Case, known_paths: None) -> None:
    response = call_and_check(case)
    assert response.status_code != 401 or "detail" in response.json()


@pytest.mark.django_db
@write_schema.include(method=["POST", "PUT", "PATCH", "DELETE"]).parametrize()
@FUZZ_SETTINGS
def test_every_write_operation_as_an_enterprise(case: schemathesis.Case, known_paths: None,
                                                fuzz_enterprise: Any) -> None:
    call_and_check(case, headers=basic_auth(ENTERPRISE_USERNAME, PASSWORD))


# --- explicit hostile requests against the registry API -------------------------------------------------


@pytest.fixture
def api(fuzz_admin, fuzz_data) -> Client:  # type: ignore[no-untyped-def]
    return Client(HTTP_AUTHORIZATION=basic_auth()["Authorization"], HTTP_ACCEPT="application/json")


def assert_client_error(response: Any) -> dict[str, Any] | list[Any]:
    """A 4xx whose JSON body says what is wrong."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body, "the error answer has no message"
    text = json.dumps(body, ensure_ascii=False)
    assert len(text) < 10_000, "the error answer echoes the hostile input"
    return body


def valid_organisation(**overrides: Any) -> dict[str, Any]:
    return {"ref": "fuzz-1", "name": "ООО «Фазз»", "country": "BY", **overrides}


@pytest.mark.django_db
def test_valid_organisation_is_created(api: Client) -> None:
    """The baseline the hostile cases below deviate from."""
    response = api.post("/api/organisations/", valid_organisation(), content_type="application/json")
    assert response.status_code == 201, response.content[:500]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["name", "city", "website", "description"])
def test_one_megabyte_string(api: Client, field: str) -> None:
    body = json.dumps(valid_organisation(**{field: "Я" * 1_000_000}))
    assert len(body.encode()) > 1_000_000
    response = api.post("/api/organisations/", body, content_type="application/json")
    assert field in assert_client_error(response)


@pytest.mark.django_db
def test_one_megabyte_array_body(api: Client) -> None:
    body = "[" + ",".join(["1"] * 500_000) + "]"
    assert_client_error(api.post("/api/organisations/", body, content_type="application/json"))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/organisations/", "/api/competencies/", "/api/sites/"])
@pytest.mark.parametrize("opening,closing", [("[", "]"), ('{"a":', "}")])
def test_deeply_nested_json(api: Client, path: str, opening: str, closing: str) -> None:
    depth = 100_000
    body = opening * depth + "1" + closing * depth
    body_response = assert_client_error(api.post(path, body, content_type="application/json"))
    assert "detail" in body_response


@pytest.mark.django_db
def test_deeply_nested_json_in_a_field(api: Client) -> None:
    nested: Any = "x"
    for _ in range(200):
        nested = {"a": [nested]}
    body = json.dumps(valid_organisation(name=nested))
    assert "name" in assert_client_error(api.post("/api/organisations/", body, content_type="application/json"))


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["ref", "name", "city", "tax_id", "website"])
def test_nul_byte_in_body_string(api: Client, field: str) -> None:
    body = json.dumps(valid_organisation(**{field: "ab\x00cd"}))
    assert field in assert_client_error(api.post("/api/organisations/", body, content_type="application/json"))


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    "q=ab%00cd", "country=B%00Y", "region=BY-%00", "hs=87%0001", "nace=28%00", "certification=ISO%00",
    "ordering=na%00me", "kind=%00", "is_synthetic=%00",
])
def test_nul_byte_in_query(api: Client, query: str) -> None:
    response = api.get(f"/api/organisations/?{query}")
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert_client_error(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", [
    "/api/organisations/ab%00cd/", "/api/competencies/1%00/", "/api/sites/%00/", "/api/countries/B%00Y/",
    "/api/regions/BY-%00HM/", "/api/hs/87%0001/", "/api/nace/28%00/",
])
def test_nul_byte_in_path(api: Client, path: str) -> None:
    assert_client_error(api.get(path))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/organisations/", "/api/competencies/", "/api/sites/"])
def test_invalid_utf8_body(api: Client, path: str) -> None:
    body = b'{"ref": "x", "name": "\xff\xfe\xc3\x28", "country": "BY"}'
    assert "detail" in assert_client_error(api.post(path, body, content_type="application/json"))


@pytest.mark.django_db
def test_invalid_utf8_query_and_path(api: Client) -> None:
    response = api.get("/api/organisations/?q=%ff%fe%c3%28")
    assert response.status_code < 500, response.content[:500]
    assert_client_error(api.get("/api/organisations/%ff%fe/"))


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", [
    "text/plain", "application/xml", "application/x-www-form-urlencoded; charset=bogus-charset",
    "multipart/form-data", "multipart/form-data; boundary=",
    "image/png", "",
])
def test_wrong_content_type(api: Client, content_type: str) -> None:
    body = json.dumps(valid_organisation()).encode()  # `generic` sends the bytes as they are, whatever the charset
    assert_client_error(api.generic("POST", "/api/organisations/", body, content_type=content_type))


@pytest.mark.django_db
def test_unknown_charset_on_json_is_read_as_utf8(api: Client) -> None:
    body = json.dumps(valid_organisation()).encode()
    response = api.generic("POST", "/api/organisations/", body, content_type="application/json; charset=bogus")
    assert response.status_code == 201, response.content[:500]


@pytest.mark.django_db
def test_malformed_json(api: Client) -> None:
    for body in ['{"ref": "x",', "nul", "NaN", '"just a string"', "[]", "1e999999", '{"name": "\\ud800"}']:
        assert_client_error(api.post("/api/organisations/", body, content_type="application/json"))


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["employees", "lat", "lon"])
@pytest.mark.parametrize("value", [10**30, -(10**30), "1" * 5000, 1e308, "NaN", "Infinity", "-Infinity"])
def test_huge_numbers_in_body(api: Client, field: str, value: Any) -> None:
    body = json.dumps(valid_organisation(**{field: value}))
    assert field in assert_client_error(api.post("/api/organisations/", body, content_type="application/json"))


PAGINATED = ["/api/organisations/", "/api/competencies/", "/api/sites/", "/api/countries/", "/api/regions/",
             "/api/hs/", "/api/nace/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGINATED)
@pytest.mark.parametrize("query", [
    "limit=-1", "offset=-1", "limit=-1&offset=-5", "limit=0", "limit=99999999999999999999999",
    "offset=99999999999999999999999", "limit=1e9", "offset=abc", "limit=%00", "limit=%EF%BC%91",
])
def test_hostile_pagination(api: Client, path: str, query: str) -> None:
    body = assert_client_error(api.get(f"{path}?{query}"))
    assert {"limit", "offset"} & set(body)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGINATED)
def test_pagination_within_bounds(api: Client, path: str) -> None:
    for query in ["", "limit=", "limit=1", "limit=1000&offset=0", "offset=1000000000"]:
        response = api.get(f"{path}?{query}")
        assert response.status_code == 200, (query, response.content[:300])
        assert "results" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/competencies/{n}/", "/api/sites/{n}/"])
@pytest.mark.parametrize("n", ["99999999999999999999999", "-1", "1e3", "0x10"])
def test_huge_and_odd_integer_ids(api: Client, path: str, n: str) -> None:
    assert_client_error(api.get(path.format(n=n)))
    assert_client_error(api.delete(path.format(n=n)))


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["employees=99999999999999999999", "is_synthetic=maybe",
                                   "ordering=-password", "ordering=" + ",".join(["name"] * 1000),
                                   "hs=" + "8" * 10_000, "q=" + "я" * 100_000,
                                   "country=" + "&country=".join(["BY"] * 1000)])
def test_hostile_filters(api: Client, query: str) -> None:
    response = api.get(f"/api/organisations/?{query}")
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert_client_error(response)


@pytest.mark.django_db
def test_competency_map_hostile_codes(api: Client) -> None:
    for query in ["scheme=hs&code=%00", "scheme=nace&code=" + "9" * 10_000, "scheme=xx&code=87",
                  "scheme=hs&code=-1", "scheme=hs&code=87.01.01.01.01"]:
        response = api.get(f"/api/competency-map/?{query}")
        assert response.status_code in (200, 400), (query, response.status_code, response.content[:300])


@pytest.mark.django_db
def test_hostile_writes_to_children(api: Client, fuzz_data: dict[str, Any]) -> None:
    org = fuzz_data["organisation"]
    cases = [
        ("/api/competencies/", {"organisation": org, "description": "x", "hs_codes": "8" * 600}),
        ("/api/competencies/", {"organisation": org, "description": "x", "nace_codes": "ZZ.ZZ;" * 40}),
        ("/api/competencies/", {"organisation": org, "description": "x", "capacity_quantity": 10**40}),
        ("/api/competencies/", {"organisation": "no-such-org", "description": "x"}),
        ("/api/competencies/", {"organisation": {"a": 1}, "description": "x"}),
        ("/api/sites/", {"organisation": org, "kind": "dealer", "country": "ZZ"}),
        ("/api/sites/", {"organisation": org, "kind": "dealer", "country": "BY", "year": 10**20}),
        ("/api/sites/", {"organisation": org, "kind": "dealer", "country": "BY", "region": ["BY-HM"]}),
        ("/api/sites/", {"organisation": org, "kind": "dealer", "country": "BY", "lat": "NaN"}),
    ]
    for path, payload in cases:
        response = api.post(path, json.dumps(payload), content_type="application/json")
        assert_client_error(response)
