"""The row an import stages for each valid line of a file (pure: runs in validation workers too).

An organisation that the import creates gets the id ``id_base + its row number in the file`` (``id_base``:
the largest id before the import), so its public ID is known while the row is validated, anywhere.
"""

from __future__ import annotations

from typing import Any

from .dedupe import detect_legal_form
from .identifiers import make_public_id
from .rows import OrgRow
from .synth import is_synthetic_ref

__all__ = ["STAGE_COLUMNS", "size_class", "stage_values"]

STAGE_COLUMNS: tuple[str, ...] = (
    "line", "ref", "name", "name_en", "country", "region", "city", "lat", "lon", "tax_id", "employees", "size",
    "website", "legal_form", "is_synthetic", "products", "hs", "nace", "certs", "hs_json", "nace_json", "public_id",
)

# Size classes by head count, as the EU recommendation 2003/361/EC and the member states' SME laws count
# them (micro < 10, small < 50, medium < 250); the values are the registry's SizeClass choices.
_SIZE_LIMITS: tuple[tuple[int, str], ...] = ((10, "micro"), (50, "small"), (250, "medium"))


def size_class(employees: int | None) -> str:
    if employees is None:
        return ""
    for limit, label in _SIZE_LIMITS:
        if employees < limit:
            return label
    return "large"


def _json_list(codes: tuple[str, ...]) -> str:
    # HS and NACE codes are digits and dots only (validated), so they need no JSON escaping.
    return '["' + '","'.join(codes) + '"]' if codes else "[]"


def stage_values(r: OrgRow, id_base: int = 0) -> tuple[Any, ...]:
    """The staging table's row for ``r`` (columns as STAGE_COLUMNS)."""
    return (
        r.row, r.ref, r.name, r.name_en, r.country, r.region or None, r.city, r.lat, r.lon, r.tax_id, r.employees,
        size_class(r.employees), r.website, detect_legal_form(r.name), is_synthetic_ref(r.ref),
        r.products, ";".join(r.hs), ";".join(r.nace), ";".join(r.certifications),
        _json_list(r.hs), _json_list(r.nace), make_public_id(r.country, id_base + r.row),
    )

