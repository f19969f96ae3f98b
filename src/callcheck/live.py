"""The live call: one attempt of a telephone test, driven key by key.

`LiveCall` is the controller the live screen talks to. It knows no Textual:
times come in as numbers on an injected monotonic `clock` (a key's own
`event.time` in the app, a fake clock in tests) and the wall clock is
injected too. Every mark is checked by replaying the timeline with it
(`timing.replay`) before it is kept, so a stored timeline always replays;
a mark that makes no sense is refused with a reason in both languages.

The numbers (4 rings / 10 s, the 3-second cadence, 9 rings / 20 s, the
10-minute retest) all come from the rubric's [timing] table, and the courtesy
prompts from its items' kinds: nothing here knows an item id.

What an answer is and how a key moves it lives in `answers.py`; the score
shown before the form is complete in `preview.py`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pendulum

from .dates import iso
from .dates import now as taipei_now
from .errors import Refused
from .i18n import Msg
from .rubric import Item, Rubric, Rule, Timing
from .session import Attempt, Session, call_phases, retest_due
from .timing import (
    CallState,
    Mark,
    MarkRefused,
    RingCount,
    cadence_allowed,
    count_rings,
    fmt_tenths,
    median_interval_tenths,
    past_full_marks,
    replay,
    speed_band,
    speed_points,
    to_tenths,
    unanswered_reached,
)

TIMING_MARKS = ("ring", "answer", "transfer", "give_up", "out_of_order", "auto_transfer",
                "busy", "dropped", "hang_up")
"""The marks a timing key makes (`dial` starts an attempt, `undo` has its own method)."""

REPEAT_WINDOW = 0.7
"""Seconds within which the same timing key again counts as the keyboard's auto-repeat.

A held key repeats after an initial delay (250–660 ms on common systems) and
then about 30 times a second. Rings come 3 s apart and every other timing key
is pressed once, so the same key again within 0.7 s of its previous press, or
of its previous ignored repeat (a held key keeps extending the window), is
dropped. A different key is never dropped.
"""

MAX_KEY_AGE = 5.0
"""A key's own time is trusted if it is at most this many seconds old (see `stamp`)."""


def stamp(event_time: float | None, now: float) -> float:
    """The moment a key was pressed: its event's own time when that is on `now`'s clock.

    A key event carries the time it was read; the handler runs later. That
    time is used unless it is missing, in the future or older than
    MAX_KEY_AGE (then it cannot be on the same clock, e.g. another platform's
    timer), in which case `now` is the best there is.
    """
    if event_time is None or not (now - MAX_KEY_AGE <= event_time <= now + 0.05):
        return now
    return min(event_time, now)


class RepeatFilter:
    """Drops the keyboard's auto-repeat of a timing key (the rule is REPEAT_WINDOW's)."""

    def __init__(self, window: float = REPEAT_WINDOW) -> None:
        self.window = window
        self._key: str | None = None
        self._at = float("-inf")

    def accept(self, key: str, at: float) -> bool:
        """True for a real press; False for a repeat of the previous key."""
        repeat = key == self._key and 0 <= at - self._at < self.window
        self._key, self._at = key, at
        return not repeat


@dataclass(frozen=True, slots=True)
class PhaseView:
    """What the live screen shows of the phase in progress."""

    id: str
    label: Msg
    index: int
    count: int
    rings: int
    expected_rings: int | None
    """Rings heard by now at the ringback cadence (None before the first ring)."""
    tenths: int | None
    """From the first ring to now (or to the answer / the end)."""
    outcome: str | None
    auto_transfer: bool
    points: int | None
    """Points if answered now while it rings; the points earned once answered."""
    points_max: int | None
    factor: int
    """2 when a rule of the form doubles the phase's speed item (no voice system)."""
    factor_reason: Msg | None
    """That rule's reason, in the rubric's words."""
    past_full_marks: bool
    """Ringing past the full-marks limit (4 rings and 10 s): answering now costs points."""
    unanswered_reached: bool
    """Rang long enough (9 rings or 20 s) to count as unanswered: the tester may hang up."""
    rings_behind: bool
    """Fewer rings marked than the seconds imply by two or more: the score uses `rings_used`."""
    rings_used: int
    """The rings the score counts: those marked, or the implied count when under-marked."""
    cadence_tenths: int
    """The cadence the phase is counted at (its own once adopted, else the rubric's)."""
    own_cadence: bool
    """True when the phase records its own cadence."""
    cadence_proposal: int | None
    """The median interval between the marked rings (3 or more), when it differs from
    the cadence in use and lies in the rubric's range: the tester may adopt it."""
    busy: bool
    """The line of this phase was marked busy (忙線)."""

    @property
    def ringing(self) -> bool:
        return self.tenths is not None and self.outcome is None


