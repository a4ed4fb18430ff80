"""National identifiers of organisations and coopnet public IDs.

``check_tax_id(country, value)`` validates a national identifier by the real rules of its
country and returns an :class:`IdentifierCheck` with the compact form, the kind of identifier
and, when invalid, a reason a person can act on:

- RU: INN (10 digits for organisations, 12 for individuals, check digits), OGRN (13) and
  OGRNIP (15) — python-stdnum ``stdnum.ru.inn`` / ``stdnum.ru.ogrn``.
- BY: UNP (9 characters, check digit) — ``stdnum.by.unp``.
- KZ: BIN / IIN (12 digits, two-pass mod-11 check digit; python-stdnum 2.2 has no module).
- KG: INN (14 digits; first digit 0 for organisations, 1 or 2 for individuals, whose digits
  2-9 are the birth date DDMMYYYY). No public check-digit rule, so format only.
- AM: TIN (8 digits). No public check-digit rule, so format only.
- any other country: 1-32 letters/digits after removing separators, kind ``unchecked``.

Public IDs look like ``BY-7K3M9Q2-X``: the ISO country code, a sequence number in Crockford
base32 (7 characters, up to 32**7 - 1) and one ISO 7064 Mod 37,36 check character computed over
country + body: every single mistyped character is detected, and about 99.8% of swaps of two
adjacent characters.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from stdnum.by import unp as _by_unp
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from stdnum.ru import inn as _ru_inn
from stdnum.ru import ogrn as _ru_ogrn

__all__ = [
    "IdentifierCheck",
    "check_tax_id",
    "compact_tax_id",
    "kz_check_digit",
    "make_public_id",
    "is_valid_public_id",
    "parse_public_id",
    "normalise_public_id",
    "mod37_36_check_char",
    "MAX_SEQUENCE",
]

MAX_INPUT = 64  # longer strings are refused before any parsing


@dataclass(frozen=True, slots=True)
class IdentifierCheck:
    valid: bool
    compact: str
    kind: str  # inn, ogrn, ogrnip, unp, bin, iin, kg_inn, am_tin, unchecked, "" when unknown
    reason: str = ""


_SEPARATORS = re.compile(r"[\s\-./_]+")
_PREFIXES = re.compile(r"^(?:ИНН|ОГРНИП|ОГРН|УНП|БИН|ИИН|INN|OGRNIP|OGRN|UNP|BIN|IIN|TIN|ՀՎՀՀ)[:№#]*", re.I)


def compact_tax_id(value: str) -> str:
    """Strip spaces, separators and a leading label such as ``ИНН`` or ``UNP``; upper-case."""
    s = _SEPARATORS.sub("", value.strip()).upper()
    s = _PREFIXES.sub("", s)
    return s.replace("№", "").replace(":", "")


def _reason(exc: ValidationError, label: str, lengths: str) -> str:
    if isinstance(exc, InvalidLength):
        return f"{label} must have {lengths}"
    if isinstance(exc, InvalidChecksum):
        return f"{label} check digit does not match"
    if isinstance(exc, InvalidComponent):
        return f"{label} has an invalid component (region or type code)"
    if isinstance(exc, InvalidFormat):
        return f"{label} has invalid characters"
    return f"{label} is not valid"


def _ru(s: str) -> IdentifierCheck:
    # s is compact and ASCII here; the check digits are python-stdnum's (stdnum.ru.inn / .ogrn).
    if not s.isdigit():
        return IdentifierCheck(False, s, "", "RU identifier must contain digits only")
    n = len(s)
    if n == 10:
        ok = _ru_inn.calc_company_check_digit(s) == s[-1]
        return IdentifierCheck(ok, s, "inn", "" if ok else "RU INN check digit does not match")
    if n == 12:
        ok = _ru_inn.calc_personal_check_digits(s) == s[-2:]
        return IdentifierCheck(ok, s, "inn", "" if ok else "RU INN check digit does not match")
    if n in (13, 15):
        kind = "ogrn" if n == 13 else "ogrnip"
        if (n == 13 and s[0] == "0") or (n == 15 and s[0] not in "34"):
            return IdentifierCheck(False, s, kind, f"RU {kind.upper()} has an invalid component (first digit)")
        ok = _ru_ogrn.calc_check_digit(s) == s[-1]
        return IdentifierCheck(ok, s, kind, "" if ok else f"RU {kind.upper()} check digit does not match")
    return IdentifierCheck(
        False, s, "", f"RU identifier must have 10 or 12 digits (INN) or 13/15 (OGRN/OGRNIP), got {n}"
    )


def _by(s: str) -> IdentifierCheck:
    if len(s) != 9:
        return IdentifierCheck(False, s, "unp", f"BY UNP must have 9 characters, got {len(s)}")
    try:
        return IdentifierCheck(True, _by_unp.validate(s), "unp")
    except ValidationError as exc:
        return IdentifierCheck(False, s, "unp", _reason(exc, "BY UNP", "9 characters"))
    except (KeyError, ValueError, IndexError):
        return IdentifierCheck(False, s, "unp", "BY UNP has invalid characters")


_KZ_W1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_KZ_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def kz_check_digit(first11: str) -> int | None:
    """Check digit of a KZ BIN/IIN from its first 11 digits; None when the number cannot exist."""
    d = [int(c) for c in first11]
    c = sum(x * w for x, w in zip(d, _KZ_W1, strict=True)) % 11
    if c == 10:
        c = sum(x * w for x, w in zip(d, _KZ_W2, strict=True)) % 11
        if c == 10:
            return None
    return c


def _kz(s: str) -> IdentifierCheck:
    if not s.isdigit():
        return IdentifierCheck(False, s, "", "KZ BIN/IIN must contain digits only")
    if len(s) != 12:
        return IdentifierCheck(False, s, "", f"KZ BIN/IIN must have 12 digits, got {len(s)}")
    # BIN: YYMM + entity type 4/5/6 + division digit; IIN: YYMMDD + century/sex 0-6.
    kind = "bin" if s[4] in "456" else "iin"
    month = int(s[2:4])
    if not 1 <= month <= 12:
        return IdentifierCheck(False, s, kind, f"KZ {kind.upper()} digits 3-4 must be a month, got {s[2:4]}")
    check = kz_check_digit(s[:11])
    if check is None:
        return IdentifierCheck(False, s, kind, f"KZ {kind.upper()} cannot have a valid check digit")
    if check != int(s[11]):
        return IdentifierCheck(False, s, kind, f"KZ {kind.upper()} check digit does not match")
    return IdentifierCheck(True, s, kind)


def _valid_ddmmyyyy(s: str) -> bool:
    try:
        _dt.date(int(s[4:8]), int(s[2:4]), int(s[0:2]))
    except ValueError:
        return False
    return True


def _kg(s: str) -> IdentifierCheck:
    if not s.isdigit():
        return IdentifierCheck(False, s, "kg_inn", "KG INN must contain digits only")
    if len(s) != 14:
        return IdentifierCheck(False, s, "kg_inn", f"KG INN must have 14 digits, got {len(s)}")
    if s[0] not in "012":
        return IdentifierCheck(False, s, "kg_inn", "KG INN must start with 0 (organisation) or 1/2 (individual)")
    if s[0] in "12" and not _valid_ddmmyyyy(s[1:9]):
        return IdentifierCheck(False, s, "kg_inn", "KG INN of an individual: digits 2-9 must be a date DDMMYYYY")
    return IdentifierCheck(True, s, "kg_inn")


def _am(s: str) -> IdentifierCheck:
    if not s.isdigit():
        return IdentifierCheck(False, s, "am_tin", "AM TIN must contain digits only")
    if len(s) != 8:
        return IdentifierCheck(False, s, "am_tin", f"AM TIN must have 8 digits, got {len(s)}")
    return IdentifierCheck(True, s, "am_tin")


_ALNUM = re.compile(r"^[0-9A-Z]{1,32}$")


def _other(s: str) -> IdentifierCheck:
    if not _ALNUM.match(s):
        return IdentifierCheck(False, s, "unchecked", "identifier must be 1-32 Latin letters or digits")
    return IdentifierCheck(True, s, "unchecked")


_BY_COUNTRY = {"RU": _ru, "BY": _by, "KZ": _kz, "KG": _kg, "AM": _am}


def check_tax_id(country: str, value: str) -> IdentifierCheck:
    """Validate ``value`` as a national identifier of ``country`` (ISO 3166-1 alpha-2).

    Never raises on any string input."""
    if len(value) > MAX_INPUT:
        return IdentifierCheck(False, value[:MAX_INPUT], "", f"identifier longer than {MAX_INPUT} characters")
    s = value if value.isdigit() and value.isascii() else compact_tax_id(value)
    if not s.isascii():
        return IdentifierCheck(False, s[:MAX_INPUT], "", "identifier must use Latin letters and digits")
    if not s:
        return IdentifierCheck(False, "", "", "identifier is empty")
    func = _BY_COUNTRY.get(country.strip().upper(), _other)
    return func(s)


# --- public IDs -----------------------------------------------------------------------------

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_DECODE = {c: i for i, c in enumerate(_CROCKFORD)}
_CROCKFORD_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_MOD36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MOD36_VALUE = {c: i for i, c in enumerate(_MOD36)}
BODY_LENGTH = 7
MAX_SEQUENCE = 32**BODY_LENGTH - 1
_PUBLIC_ID = re.compile(r"^([A-Z]{2})-([0-9A-HJKMNP-TV-Z]{7})-([0-9A-Z])$")


def mod37_36_check_char(payload: str) -> str:
    """ISO 7064 Mod 37,36 (hybrid) check character for ``payload`` over 0-9A-Z."""
    p = 36
    for ch in payload:
        s = (p + _MOD36_VALUE[ch]) % 36 or 36
        p = (s * 2) % 37
    return _MOD36[(1 - p) % 36]


def _encode(n: int) -> str:
    out = []
    for _ in range(BODY_LENGTH):
        n, r = divmod(n, 32)
        out.append(_CROCKFORD[r])
    return "".join(reversed(out))


_CHECKED_COUNTRIES: set[str] = set()


def make_public_id(country: str, n: int) -> str:
    """Public ID for sequence number ``n`` (0 <= n <= MAX_SEQUENCE) in ``country``."""
    cc = country if country in _CHECKED_COUNTRIES else country.strip().upper()
    if cc not in _CHECKED_COUNTRIES:
        if not re.fullmatch(r"[A-Z]{2}", cc):
            raise ValueError(f"country must be two Latin letters, got {country!r}")
        _CHECKED_COUNTRIES.add(cc)
    if not 0 <= n <= MAX_SEQUENCE:
        raise ValueError(f"sequence number must be between 0 and {MAX_SEQUENCE}, got {n}")
    body = _encode(n)
    return f"{cc}-{body}-{mod37_36_check_char(cc + body)}"


def normalise_public_id(s: str) -> str:
    """Upper-case, trim, and map the Crockford look-alikes O→0, I/L→1 in the body."""
    t = s.strip().upper()
    parts = t.split("-")
    if len(parts) == 3:
        parts[1] = parts[1].translate(_CROCKFORD_ALIASES)
        t = "-".join(parts)
    return t


def parse_public_id(s: str) -> tuple[str, int] | None:
    """(country, sequence number) of a valid public ID, else None. Accepts lower case and
    Crockford look-alikes."""
    if len(s) > 32:
        return None
    t = normalise_public_id(s)
    m = _PUBLIC_ID.match(t)
    if not m:
        return None
    cc, body, check = m.groups()
    if mod37_36_check_char(cc + body) != check:
        return None
    n = 0
    for ch in body:
        n = n * 32 + _CROCKFORD_DECODE[ch]
    return cc, n


def is_valid_public_id(s: str) -> bool:
    return parse_public_id(s) is not None
