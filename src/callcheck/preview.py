"""The score of a session still being filled in: what is scored so far and what is not.

The engine is the only judge: `scoring.score(..., partial=True)` leaves an
item without its answer out of the total (and lists it as missing), and
leaves out an answer the call never reached (listed as dropped). Nothing
here reads an error's message.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .rubric import Rubric
from .scoring import ScoreResult, score
from .session import Session, observations


@dataclass(frozen=True)
class Preview:
    """The score so far: `missing` items still need an answer, `dropped` were never reached."""

    result: ScoreResult | None
    missing: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    error: InputError | None = None

    @property
    def complete(self) -> bool:
        return self.result is not None and not self.missing and not self.dropped


def preview(rubric: Rubric, session: Session) -> Preview:
    """Score the session as far as it goes; anything else the engine refuses is `error`."""
    try:
        result = score(rubric, observations(rubric, session), partial=True)
    except InputError as exc:
        return Preview(None, error=exc)
    return Preview(result, result.missing, result.dropped)


def drop_unreached(rubric: Rubric, session: Session) -> tuple[str, ...]:
    """Remove answers to items the call never reached; returns their ids."""
    dropped = preview(rubric, session).dropped
    for item_id in dropped:
        session.answers.pop(item_id, None)
    return dropped
