"""Reading the files people upload: text or bytes in, decoded text out, and the report of what is wrong.

Every statistics importer (long CSV, UN Comtrade, yearbook XLSX, SDMX) reads its file through these
helpers and reports through :class:`ImportResult`, so a file is decoded, refused or warned about the same
way whatever its format. Pure module: no Django.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from coopnet.logic.textfiles import BINARY_SIGNATURES

#: At most this many issues are listed; the count is always exact.
MAX_LISTED = 200


@dataclass(frozen=True)
class Issue:
    """One problem: where (line or cell), which column, what."""

    where: str
    column: str
    message: str

    def __str__(self) -> str:
        column = f" [{self.column}]" if self.column else ""
        return f"{self.where}{column}: {self.message}"


@dataclass
class ImportResult:
    format: str
    rows_read: int = 0
    table: pa.Table | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and self.table is not None

    @property
    def rows(self) -> int:
        return 0 if self.table is None else self.table.num_rows

    def error(self, where: str, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append(Issue(where, column, message))

    def warn(self, where: str, column: str, message: str) -> None:
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append(Issue(where, column, message))

    def summary(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "ok": self.ok,
            "rows_read": self.rows_read,
            "observations": self.rows,
            "error_count": self.error_count,
            "errors": [str(e) for e in self.errors],
            "warnings": [str(w) for w in self.warnings],
        }


class FileDecodeError(ValueError):
    """A file that is not text we can read; the message says why."""


def decode_text(raw: bytes) -> tuple[str, str, bool]:
    """Decode a text file: (text, encoding, is_fallback).

    A UTF-8 BOM means UTF-8; otherwise the whole file must decode as UTF-8, else it is read as Windows-1251
    (``is_fallback``: the caller warns). Binary files (known signatures, NUL bytes) are refused with
    :class:`FileDecodeError`, as the registry importer does.
    """
    head = raw[:4096]
    if head.startswith(BINARY_SIGNATURES):
        kind = "an XLSX/ZIP archive" if head.startswith(b"PK") else "a binary file"
        raise FileDecodeError(f"{kind}, not a CSV text file")
    if head.startswith(codecs.BOM_UTF8):
        body = raw[len(codecs.BOM_UTF8) :]
        if b"\x00" in body[:4096]:
            raise FileDecodeError("the file contains NUL bytes (binary data?), not a CSV text file")
        try:
            return body.decode("utf-8"), "utf-8-sig", False
        except UnicodeDecodeError as exc:
            raise FileDecodeError(
                f"starts with a UTF-8 mark but is not UTF-8 ({exc.reason} at byte {exc.start + 3})"
            ) from None
    if b"\x00" in head:
        raise FileDecodeError("the file contains NUL bytes (binary data or UTF-16?), not a CSV text file")
    try:
        return raw.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1251", errors="replace")
    # Bytes cp1251 leaves undefined (0x98) or control characters mean this is not text at all.
    controls = sum(1 for ch in text[:4096] if (ch < " " and ch not in "\t\r\n") or ch == "\ufffd")
    if controls:
        raise FileDecodeError("neither UTF-8 nor Windows-1251 text (binary data?), not a CSV text file")
    return text, "cp1251", True


def read_raw(source: str | Path | IO[str] | IO[bytes]) -> tuple[bytes | str, str]:
    """The content of a path or a file object, and its display name."""
    if isinstance(source, str | Path):
        path = Path(source)
        return path.read_bytes(), path.name
    data = source.read()
    return data, Path(str(getattr(source, "name", "upload"))).name


def _decoded(source: str | Path | IO[str] | IO[bytes], result: ImportResult) -> tuple[str, bytes | None, str] | None:
    """(text, the original bytes when they are UTF-8 already, display name), or None after a file error."""
    data, name = read_raw(source)
    if isinstance(data, str):
        return data.lstrip("\ufeff"), None, name
    try:
        text, encoding, fallback = decode_text(data)
    except FileDecodeError as exc:
        result.error("file", "", str(exc))
        return None
    if fallback:
        result.warn("file", "", "the file is not valid UTF-8; read as Windows-1251 (cp1251)")
    return text, (data if encoding == "utf-8" else None), name


def read_text(source: str | Path | IO[str] | IO[bytes], result: ImportResult) -> tuple[str, str] | None:
    """Read a path or a file object as text; returns (text, display name), or None after a file error."""
    decoded = _decoded(source, result)
    return None if decoded is None else (decoded[0], decoded[2])


def read_utf8(source: str | Path | IO[str] | IO[bytes], result: ImportResult) -> tuple[bytes, str] | None:
    """The file as UTF-8 bytes (for readers that take bytes: Arrow, lxml) and its display name.

    A BOM is dropped and a Windows-1251 file re-encoded (with the warning); None after a file error.
    """
    decoded = _decoded(source, result)
    if decoded is None:
        return None
    text, raw, name = decoded
    return (raw if raw is not None else text.encode("utf-8")), name
