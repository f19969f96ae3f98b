"""Time math for a test call: pure functions, times passed in as arguments.

Seconds are handled as integer tenths (a key press is no more precise than
that, and floats must never be compared). A call's evidence is its timeline:
marks stamped in seconds from the attempt's start; everything else (rings,
seconds, outcome of each phase) is derived from it by `replay`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .rubric import SpeedBand, Timing

MARK_KINDS = ("dial", "ring", "answer", "transfer", "give_up", "out_of_order",
              "auto_transfer", "hang_up", "undo")
"""What a tester can mark during a call; `undo` takes back the last mark."""


def to_tenths(seconds: float | int | str | Decimal) -> int:
    """Seconds rounded half-up to whole tenths: 10.04 → 100, 10.05 → 101."""
    return int((Decimal(str(seconds)) * 10).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fmt_tenths(tenths: int) -> str:
    """Tenths of a second as text: 162 → '16.2'."""
    sign = "-" if tenths < 0 else ""
    return f"{sign}{abs(tenths) // 10}.{abs(tenths) % 10}"


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def speed_deduction(timing: Timing, rings: int | None, tenths: int | None) -> int:
    """Points lost for answer speed: one per ring past the limit or per started 3 s.

    Where both measures are given the rubric's policy picks (the form's 或: the
    lesser deduction); where only one was measured, that one counts.
    """
    if rings is None and tenths is None:
        raise ValueError("answer speed needs rings, seconds or both")
    by_rings = by_seconds = None
    if rings is not None:
        by_rings = max(0, rings - timing.full_marks_rings) * timing.deduction_points
    if tenths is not None:
        over = tenths - timing.full_marks_tenths
        by_seconds = max(0, _ceil_div(over, timing.deduction_tenths)) * timing.deduction_points
    if by_rings is None:
        assert by_seconds is not None
        return by_seconds
    if by_seconds is None:
        return by_rings
    return {
        "lesser": min(by_rings, by_seconds),
        "greater": max(by_rings, by_seconds),
        "rings": by_rings,
        "seconds": by_seconds,
    }[timing.deduction_policy]


def speed_points(timing: Timing, max_points: int, rings: int | None, tenths: int | None) -> int:
    """Answer-speed points: max_points less the deduction, never below 0."""
    return max(0, max_points - speed_deduction(timing, rings, tenths))


def within(rings: int | None, tenths: int | None, limit_rings: int | None,
           limit_tenths: int | None) -> bool:
    """True if either measured value is within its limit (the form's 或)."""
    return ((rings is not None and limit_rings is not None and rings <= limit_rings)
            or (tenths is not None and limit_tenths is not None and tenths <= limit_tenths))


def speed_band(bands: Sequence[SpeedBand], rings: int | None,
               tenths: int | None) -> SpeedBand | None:
    """The fastest band the answer falls within, or None if slower than all."""
    return next((b for b in bands if within(rings, tenths, b.rings, b.tenths)), None)


def expected_rings(timing: Timing, elapsed_tenths: int) -> int:
    """Rings heard by now at the ringback cadence, the first ring at 0."""
    if elapsed_tenths < 0:
        return 0
    return elapsed_tenths // timing.ring_cadence_tenths + 1


def past_full_marks(timing: Timing, rings: int | None, tenths: int | None) -> bool:
    """True once the answer would cost points (past 4 rings and past 10 s)."""
    return not within(rings, tenths, timing.full_marks_rings, timing.full_marks_tenths)


def unanswered_reached(timing: Timing, rings: int | None, tenths: int | None) -> bool:
    """True once the phase may count as unanswered (9 rings or 20 s)."""
    return ((rings is not None and rings >= timing.unanswered_rings)
            or (tenths is not None and tenths >= timing.unanswered_tenths))


@dataclass(frozen=True, slots=True)
class Mark:
    """One press of a timing key: `t` seconds after the attempt's start."""

    t: float
    kind: str
    phase: str

    def as_dict(self) -> dict[str, Any]:
        return {"t": round(self.t, 3), "kind": self.kind, "phase": self.phase}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Mark:
        return cls(float(d["t"]), str(d["kind"]), str(d["phase"]))


@dataclass(slots=True)
class PhaseState:
    """What the timeline says of one phase so far."""

    phase: str
    rings: list[float] = field(default_factory=list)
    answered_at: float | None = None
    ended_at: float | None = None
    outcome: str | None = None
    """answered, unanswered, out_of_order; None while it is still ringing."""
    auto_transfer: bool = False

    @property
    def first_ring(self) -> float | None:
        return self.rings[0] if self.rings else None

    @property
    def ring_count(self) -> int:
        return len(self.rings)

    def elapsed_tenths(self, now: float) -> int | None:
        """Tenths from the first ring to the answer (or end, or `now` while ringing)."""
        if self.first_ring is None:
            return None
        if self.outcome == "answered":
            end = self.answered_at
        elif self.outcome is not None:
            end = self.ended_at
        else:
            end = now
        assert end is not None
        return to_tenths(max(0.0, end - self.first_ring))

    def measured(self) -> tuple[int | None, int | None]:
        """Rings and tenths as scored (None when the phase is still open)."""
        if self.outcome is None:
            return None, None
        if self.outcome == "out_of_order":
            return None, None
        return self.ring_count, self.elapsed_tenths(0.0)


@dataclass(slots=True)
class CallState:
    """The replayed timeline of one attempt."""

    phases: list[PhaseState]
    current: int = 0
    ended: bool = False
    effective: list[Mark] = field(default_factory=list)
    """The marks that count, after undos."""

    @property
    def phase(self) -> PhaseState:
        return self.phases[self.current]

    def get(self, phase_id: str) -> PhaseState | None:
        return next((p for p in self.phases if p.phase == phase_id), None)


class MarkRefused(ValueError):
    """A mark that makes no sense where the call is (e.g. a ring after hanging up)."""


def _apply(state: CallState, mark: Mark) -> None:
    if mark.kind == "dial":
        return
    if state.ended:
        raise MarkRefused("the call has ended")
    ph = state.phase
    last = state.current == len(state.phases) - 1
    if mark.kind == "ring":
        if ph.outcome is not None:
            raise MarkRefused(f"{ph.phase} has already been answered")
        ph.rings.append(mark.t)
    elif mark.kind == "answer":
        if ph.outcome is not None and not (ph.auto_transfer and ph.answered_at is None):
            raise MarkRefused(f"{ph.phase} has already been answered")
        if ph.auto_transfer:
            ph.answered_at = mark.t  # whoever took the passed-on call; speed stays unanswered
            return
        if not ph.rings:
            ph.rings.append(mark.t)  # picked up during the first ring
        ph.answered_at = mark.t
        ph.outcome = "answered"
    elif mark.kind == "transfer":
        if ph.outcome != "answered":
            raise MarkRefused(f"{ph.phase} has not answered yet")
        if last:
            raise MarkRefused("there is no phase after this one")
        ph.ended_at = mark.t
        state.current += 1
    elif mark.kind in ("give_up", "out_of_order"):
        if ph.outcome is not None:
            raise MarkRefused(f"{ph.phase} has already been answered")
        ph.outcome = "unanswered" if mark.kind == "give_up" else "out_of_order"
        ph.ended_at = mark.t
        state.ended = True
    elif mark.kind == "auto_transfer":
        if ph.outcome is not None:
            raise MarkRefused(f"{ph.phase} has already been answered")
        ph.outcome = "unanswered"
        ph.auto_transfer = True
        ph.ended_at = mark.t
    elif mark.kind == "hang_up":
        ph.ended_at = ph.ended_at or mark.t
        state.ended = True
    else:
        raise MarkRefused(f"unknown mark {mark.kind!r}")


def replay(marks: Iterable[Mark], phase_ids: Sequence[str]) -> CallState:
    """Replay a timeline (undos included) into the state of each phase.

    Marks that make no sense where they fall raise MarkRefused; the UI asks
    `replay` before it appends a mark, so a stored timeline always replays.
    """
    effective: list[Mark] = []
    for m in marks:
        if m.kind == "undo":
            if any(e.kind != "dial" for e in effective):
                idx = max(i for i, e in enumerate(effective) if e.kind != "dial")
                effective.pop(idx)
            continue
        effective.append(m)
    state = CallState([PhaseState(p) for p in phase_ids], effective=effective)
    for m in effective:
        _apply(state, m)
    return state
