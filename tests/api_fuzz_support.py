"""Helpers for tests/test_api_fuzz.py: the schema under test, the data it runs against, the server-error recorder.

The fuzz tests call the Django WSGI application in-process (schemathesis's WSGI transport), inside the
test's database transaction. Each generated request runs in its own savepoint that is rolled back
afterwards, so a DELETE or a failed query cannot change what the next example sees (and on PostgreSQL an
error cannot leave the transaction aborted).
"""
from __future__ import annotations

import base64
import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import schemathesis
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck
from hypothesis import strategies as st

SCHEMA_PATH = "/api/schema/?format=json"
ADMIN_USERNAME = "fuzz-admin"
ADMIN_PASSWORD = "fuzz-admin-password"  # noqa: S105 - a throwaway account of the test database
SEED = 20261123

# Bounded, reproducible runs: the whole module stays within a few minutes on two cores.
hypothesis.settings.register_profile(
    "coopnet-api-fuzz",
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=list(HealthCheck),
)
FUZZ_SETTINGS = hypothesis.settings.get_profile("coopnet-api-fuzz")


def schemathesis_config(*, coverage: bool = True) -> schemathesis.Config:
    """Fixed seed, every generation mode (valid and invalid data), NUL bytes allowed.

    The coverage phase (boundary values, wrong types, missing and unexpected parameters, unexpected methods)
    makes most of the requests; `coverage=False` leaves the examples and the bounded fuzzing phase.
    """
    return schemathesis.Config.from_dict({
        "seed": SEED,
        "generation": {
            "mode": "all",
            "max-examples": FUZZ_SETTINGS.max_examples,
            "deterministic": True,
            "allow-x00": True,
            "database": "none",
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": coverage},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
    })


def basic_auth(username: str = ADMIN_USERNAME, password: str = ADMIN_PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


@dataclass
class ServerErrors:
    """Tracebacks of the exceptions Django turned into a 500 answer while recording."""

    tracebacks: list[str] = field(default_factory=list)

    def record(self, sender: Any, request: Any = None, **kwargs: Any) -> None:
        self.tracebacks.append(f"{getattr(request, 'method', '?')} {getattr(request, 'get_full_path', str)()}\n"
                               + traceback.format_exc())

    def summary(self) -> str:
        return "\n".join(self.tracebacks[-1:])


@contextmanager
def in_process_server() -> Iterator[ServerErrors]:
    """Requests go straight to the WSGI handler in the test's connection: keep the connection open, record 500s."""
    errors = ServerErrors()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(errors.record)
    try:
        yield errors
    finally:
        got_request_exception.disconnect(errors.record)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call_and_check(case: schemathesis.Case, headers: dict[str, str] | None = None) -> Any:
    """Send the case in a savepoint that is always rolled back; fail on a 5xx (with the server's traceback),
    on a status code the schema does not declare for the operation, and on an answer that contradicts the
    documented response schema or content type."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    with in_process_server() as errors, transaction.atomic():
        response = case.call(headers=headers)
        transaction.set_rollback(True)
    try:
        case.validate_response(
            response,
            checks=[not_a_server_error, status_code_conformance, response_schema_conformance,
                    content_type_conformance],
            headers=headers,
        )
    except BaseException as exc:
        if errors.tracebacks:
            exc.add_note("Server traceback:\n" + errors.summary())
        raise
    return response


PARAM = re.compile(r"\{([^}]+)\}")


def known_path_values(client: Any, paths: list[str]) -> dict[tuple[str, str], Any]:
    """For each `/prefix/{param}/...` path, an existing value of `param` read from the list at `/prefix/`.

    Generated path parameters rarely hit a real row; mixing in real ones makes detail, update and delete
    operations run their full code instead of stopping at a 404.
    """
    known: dict[tuple[str, str], Any] = {}
    for path in paths:
        match = PARAM.search(path)
        if match is None:
            continue
        param = match.group(1)
        listing = path[: match.start()]
        response = client.get(listing, {"limit": 1}, HTTP_ACCEPT="application/json")
        if response.status_code != 200:
            continue
        data = response.json()
        rows = data.get("results", data) if isinstance(data, dict) else data
        if isinstance(rows, list) and rows and isinstance(rows[0], dict) and param in rows[0]:
            known[(listing, param)] = rows[0][param]
    return known


def register_known_path_values(schema: Any, known: dict[tuple[str, str], Any]) -> None:
    """Half of the generated path parameters are replaced by values that exist (see `known_path_values`).

    `known` is read when examples are generated, so a fixture may fill it after the schema is loaded.
    """

    def flatmap_path_parameters(ctx: schemathesis.HookContext, path_parameters: dict[str, Any]) -> Any:
        operation = ctx.operation
        if operation is None or not path_parameters:
            return st.just(path_parameters)
        real = dict(path_parameters)
        for name in path_parameters:
            match = re.search(r"\{" + re.escape(name) + r"\}", operation.path)
            if match is None:
                continue
            value = known.get((operation.path[: match.start()], name))
            if value is not None:
                real[name] = value
        if real == path_parameters:
            return st.just(path_parameters)
        return st.sampled_from([real, path_parameters])

    schema.hook(flatmap_path_parameters)


def seed_data() -> dict[str, Any]:
    """A few organisations with competencies and sites, on top of the reference data of the migrations."""
    from coopnet.registry.models import Site
    from coopnet.registry.tests import factories

    tractors = factories.organisation("ОАО «Минский тракторный завод»", "BY", name_en="Minsk Tractor Works",
                                      city="Минск", employees=15000)
    kamaz = factories.organisation("ПАО «КАМАЗ»", "RU", name_en="KAMAZ", city="Набережные Челны")
    factories.organisation("ТОО «Тестовый завод»", "KZ", city="Алматы")
    factories.organisation("ЗАО «Тестовый завод»", "AM", city="Ереван")
    factories.competency(tractors, "Тракторы колёсные", hs="8701", nace="28.30", certifications="ISO 9001")
    factories.competency(kamaz, "Грузовые автомобили", hs="8704", nace="29.10")
    site = Site(organisation=tractors, kind=Site._meta.get_field("kind").choices[0][0], country_id="KZ",
                city="Костанай", partner=kamaz)
    site.full_clean()
    site.save()
    return {"organisation": tractors.public_id, "partner": kamaz.public_id}
