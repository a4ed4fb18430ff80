"""Pagination shared by the API viewsets."""
from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`?limit=&offset=` that says so when they are wrong.

    DRF's own class ignores a negative or non-numeric limit and passes a limit of 10**30 to SQL (an
    overflow, i.e. a server error, on SQLite). Here `limit` is an integer from 1 to `max_limit`, `offset` an
    integer from 0 to `max_offset`; anything else is a 400 naming the parameter. Absent or empty, the
    defaults apply (the first page of `PAGE_SIZE` rows).
    """

    max_limit = 1000
    max_offset = 10**9

    def _bounded(self, request: Request, name: str, low: int, high: int) -> int | None:
        raw = request.query_params.get(name, "").strip()
        if not raw:
            return None
        if len(raw) > 20 or not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
            raise ValidationError({name: [_("Give an integer from %(low)d to %(high)d.") % {"low": low, "high": high}]})
        return int(raw)

    def get_limit(self, request: Request) -> int | None:
        limit = self._bounded(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if limit is None else limit

    def get_offset(self, request: Request) -> int:
        offset = self._bounded(request, self.offset_query_param, 0, self.max_offset)
        return 0 if offset is None else offset

    def get_schema_operation_parameters(self, view: object) -> list[dict[str, object]]:
        bounds = {self.limit_query_param: (1, self.max_limit), self.offset_query_param: (0, self.max_offset)}
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter.get("name") in bounds:
                low, high = bounds[parameter["name"]]
                parameter["schema"] = {**parameter.get("schema", {}), "minimum": low, "maximum": high}
        return parameters
