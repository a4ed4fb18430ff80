"""Private files: stored outside MEDIA_ROOT, with no URL of their own; a view that checks the permission
serves them (e.g. `coopnet.financing.views.document_download`)."""
from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """`PRIVATE_FILES_ROOT` (default `$COOPNET_VAR/private`), read when used, so that tests can move it."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.PRIVATE_FILES_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: Any) -> str:
        raise ValueError("A private file has no public URL: link the view that serves it.")


_private = PrivateFileStorage()


def private_files() -> PrivateFileStorage:
    """The storage of private files (a callable, so that migrations name it rather than a path)."""
    return _private
