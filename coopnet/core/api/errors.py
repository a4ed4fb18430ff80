"""API helpers shared by every app."""
from __future__ import annotations

import traceback
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

# Where DRF turns the request body into data: an exception raised below these frames is the client's
# malformed body (too deeply nested JSON, an unknown charset, undecodable bytes), not a server fault.
_PARSING_FRAMES = (("rest_framework", "request.py", "_parse"), ("rest_framework", "parsers.py", "parse"))


def _raised_while_parsing(exc: BaseException) -> bool:
    for frame, _line in traceback.walk_tb(exc.__traceback__):
        code = frame.f_code
        parts = code.co_filename.replace("\\", "/").split("/")
        for package, filename, function in _PARSING_FRAMES:
            if len(parts) >= 2 and parts[-2] == package and parts[-1] == filename and code.co_name == function:
                return True
    return False


def _is_nul_byte_error(exc: Exception) -> bool:
    """psycopg refuses, before sending anything, a text parameter with a NUL byte (e.g. from `/api/x/a%00b/`)."""
    return isinstance(exc, DataError) and "NUL (0x00)" in str(exc)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Expected business errors become 4xx answers with a message, never a 500."""
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif not isinstance(exc, exceptions.APIException) and _raised_while_parsing(exc):
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
        exc = exceptions.ParseError(f"Malformed request body: {reason}")
    elif _is_nul_byte_error(exc):
        exc = exceptions.ValidationError({"detail": ["Null characters are not allowed."]})
    return drf_exception_handler(exc, context)