@dataclass(frozen=True, slots=True)
class RetestCheck:
    due: pendulum.DateTime | None
    """When the retest is allowed (None: no retest needed)."""
    allowed: bool
    wait_seconds: int
    """Seconds still to wait (0 when allowed)."""


def clock_time(value: pendulum.DateTime) -> str:
    """HH:MM:SS in Asia/Taipei."""
    local = value.in_timezone("Asia/Taipei")
    return f"{local.hour:02d}:{local.minute:02d}:{local.second:02d}"  # format() loads a locale


def countdown(seconds: int) -> str:
    """12:05 (minutes:seconds), or 1:02:03 past an hour."""
    seconds = max(0, seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class LiveCall:
    """One telephone session's calls, mark by mark, with the answers given along the way."""

    def __init__(self, rubric: Rubric, session: Session, *,
                 clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], pendulum.DateTime] = taipei_now) -> None:
        if rubric.timing is None or not rubric.uses_calls:
            raise ValueError(f"the {rubric.id} form has no timed call")
        if session.context is None:
            raise ValueError("a telephone session needs its context (route, voice system…)")
        self.rubric = rubric
        self.timing: Timing = rubric.timing
        self.session = session
        self.clock = clock
        self.wall_clock = wall_clock
        self.phase_ids: list[str] = call_phases(rubric, session.context)
        self.labels: dict[str, Msg] = {p.id: p.label for p in rubric.phases}
        self._origin: float | None = None
        self._cache: tuple[int, CallState] | None = None
        if session.attempts:
            self._resume()

    def _resume(self) -> None:
        """Put the stopwatch back where the attempt is, from its wall-clock start.

        A monotonic clock does not survive a restart; the attempt's wall-clock
        start does, so a resumed call keeps counting from it (never before its
        last mark).
        """
        attempt = self.session.attempts[-1]
        since = (self.wall_clock() - attempt.start).total_seconds()
        last = max((m.t for m in attempt.marks), default=0.0)
        self._origin = self.clock() - max(since, last)

    @property
    def attempt(self) -> Attempt | None:
        return self.session.attempts[-1] if self.session.attempts else None

    @property
    def attempt_number(self) -> int:
        return len(self.session.attempts)

    @property
    def started(self) -> bool:
        return self.attempt is not None

    @property
    def state(self) -> CallState:
        attempt = self.attempt
        if attempt is None:
            return replay([], self.phase_ids)
        if self._cache is None or self._cache[0] != len(attempt.marks):
            self._cache = (len(attempt.marks), replay(attempt.marks, self.phase_ids))
        return self._cache[1]

    @property
    def ended(self) -> bool:
        return self.started and self.state.ended

    @property
    def pending_retest(self) -> bool:
        return self.session.status == "pending_retest"

    def seconds(self, at: float | None = None) -> float:
        """Seconds since the attempt was dialled, at the monotonic time `at` (default now)."""
        if self._origin is None:
            return 0.0
        return (self.clock() if at is None else at) - self._origin

    def phase_label(self, phase_id: str) -> Msg:
        spec = self.rubric.phase(phase_id)
        return spec.label if spec is not None else Msg(phase_id, phase_id)

    # -- marks ------------------------------------------------------------------------------
    def start(self, at: float | None = None) -> Mark:
        """Dial: the first attempt begins now (wall clock for the record, clock for marks)."""
        if self.started:
            raise Refused(Msg("已開始撥號", "the call has already been dialled"))
        return self._begin(at)

    def _begin(self, at: float | None) -> Mark:
        self._origin = self.clock() if at is None else at
        dial = Mark(0.0, "dial", self.phase_ids[0])
        self.session.attempts.append(Attempt(iso(self.wall_clock()), [dial]))
        self.session.status = "draft"
        self.session.due_at = None
        self._cache = None
        return dial

    def _open_attempt(self) -> Attempt:
        attempt = self.attempt
        if attempt is None:
            raise Refused(Msg("尚未撥號", "the call has not been dialled"))
        if self.state.ended:
            raise Refused(Msg("通話已結束", "the call has ended"))
        return attempt

    def _t(self, attempt: Attempt, at: float | None) -> float:
        """Seconds into the attempt, never before its last mark (the timeline stays ordered)."""
        t = round(self.seconds(at), 3)
        return max(t, attempt.marks[-1].t if attempt.marks else 0.0)

    def check(self, kind: str, at: float | None = None) -> None:
        """Raise Refused if `kind` cannot be marked at `at`; do nothing otherwise."""
        self._checked(kind, at)

    def _checked(self, kind: str, at: float | None) -> Mark:
        if kind not in TIMING_MARKS:
            raise ValueError(f"{kind!r} is not a timing mark")
        attempt = self._open_attempt()
        t = self._t(attempt, at)
        state = self.state
        ph = state.phase
        label = self.phase_label(ph.phase)
        mark = Mark(t, kind, ph.phase)
        try:
            replay([*attempt.marks, mark], self.phase_ids, self.labels)
        except MarkRefused as exc:
            raise Refused(exc.reason) from None
        if kind == "busy":
            spec = self.rubric.phase(ph.phase)
            if spec is None or not spec.busy:
                raise Refused(Msg(f"{label.zh}不適用忙線（僅轉接後的業務單位適用）",
                                  f"the {label.en.lower()} is not marked busy "
                                  "(only the unit's line, after a transfer)"))
        if kind == "give_up" and not ph.busy:
            tenths = None if ph.first_ring is None else to_tenths(max(0.0, t - ph.first_ring))
            rings = self.count(ph.phase, ph.ring_count, tenths).used or ph.ring_count
            if not unanswered_reached(self.timing, rings, tenths):
                limit = Msg(f"{self.timing.unanswered_rings} 聲或 "
                            f"{fmt_tenths(self.timing.unanswered_tenths)} 秒",
                            f"{self.timing.unanswered_rings} rings or "
                            f"{fmt_tenths(self.timing.unanswered_tenths)} s")
                raise Refused(Msg(f"尚未達{limit.zh}（已 {rings} 聲"
                                  + (f" / {fmt_tenths(tenths)} 秒" if tenths is not None else "")
                                  + "），掛斷不算無人接聽",
                                  f"{limit.en} not yet reached ({rings} rings"
                                  + (f" / {fmt_tenths(tenths)} s" if tenths is not None else "")
                                  + "): hanging up now is not an unanswered call"))
        if kind == "auto_transfer":
            spec = self.rubric.phase(ph.phase)
            if spec is None or not spec.auto_transfer:
                raise Refused(Msg(f"{label.zh}不會自動轉接（僅業務單位適用）",
                                  f"the {label.en.lower()} does not pass calls on automatically"))
            if ph.first_ring is None:
                raise Refused(Msg("尚未標記鈴響", "no ring marked yet"))
        if kind == "hang_up" and ph.outcome is None and ph.busy:
            raise Refused(Msg(f"{label.zh}忙線：若無人接手請標記無人接聽（g）",
                              f"the {label.en.lower()} is busy: if nobody takes the call, "
                              "mark it unanswered (g)"))
        if kind == "hang_up" and ph.outcome is None:
            raise Refused(Msg(f"{label.zh}尚未接聽：達{self.timing.unanswered_rings} 聲或 "
                              f"{fmt_tenths(self.timing.unanswered_tenths)} 秒後請標記無人接聽，"
                              "或標記電話故障",
                              f"the {label.en.lower()} has not answered: mark it unanswered "
                              f"after {self.timing.unanswered_rings} rings or "
                              f"{fmt_tenths(self.timing.unanswered_tenths)} s, "
                              "or out of order"))
        return mark

    def mark(self, kind: str, at: float | None = None) -> Mark:
        """Add a timing mark at the monotonic time `at` (a key's own time; default now)."""
        mark = self._checked(kind, at)
        assert self.attempt is not None
        self.attempt.marks.append(mark)
        self._cache = None
        self._settle()
        return mark

    def can_undo(self) -> bool:
        return self.started and any(m.kind != "dial" for m in self.state.effective)

    def undo(self, at: float | None = None) -> Mark:
        """Take back the last mark (it stays in the timeline, as evidence, with the undo)."""
        attempt = self.attempt
        if attempt is None or not self.can_undo():
            raise Refused(Msg("沒有可復原的標記", "nothing to undo"))
        last = max((m for m in self.state.effective if m.kind != "dial"), key=lambda m: m.t)
        mark = Mark(self._t(attempt, at), "undo", last.phase)
        attempt.marks.append(mark)
        self._cache = None
        self._settle()
        return mark

    @property
    def dropped(self) -> bool:
        """The line dropped before the unit answered: this attempt is not scored."""
        return self.started and self.state.void

    def redial(self, at: float | None = None) -> Mark:
        """Dial again at once after a dropped line: the same session's next attempt."""
        if not self.dropped:
            raise Refused(Msg("線路未斷，不需重撥", "the line did not drop: no need to redial"))
        return self._begin(at)

    def count(self, phase_id: str, rings: int, tenths: int | None) -> RingCount:
        """The rings a phase counts for, at its own cadence if it has one."""
        ph = self.state.get(phase_id)
        own = ph.cadence_tenths if ph is not None else None
        return count_rings(self.timing, rings, tenths, own)

    def cadence_proposal(self, phase_id: str) -> int | None:
        """The median ring interval of the phase, once 3 rings are marked, if worth adopting."""
        ph = self.state.get(phase_id)
        if ph is None:
            return None
        median = median_interval_tenths(ph.rings)
        current = ph.cadence_tenths or self.timing.ring_cadence_tenths
        if median is None or median == current or not cadence_allowed(self.timing, median):
            return None
        return median

    def adopt_cadence(self, at: float | None = None) -> Mark:
        """Record the proposed cadence for the phase in progress (a mark: undo takes it back)."""
        attempt = self._open_attempt()
        ph = self.state.phase
        proposal = self.cadence_proposal(ph.phase)
        if proposal is None:
            raise Refused(Msg("需先標記至少 3 聲鈴響，且間隔與現行不同",
                              "mark at least 3 rings first, spaced differently from now"))
        mark = Mark(self._t(attempt, at), "cadence", ph.phase, proposal / 10)
        replay([*attempt.marks, mark], self.phase_ids)
        attempt.marks.append(mark)
        self._cache = None
        return mark

    def _settle(self) -> None:
        """Status from the timeline: pending its retest when the switchboard rang out."""
        due = (retest_due(self.rubric, self.session)
               if self.state.ended and not self.state.void else None)
        if due is not None:
            self.session.status = "pending_retest"
            self.session.due_at = iso(due)
        else:
            self.session.status = "draft"
            self.session.due_at = None

    # -- retests ----------------------------------------------------------------------------
    def retest_check(self) -> RetestCheck:
        due = retest_due(self.rubric, self.session)
        if due is None:
            return RetestCheck(None, False, 0)
        wait = (due - self.wall_clock()).total_seconds()
        return RetestCheck(due, wait <= 0, max(0, int(-(-wait // 1))))

    def start_retest(self, at: float | None = None) -> Mark:
        """Dial again: the same session's next attempt, once the retest is due."""
        check = self.retest_check()
        if check.due is None:
            raise Refused(Msg("本次測試不需重測", "this test needs no retest"))
        if not check.allowed:
            minutes = self.timing.retest_after_minutes
            raise Refused(Msg(
                f"尚未滿 {minutes} 分鐘：{clock_time(check.due)} 起方可重測"
                f"（還要 {countdown(check.wait_seconds)}）",
                f"not yet {minutes} minutes: the retest is allowed from "
                f"{clock_time(check.due)} (in {countdown(check.wait_seconds)})"))
        return self._begin(at)

    # -- what the screen shows ---------------------------------------------------------------
    def timed_item(self, phase_id: str) -> Item | None:
        return next((i for i in self.rubric.items
                     if i.kind == "timed" and i.phase == phase_id), None)

    def _rules(self, item_id: str) -> list[Rule]:
        """The rules of the form that apply to this item in this call's context."""
        ctx = (self.session.context.as_dict() if self.session.context else {})
        return [rule for rule in self.rubric.rules if rule.applies(ctx)
                and any(item_id in {i.id for i in self.rubric.covered(t)}
                        for t in rule.targets)]

    def _rule_effects(self, item_id: str) -> set[str]:
        return {rule.effect for rule in self._rules(item_id)}

    def factor(self, item_id: str) -> int:
        """2 when a rule of the form doubles the item in this context, else 1."""
        return 2 if "double" in self._rule_effects(item_id) else 1

    def factor_reason(self, item_id: str) -> Msg | None:
        """The rule's own words for a doubled item (如無電話語音總機系統，本項得分乘以 2…)."""
        return next((r.reason for r in self._rules(item_id) if r.effect == "double"), None)

    def scored_by_rule(self, item_id: str) -> bool:
        """True for items a rule makes not applicable or zero in this context."""
        return bool(self._rule_effects(item_id) & {"na", "zero"})

    def speed_points(self, phase_id: str, rings: int | None, tenths: int | None) -> int | None:
        """The points the phase's speed item gives for an answer at rings / tenths."""
        item = self.timed_item(phase_id)
        if item is None or self.scored_by_rule(item.id):
            return None
        if item.scale == "deduction":
            pts = speed_points(self.timing, item.points, rings, tenths)
        else:
            band = speed_band(item.speed_bands, rings, tenths)
            pts = band.points if band is not None else 0
        return pts * self.factor(item.id)

    def view(self, at: float | None = None) -> PhaseView:
        """The phase in progress at the monotonic time `at` (default now)."""
        state = self.state
        ph = state.phase
        t = self.seconds(at)
        tenths = ph.elapsed_tenths(t)
        rings = ph.ring_count
        item = self.timed_item(ph.phase)
        factor = self.factor(item.id) if item is not None else 1
        maximum = (item.points * factor if item is not None and not self.scored_by_rule(item.id)
                   else None)
        count = self.count(ph.phase, rings, tenths)
        expected = count.implied
        used = count.used if count.used is not None else rings
        ringing = tenths is not None and ph.outcome is None
        points: int | None = None
        if ph.outcome == "answered":
            points = self.speed_points(ph.phase, used, tenths)
        elif ph.outcome is not None:
            points = 0 if maximum is not None else None
        else:
            points = self.speed_points(ph.phase, max(used, 1), tenths or 0)
        return PhaseView(
            id=ph.phase, label=self.phase_label(ph.phase), index=state.current,
            count=len(state.phases), rings=rings, expected_rings=expected, tenths=tenths,
            outcome=ph.outcome, auto_transfer=ph.auto_transfer, points=points,
            points_max=maximum, factor=factor,
            factor_reason=self.factor_reason(item.id) if item is not None else None,
            past_full_marks=ringing and past_full_marks(self.timing, used, tenths),
            unanswered_reached=ringing and (ph.busy or unanswered_reached(self.timing, used,
                                                                          tenths)),
            rings_behind=count.under_marked and ph.outcome in (None, "answered"),
            rings_used=used, cadence_tenths=count.cadence_tenths,
            own_cadence=ph.cadence_tenths is not None,
            cadence_proposal=self.cadence_proposal(ph.phase) if ph.outcome is None else None,
            busy=ph.busy,
        )

    def under_marked(self, phase_id: str) -> RingCount | None:
        """The phase's ring count when its marked rings are fewer than the seconds imply."""
        ph = self.state.get(phase_id)
        if ph is None or ph.first_ring is None:
            return None
        count = self.count(phase_id, ph.ring_count, ph.elapsed_tenths(self.seconds()))
        return count if count.under_marked else None

    def prompt_items(self, phase_id: str) -> list[Item]:
        """The items the tester answers during `phase_id`, in the form's order."""
        return [i for i in self.rubric.items
                if i.phase == phase_id and i.answered and not self.scored_by_rule(i.id)]

    def reached_phases(self) -> list[str]:
        """The phases this attempt has reached so far, in order."""
        return self.phase_ids[: self.state.current + 1] if self.started else self.phase_ids[:1]
