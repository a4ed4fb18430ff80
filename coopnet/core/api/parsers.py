"""Request-body parsers that turn any malformed body into a 400 ParseError, never a server error.

DRF's own parsers already do so for invalid JSON; these also cover bodies nested deeper than Python
can recurse, undecodable bytes and unknown charsets.
"""
from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class GuardedParserMixin:
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)  # type: ignore[misc]
        except ParseError:
            raise
        except RecursionError as exc:
            raise ParseError("Malformed request body: nested too deeply") from exc
        except (UnicodeError, LookupError, ValueError) as exc:
            raise ParseError(f"Malformed request body: {str(exc)[:200]}") from exc


class JSONParser(GuardedParserMixin, parsers.JSONParser):
    pass


class FormParser(GuardedParserMixin, parsers.FormParser):
    pass


class MultiPartParser(GuardedParserMixin, parsers.MultiPartParser):
    pass
