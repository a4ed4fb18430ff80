"""Partner matching: the engine, its bare BM25 baseline, the consortium finder and their shared interface.

Pure Python (numpy for the postings), no Django. The apps build a :class:`MatchIndex` from rows of
the registry and call :func:`run_match` / :func:`run_consortium`; the command line and the API do the
same, so every consumer gets the same answer for the same request.
"""

from .bm25 import BM25Index
from .consortium import ComponentLine, Consortium, ConsortiumResult, find_consortia, parse_bom_csv
from .glossary import Glossary, Term, default_glossary
from .index import MatchIndex, normalise_cert
from .model import (
    MEMBER_STATES,
    CompetencyLine,
    Match,
    MatchRequest,
    MatchRequestError,
    OrgRow,
    Reason,
)
from .service import parse_lines, parse_request, run_consortium, run_match

__all__ = [
    "BM25Index",
    "ComponentLine",
    "CompetencyLine",
    "Consortium",
    "ConsortiumResult",
    "Glossary",
    "MEMBER_STATES",
    "Match",
    "MatchIndex",
    "MatchRequest",
    "MatchRequestError",
    "OrgRow",
    "Reason",
    "Term",
    "default_glossary",
    "find_consortia",
    "normalise_cert",
    "parse_bom_csv",
    "parse_lines",
    "parse_request",
    "run_consortium",
    "run_match",
]
