"""Time math for a test call: pure functions, times passed in as arguments.

Seconds are handled as integer tenths (a key press is no more precise than
that, and floats must never be compared). A call's evidence is its timeline:
marks stamped in seconds from the attempt's start; everything else (rings,
seconds, outcome of each phase) is derived from it by `replay`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from .i18n import Msg

if TYPE_CHECKING:
    from .rubric import SpeedBand, Timing

MARK_KINDS = ("dial", "ring", "answer", "transfer", "give_up", "out_of_order",
              "auto_transfer", "busy", "dropped", "hang_up", "cadence", "undo")
"""What a tester can mark during a call; `undo` takes back the last mark.

`busy` (忙線): the line called is busy. `dropped` (斷線): the line went dead.
`cadence` carries a value: the phase's own seconds between rings.
"""


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


def implied_rings(cadence_tenths: int, tenths: int) -> int:
    """Rings a phase has rung after `tenths`, the first at 0: 1 + floor(seconds / cadence)."""
    return 1 + max(0, tenths) // cadence_tenths


@dataclass(frozen=True, slots=True)
class RingCount:
    """The rings a phase is scored with: those marked, unless they were under-marked.

    Rings and seconds measure the same ringing. Marked rings fewer than the
    seconds imply by two or more were under-marked: the implied count is
    used (a difference of one is a cadence's normal slack; more rings than
    implied are kept). A count the tester corrected (a revision with a
    reason) is used as it stands.
    """

    marked: int | None
    implied: int | None
    cadence_tenths: int
    corrected: bool = False

    @property
    def under_marked(self) -> bool:
        return (not self.corrected and self.marked is not None and self.implied is not None
                and self.marked < self.implied - 1)

    @property
    def used(self) -> int | None:
        return self.implied if self.under_marked else self.marked


def count_rings(timing: Timing, rings: int | None, tenths: int | None,
                cadence_tenths: int | None = None, corrected: bool = False) -> RingCount:
    """The rings to score with, given those marked, the seconds and the phase's cadence."""
    cadence = cadence_tenths or timing.ring_cadence_tenths
    implied = None if tenths is None else implied_rings(cadence, tenths)
    return RingCount(rings, implied, cadence, corrected)


def median_interval_tenths(ring_times: Sequence[float], least: int = 3) -> int | None:
    """The median interval between consecutive rings, in tenths, once `least` are marked."""
    if len(ring_times) < least:
        return None
    gaps = sorted(to_tenths(max(0.0, b - a)) for a, b in pairwise(ring_times))
    mid = len(gaps) // 2
    if len(gaps) % 2:
        return gaps[mid]
    return (gaps[mid - 1] + gaps[mid] + 1) // 2


def cadence_allowed(timing: Timing, cadence_tenths: int) -> bool:
    """True if a phase may record this cadence (the rubric's range, 2.0–6.0 s)."""
    return timing.cadence_min_tenths <= cadence_tenths <= timing.cadence_max_tenths


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
    value: float | None = None
    """The seconds of a `cadence` mark; None for every other kind."""

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"t": round(self.t, 3), "kind": self.kind, "phase": self.phase}
        if self.value is not None:
            d["value"] = self.value
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Mark:
        value = d.get("value")
        return cls(float(d["t"]), str(d["kind"]), str(d["phase"]),
                   None if value is None else float(value))


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
    busy: bool = False
    """The line was busy (忙線): unanswered needs no threshold."""
    cadence_tenths: int | None = None
    """The phase's own ring cadence, when the tester adopted one."""
    dropped: bool = False
    """The line dropped (斷線) during this phase."""

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
    void: bool = False
    """The line dropped (斷線) before the last phase answered: the attempt is not scored."""

    @property
    def phase(self) -> PhaseState:
        return self.phases[self.current]

    def get(self, phase_id: str) -> PhaseState | None:
        return next((p for p in self.phases if p.phase == phase_id), None)


class MarkRefused(ValueError):
    """A mark that makes no sense where the call is (e.g. a ring after hanging up).

    `code` says why (`ended`, `answered`, `not_answered`, `last_phase`,
    `cadence`, `unknown`) and `phase` where; the caller words it.
    """

    def __init__(self, code: str, phase: str = "", detail: str = "",
                 label: Msg | None = None) -> None:
        self.code = code
        self.phase = phase
        self.reason = refusal_reason(code, label or Msg(phase, phase), detail)
        super().__init__(self.reason.en)


