"""OpenAPI schema postprocessing: every operation declares the error answers it can give.

drf-spectacular documents the success answers that the views declare; the errors every operation shares
come from the exception handler (`coopnet.core.api.errors`) and DRF itself: 400 for invalid input (a query
parameter, a body, a page size), 401/403 for a user who may not do it, 404 for a row that does not exist or
is not visible, 405 for a method the path does not have, 409 for a deletion that other rows prevent,
415 for a body of an unknown media type. They are added here, once, so that a client and the fuzz tests
(`tests/test_api_fuzz.py`) can rely on every status code being documented.
"""
from __future__ import annotations

from typing import Any

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "What is wrong: {\"detail\": message} or {field: [messages]}.",
    "additionalProperties": {},
}
ERRORS = {
    "400": "Invalid input: a parameter, the body or the page size.",
    "401": "Not logged in (this operation needs a user).",
    "403": "This user may not do this.",
    "404": "No such row, or not one this user may see.",
    "405": "This path does not take this method.",
    "406": "The Accept header asks for a format the API does not give.",
    "415": "The body is of a media type the API does not read.",
}
DELETE_ERRORS = {"409": "Other rows refer to this one, so it is not deleted."}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}


def declare_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            errors = {**ERRORS, **(DELETE_ERRORS if method == "delete" else {})}
            for code, description in errors.items():
                responses.setdefault(code, _error(description))
    return result
