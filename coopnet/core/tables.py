"""The table base of every list page: a page size from the request is kept within bounds."""
from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.core.paginator import Paginator

#: the largest page a list page shows (`?per_page=` above it shows this many; below 1, the default)
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 25


class BoundedTable(tables.Table):
    """`?per_page=100000` must not tie a worker up rendering the whole registry, and `?per_page=-1` is no page
    size at all: the size is kept between 1 and `MAX_PER_PAGE`."""

    def paginate(self, paginator_class: Any = Paginator, per_page: Any = None, page: Any = 1, *args: Any,
                 **kwargs: Any) -> Any:
        size = per_page if isinstance(per_page, int) and per_page > 0 else (self._meta.per_page or DEFAULT_PER_PAGE)
        return super().paginate(paginator_class, min(size, MAX_PER_PAGE), page, *args, **kwargs)
