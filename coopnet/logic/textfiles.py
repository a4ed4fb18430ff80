"""What the importers share about files people upload: telling binary files from text."""
from __future__ import annotations

#: Signatures of binary files that are never a CSV (PDF, images, archives incl. XLSX/ZIP, OLE XLS,
#: executables). An importer that accepts XLSX checks for ZIP before consulting this list.
BINARY_SIGNATURES: tuple[bytes, ...] = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"BZh",
    b"7z\xbc\xaf",
    b"Rar!",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",  # old OLE .xls / .doc
    b"\x7fELF",
    b"MZ",
)
