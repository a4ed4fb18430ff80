"""coopnet matchindex [--rebuild] [--follow]: the machine's shared partner-search index.

Without options: build the index if this machine has none (or one of another glossary), then bring it up
to the registry's change log. ``--rebuild`` builds a new one beside the current one (which keeps
answering) and switches to it. ``--follow`` keeps the index current until stopped (the same loop the web
workers run in a thread; use it for a dedicated indexer process).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("Build the shared partner-search index if needed and bring it up to the registry's change log.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--warm", action="store_true",
                            help=_("build the index if there is none and apply the change log (the default action)"))
        parser.add_argument("--rebuild", action="store_true",
                            help=_("build a new index from the registry while the current one keeps answering"))
        parser.add_argument("--follow", action="store_true",
                            help=_("keep the index current until stopped (Ctrl+C)"))

    def handle(self, *args: Any, **opts: Any) -> None:
        from ... import engine

        started = time.perf_counter()
        index, origin = engine.warm(rebuild_now=opts["rebuild"])
        seconds = time.perf_counter() - started
        how = {"built": _("built from the registry")}.get(origin, _("brought up to the change log"))
        gen = engine.open_generation(engine.current_name())
        self.stdout.write(
            _("match index %(how)s: %(orgs)s organisations, %(s).1f s")
            % {"how": how, "orgs": f"{index.n:,}", "s": seconds}
        )
        if gen is not None:
            self.stdout.write(_("index: %(path)s (change log position %(position)s)")
                              % {"path": gen.path, "position": gen.position})
        if opts["follow"]:
            self.stdout.write(_("following the change log; stop with Ctrl+C"))
            try:
                engine.follow()
            except KeyboardInterrupt:
                return
