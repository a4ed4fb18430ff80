"""The `coopnet` console command: Django's management commands under one name.

`coopnet migrate`, `coopnet import organizations FILE`, `coopnet match --text ...` and so on.
"""
from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopnet.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["coopnet", *args])
    return 0
