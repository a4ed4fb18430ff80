"""coopnet matchindex [--warm] [--rebuild]: prepare the partner-matching index before the first search.

Loads the snapshot of the registry's current revision (``VAR_DIR/matchindex/``) or builds the index from
the registry and writes the snapshot, so that the web workers started afterwards load it in seconds
instead of building it on their first search. Run it after a deployment and after a bulk import.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("Build (or load) the partner-matching index and write its snapshot, ahead of the first search.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--warm",
            action="store_true",
            help=_("load the current snapshot or build the index and write it (the default action)"),
        )
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help=_("build from the registry even if a snapshot of the current revision exists"),
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        from ... import engine

        started = time.perf_counter()
        index, origin = engine.warm(rebuild=opts["rebuild"])
        seconds = time.perf_counter() - started
        path = engine.snapshot_path(engine._signature())
        how = {"built": _("built from the registry"), "snapshot": _("loaded from its snapshot")}.get(
            origin, _("already current")
        )
        self.stdout.write(
            _("match index %(how)s: %(orgs)s organisations, %(terms)s terms, %(mb).0f MB, %(s).1f s")
            % {
                "how": how,
                "orgs": f"{index.n:,}",
                "terms": f"{len(index.term_ids):,}",
                "mb": index.memory_bytes() / 2**20,
                "s": seconds,
            }
        )
        if path is not None and path.exists():
            self.stdout.write(_("snapshot: %(path)s") % {"path": path})
        else:
            self.stdout.write(
                _("no snapshot written (snapshots are off, or the registry has no revision yet: change it once)")
            )