def refusal_reason(code: str, label: Msg, detail: str = "") -> Msg:
    """Why a mark is refused, in both languages, for the phase named `label`."""
    en = label.en.lower()
    return {
        "ended": Msg("通話已結束", "the call has ended"),
        "answered": Msg(f"{label.zh}已接聽", f"the {en} has already answered"),
        "busy": Msg(f"{label.zh}已標記忙線", f"the {en} is already marked busy"),
        "not_answered": Msg(f"{label.zh}尚未接聽，無從轉接",
                            f"the {en} has not answered: nothing to transfer"),
        "last_phase": Msg(f"{label.zh}已是最後一個階段", f"there is no phase after the {en}"),
        "cadence": Msg("鈴響間隔須為秒數", "a ring cadence needs its seconds"),
    }.get(code, Msg(f"無法標記 {detail}", f"cannot mark {detail}"))


def phase_reached_answer(ph: PhaseState) -> bool:
    """Someone took the call in this phase (answered, or took it after it was passed on)."""
    return ph.outcome == "answered" or (ph.auto_transfer and ph.answered_at is not None)


def _apply(state: CallState, mark: Mark) -> None:
    if mark.kind == "dial":
        return
    if state.ended:
        raise MarkRefused("ended", state.phase.phase)
    ph = state.phase
    last = state.current == len(state.phases) - 1
    if mark.kind == "cadence":
        if mark.value is None or mark.value <= 0:
            raise MarkRefused("cadence", ph.phase, "needs its seconds")
        ph.cadence_tenths = to_tenths(mark.value)
        return
    if mark.kind == "dropped":
        if not (last and phase_reached_answer(ph)):
            state.void = True
        ph.dropped = True
        ph.ended_at = ph.ended_at or mark.t
        state.ended = True
        return
    if mark.kind == "busy":
        if ph.outcome is not None or ph.busy:
            raise MarkRefused("answered" if ph.outcome is not None else "busy", ph.phase)
        ph.busy = True
        return
    if mark.kind == "ring":
        if ph.outcome is not None:
            raise MarkRefused("answered", ph.phase)
        ph.rings.append(mark.t)
    elif mark.kind == "answer":
        if ph.outcome is not None and not (ph.auto_transfer and ph.answered_at is None):
            raise MarkRefused("answered", ph.phase)
        if ph.auto_transfer:
            ph.answered_at = mark.t  # whoever took the passed-on call; speed stays unanswered
            return
        if ph.busy and not ph.rings:
            ph.rings.append(mark.t)  # a substitute picked up after the busy tone
        if not ph.rings:
            ph.rings.append(mark.t)  # picked up during the first ring
        ph.answered_at = mark.t
        ph.outcome = "answered"
    elif mark.kind == "transfer":
        if ph.outcome != "answered":
            raise MarkRefused("not_answered", ph.phase)
        if last:
            raise MarkRefused("last_phase", ph.phase)
        ph.ended_at = mark.t
        state.current += 1
    elif mark.kind in ("give_up", "out_of_order"):
        if ph.outcome is not None:
            raise MarkRefused("answered", ph.phase)
        ph.outcome = "unanswered" if mark.kind == "give_up" else "out_of_order"
        ph.ended_at = mark.t
        state.ended = True
    elif mark.kind == "auto_transfer":
        if ph.outcome is not None:
            raise MarkRefused("answered", ph.phase)
        ph.outcome = "unanswered"
        ph.auto_transfer = True
        ph.ended_at = mark.t
    elif mark.kind == "hang_up":
        ph.ended_at = ph.ended_at or mark.t
        state.ended = True
    else:
        raise MarkRefused("unknown", ph.phase, mark.kind)


def replay(marks: Iterable[Mark], phase_ids: Sequence[str],
           labels: Mapping[str, Msg] | None = None) -> CallState:
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
        try:
            _apply(state, m)
        except MarkRefused as exc:
            if labels and exc.phase in labels:
                raise MarkRefused(exc.code, exc.phase, "", labels[exc.phase]) from None
            raise
    return state
