"""Writing and reading the registry's change log (``RegistryChange``).

Every change that affects the partner search names the organisations it touched, in the transaction of
the change: model saves and deletes through the signals in ``coopnet.registry.signals`` (profile, product
line, site, link, merge, deletion), bulk imports through :func:`record_range` / SQL in the importer, and
any other path (a claim, a verification badge) through :func:`record`."""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from .models import RegistryChange

TABLE = RegistryChange._meta.db_table


def stamp() -> str:
    return uuid.uuid4().hex[:12]


def record(organisation_ids: Iterable[int | None]) -> None:
    """Log that these organisations changed (inside the caller's transaction when there is one)."""
    ids = sorted({int(i) for i in organisation_ids if i is not None})
    if not ids:
        return
    if len(ids) == 1:
        RegistryChange.objects.create(organisation_id=ids[0], stamp=stamp())
    else:
        RegistryChange.objects.bulk_create([RegistryChange(organisation_id=i, stamp=stamp()) for i in ids],
                                           batch_size=2000)


def record_range(first: int, last: int) -> None:
    """Log that every organisation with an id from `first` to `last` may have changed (one row)."""
    if last < first:
        return
    RegistryChange.objects.create(organisation_id=first, last_id=last, stamp=stamp())


@dataclass(frozen=True)
class Entry:
    id: int
    first: int
    last: int | None
    stamp: str

    @property
    def size(self) -> int:
        return 1 if self.last is None else max(0, self.last - self.first + 1)


def head() -> Entry | None:
    """The latest entry (one read of the primary key's end)."""
    row = RegistryChange.objects.order_by("-id").values_list("id", "organisation_id", "last_id", "stamp").first()
    return Entry(*row) if row else None


def since(position: int, limit: int) -> list[Entry]:
    """Entries from `position` on (the entry at `position` first, when it still exists), in order."""
    rows = (RegistryChange.objects.filter(id__gte=position).order_by("id")
            .values_list("id", "organisation_id", "last_id", "stamp")[:limit])
    return [Entry(*r) for r in rows]
