"""Product and activity codes: HS / TN VED EAEU (2–10 digits) and NACE Rev.2 / OKVED2.

Pure functions, no Django: normalise a code as people write it and walk its hierarchy.
"""
from __future__ import annotations

import re

HS_LEVELS = (2, 4, 6, 8, 10)
_HS_RE = re.compile(r"^\d+$")
_NACE_RE = re.compile(r"^(?P<div>\d{2})(?:\.(?P<grp>\d)(?P<cls>\d)?(?:\.(?P<sub>\d{1,2}))?)?$")


class CodeError(ValueError):
    """A code that is not a valid HS or NACE code; the message says why."""


def normalise_hs(raw: str) -> str:
    """'8704.21', '8704 21 910 0' or '870421' -> '870421'. HS codes have 2, 4, 6, 8 or 10 digits."""
    code = re.sub(r"[\s.\-]", "", raw or "")
    if not code:
        raise CodeError("empty HS code")
    if not _HS_RE.match(code):
        raise CodeError(f"HS code {raw!r} must contain digits only")
    if len(code) not in HS_LEVELS:
        raise CodeError(f"HS code {raw!r} must have 2, 4, 6, 8 or 10 digits, not {len(code)}")
    return code


def normalise_nace(raw: str) -> str:
    """'29.1', '29.10', '2910' or '29' -> NACE dotted form ('29.10'). OKVED2 sub-classes ('29.10.1') kept."""
    code = (raw or "").strip().replace(",", ".")
    if not code:
        raise CodeError("empty NACE code")
    if re.fullmatch(r"\d{3,4}", code):  # undotted class or group: 2910 -> 29.10, 291 -> 29.1
        code = f"{code[:2]}.{code[2:]}"
    match = _NACE_RE.match(code)
    if not match:
        raise CodeError(f"NACE code {raw!r} must look like 29, 29.1, 29.10 or 29.10.1")
    return code


def hs_ancestors(code: str) -> list[str]:
    """'87042100' -> ['870421', '8704', '87'] (nearest first)."""
    return [code[:n] for n in reversed(HS_LEVELS) if n < len(code)]


def nace_ancestors(code: str) -> list[str]:
    """'29.10.1' -> ['29.10', '29.1', '29'] (nearest first)."""
    parts: list[str] = []
    match = _NACE_RE.match(code)
    if not match:
        return parts
    div, grp, cls, sub = match.group("div", "grp", "cls", "sub")
    if sub:
        parts.append(f"{div}.{grp}{cls or ''}")
    if cls:
        parts.append(f"{div}.{grp}")
    if grp:
        parts.append(div)
    return parts


def hs_level(code: str) -> int:
    return len(code)


def nace_level(code: str) -> int:
    """1 for a division '29', 2 for a group '29.1', 3 for a class '29.10', 4 for an OKVED2 sub-class."""
    return 1 + len(nace_ancestors(code))


def hs_range(prefix: str) -> tuple[str, str]:
    """Half-open string range [lo, hi) holding every code that starts with `prefix` (index-friendly)."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)
