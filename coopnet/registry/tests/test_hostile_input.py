"""Malformed, hostile and oversized input to the registry's forms, API and command line."""
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from coopnet.registry.models import Organisation

from .factories import competency, organisation, user

pytestmark = pytest.mark.django_db


def test_script_in_names_is_escaped(client) -> None:  # type: ignore[no-untyped-def]
    org = organisation(name='<script>alert("x")</script> ООО')
    body = client.get(org.get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body


def test_oversized_and_malformed_fields_are_refused_by_the_api() -> None:
    api = APIClient()
    api.force_authenticate(user("root", "admin"))
    huge = api.post("/api/organisations/", {"name": "x" * 100_000, "country": "BY"}, format="json")
    assert huge.status_code == 400 and "name" in huge.json()
    wrong = api.post("/api/organisations/", {"name": "X", "country": "ZZ", "lat": "north", "employees": -5},
                     format="json")
    assert wrong.status_code == 400
    assert {"country", "lat", "employees"} <= set(wrong.json())
    not_json = api.generic("POST", "/api/organisations/", "{not json", content_type="application/json")
    assert not_json.status_code == 400
    assert Organisation.objects.count() == 0


def test_oversized_filter_values_do_not_fail(client) -> None:  # type: ignore[no-untyped-def]
    organisation()
    response = client.get(reverse("registry:organisation_list"), {"q": "я" * 10_000, "country": "ZZ"})
    assert response.status_code == 200
    assert APIClient().get("/api/organisations/", {"country": "ZZ"}).status_code == 400


def test_unknown_public_id_is_404(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/registry/o/BY-0000000-Z/").status_code == 404
    assert client.get("/registry/o/../../etc/passwd/").status_code == 404


def test_command_line_uses_the_same_filters(capsys) -> None:  # type: ignore[no-untyped-def]
    competency(organisation(name="ОАО «Гомсельмаш»", country="BY"), "Комбайны", hs="843351")
    competency(organisation(name="ТОО Другое", country="KZ"), "Лифты", hs="842810", nace="28.22")
    call_command("organisations", "--hs", "8433", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 1 and data["results"][0]["name"] == "ОАО «Гомсельмаш»"
    with pytest.raises(CommandError, match="--hs"):
        call_command("organisations", "--hs", "84x")
