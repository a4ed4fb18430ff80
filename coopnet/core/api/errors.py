"""API helpers shared by every app."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _is_nul_byte_error(exc: Exception) -> bool:
    """psycopg refuses, before sending anything, a text parameter with a NUL byte (e.g. from `/api/x/a%00b/`)."""
    return isinstance(exc, DataError) and "NUL (0x00)" in str(exc)


def in_use_message(exc: ProtectedError | RestrictedError) -> str:
    """Why a row that other rows refer to is not deleted (the API's 409 and the web pages' message)."""
    rows = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    n = len(rows)
    return ngettext("%(n)d other record refers to this one, so it is not deleted.",
                    "%(n)d other records refer to this one, so it is not deleted.", n) % {"n": n}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Expected business errors become 4xx answers with a message, never a 500."""
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ProtectedError | RestrictedError):
        return Response({"detail": in_use_message(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif _is_nul_byte_error(exc):
        exc = exceptions.ValidationError({"detail": ["Null characters are not allowed."]})
    return drf_exception_handler(exc, context)
