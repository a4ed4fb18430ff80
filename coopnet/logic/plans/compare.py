"""Compare a plan with the plan it replaced: which measures were dropped, kept, reworded, added.

``kept`` = the same text (after normalising case, punctuation and spacing); ``reworded`` = the
same measure by meaning of words (:mod:`.similarity`) with a different text; ``dropped`` = a
previous measure with no counterpart; ``added`` = a new measure with no predecessor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .similarity import DEFAULT_THRESHOLD, Match, match_measures


@dataclass(frozen=True)
class Item:
    id: str
    text: str


@dataclass(frozen=True)
class Comparison:
    kept: list[Match] = field(default_factory=list)
    reworded: list[Match] = field(default_factory=list)
    dropped: list[Item] = field(default_factory=list)
    added: list[Item] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        def pair(m: Match) -> dict[str, Any]:
            return {
                "id": m.current_id,
                "previous_id": m.previous_id,
                "text": m.current_text,
                "previous_text": m.previous_text,
                "similarity": m.score,
                "shared_terms": list(m.shared),
            }

        return {
            "kept": [pair(m) for m in self.kept],
            "reworded": [pair(m) for m in self.reworded],
            "dropped": [{"id": i.id, "text": i.text} for i in self.dropped],
            "added": [{"id": i.id, "text": i.text} for i in self.added],
            "summary": {
                "kept": len(self.kept),
                "reworded": len(self.reworded),
                "dropped": len(self.dropped),
                "added": len(self.added),
            },
        }


def compare(
    previous: Sequence[tuple[str, str]],
    current: Sequence[tuple[str, str]],
    threshold: float = DEFAULT_THRESHOLD,
) -> Comparison:
    """Compare ``(id, text)`` lists of the previous and the current plan."""
    matches = match_measures(current, previous, threshold)
    matched_c = {m.current_id for m in matches}
    matched_p = {m.previous_id for m in matches}
    return Comparison(
        kept=[m for m in matches if m.identical],
        reworded=[m for m in matches if not m.identical],
        dropped=[Item(i, t) for i, t in previous if i not in matched_p],
        added=[Item(i, t) for i, t in current if i not in matched_c],
    )
