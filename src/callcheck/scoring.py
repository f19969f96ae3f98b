"""The scoring engine: observations + rubric → points, with the reason for each.

Pure functions: no UI, no I/O. Every rule of docs/scoring.md lives here, driven by
the rubric's data (kinds, phases, rules, timing), never by item ids. Input
that the form does not allow raises InputError naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .answers import NO, YES, days_text, measure_text, rings_text
from .dates import TZ
from .errors import InputError
from .i18n import Lang, Msg
from .observations import (
    BranchAnswer,
    ChoiceAnswer,
    Context,
    DaysAnswer,
    Observations,
    PhaseObs,
)
from .rubric import Band, Item, Phase, Rubric
from .timing import (
    RingCount,
    cadence_allowed,
    count_rings,
    fmt_tenths,
    speed_band,
    speed_deduction,
    unanswered_reached,
)

STATUSES = ("scored", "unreached", "rule", "na")
MISSING = "missing"
"""The status of an item still to answer, in a partial score (never stored)."""
TO_ANSWER = Msg("待作答", "to answer")


@dataclass(frozen=True, slots=True)
class ItemResult:
    id: str
    points: int | None
    max: int | None
    status: str
    note: Msg

    def as_json(self, lang: Lang = "zh") -> dict[str, Any]:
        return {"points": self.points, "max": self.max, "status": self.status,
                "note": self.note.get(lang)}


@dataclass(frozen=True, slots=True)
class Total:
    points: int
    max: int
    score_tenths: int | None
    """points / max × 100 in tenths, rounded half-up; None when everything is excluded."""

    @property
    def score(self) -> float | None:
        return None if self.score_tenths is None else self.score_tenths / 10

    def as_json(self) -> dict[str, Any]:
        return {"points": self.points, "max": self.max, "score": self.score}


@dataclass(frozen=True)
class ScoreResult:
    rubric: str
    rubric_version: str
    items: dict[str, ItemResult]
    total: Total
    missing: tuple[str, ...] = ()
    """Items still to answer (partial scoring only): status `missing`, outside the total."""
    dropped: tuple[str, ...] = ()
    """Answers given to items that take none here (partial scoring only): left out."""

    @property
    def complete(self) -> bool:
        return not self.missing and not self.dropped

    def as_json(self, lang: Lang = "zh") -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "rubric_version": self.rubric_version,
            "items": {k: v.as_json(lang) for k, v in self.items.items()},
            "total": self.total.as_json(),
        }

    def as_stored(self) -> dict[str, Any]:
        """As stored with a session: the note in both languages."""
        out = self.as_json("zh")
        for item_id, r in self.items.items():
            out["items"][item_id]["note_en"] = r.note.en
        return out


def score_tenths(points: int, maximum: int) -> int | None:
    """points / maximum × 100, rounded half-up to 0.1, as tenths (integers only)."""
    if maximum <= 0:
        return None
    return (points * 2000 + maximum) // (2 * maximum)


def ring_count(rubric: Rubric, p: PhaseObs) -> RingCount:
    """The rings a phase is scored with (SCORING.md "Rings and seconds agree")."""
    assert rubric.timing is not None
    return count_rings(rubric.timing, p.rings, p.tenths, p.cadence_tenths, p.rings_corrected)


def measure_note(rubric: Rubric, p: PhaseObs) -> Msg:
    """The rings and seconds a phase is scored with, as the item's note says them.

    `6 聲 / 16.2 秒`; under-marked rings say so (`標記 1 聲，依 34.8 秒推算 12 聲`),
    with the phase's own cadence when it has one; a corrected count says so.
    """
    assert rubric.timing is not None
    count = ring_count(rubric, p)
    if count.under_marked:
        assert count.marked is not None and count.implied is not None and p.tenths is not None
        s = fmt_tenths(p.tenths)
        zh = f"標記 {count.marked} 聲，依 {s} 秒推算 {count.implied} 聲"
        en = f"{rings_text(count.marked).en} marked, {count.implied} implied by {s} s"
        if count.cadence_tenths != rubric.timing.ring_cadence_tenths:
            c = fmt_tenths(count.cadence_tenths)
            zh += f"（每 {c} 秒一聲）"
            en += f" (one ring every {c} s)"
        return Msg(zh, en)
    if p.rings is not None and p.rings_corrected:
        fixed = rings_text(p.rings) + Msg("（已更正）", " (corrected)")
        secs = measure_text(None, p.tenths)
        return fixed if not secs.zh else Msg(f"{fixed.zh} / {secs.zh}", f"{fixed.en} / {secs.en}")
    return measure_text(p.rings, p.tenths)


def _band_for(bands: tuple[Band, ...], points: int) -> Band | None:
    return next((b for b in bands if b.min <= points <= b.max), None)


def _bands_text(bands: tuple[Band, ...]) -> str:
    return ", ".join(b.span() for b in bands)


def _phase_applies(phase: Phase, ctx: Context) -> bool:
    if phase.route is not None and phase.route != ctx.route:
        return False
    return phase.needs is None or bool(getattr(ctx, phase.needs))


@dataclass(frozen=True, slots=True)
class _CallPlan:
    """Which phases happen, which ended the call, and what the context rules do."""

    applies: dict[str, bool]
    ended_at: int | None
    """Index of the phase where the call ended without anyone answering."""
    ended_phase: Phase | None
    phase_obs: dict[str, PhaseObs]


def _check_retest(rubric: Rubric, phase: Phase, p: PhaseObs, path: str) -> None:
    """The retest rules: attempts in order, the retest at least N minutes after the one
    before; an answered retest lists exactly its two attempts. Times said in Asia/Taipei."""
    assert rubric.timing is not None
    minutes = rubric.timing.retest_after_minutes
    answered = p.outcome != "unanswered"
    if not p.attempts:
        raise InputError(f"{path}.attempts", f"an unanswered switchboard needs a retest at "
                         f"least {minutes} minutes later: give the times of both attempts")
    if answered and len(p.attempts) != 2:
        raise InputError(f"{path}.attempts", f"an answered retest lists two attempts, the "
                         f"unanswered one and the retest that was answered (got "
                         f"{len(p.attempts)})")
    ordered = sorted(p.attempts)
    if list(p.attempts) != ordered:
        raise InputError(f"{path}.attempts", "attempts must be in the order they were made")
    last = ordered[-1]
    if len(ordered) < 2:
        due = last.add(minutes=minutes)
        raise InputError(f"{path}.attempts", f"a retest is due: call again at or after "
                         f"{_local(due)} ({minutes} minutes after the first attempt)")
    previous = ordered[-2]
    if (last - previous).total_seconds() < minutes * 60:
        due = previous.add(minutes=minutes)
        raise InputError(f"{path}.attempts", f"the retest at {_local(last)} came too soon: "
                         f"a retest is due at or after {_local(due)} "
                         f"({minutes} minutes after {_local(previous)})")


def _local(value: Any) -> str:
    """A time as the form says it: Asia/Taipei, whatever offset the input used."""
    return str(value.in_timezone(TZ).isoformat())


def _plan_call(rubric: Rubric, obs: Observations, ctx: Context,
               excluded: set[str], missing_phases: set[str] | None = None) -> _CallPlan:
    timing = rubric.timing
    assert timing is not None
    applies = {ph.id: _phase_applies(ph, ctx) for ph in rubric.phases}
    for pid in obs.phases:
        if pid not in applies:
            raise InputError(f"phases.{pid}", f"unknown phase (known: {', '.join(applies)})")
        if not applies[pid]:
            raise InputError(f"phases.{pid}", f"this phase does not happen on a {ctx.route} "
                             f"call with has_ivr={str(ctx.has_ivr).lower()}, "
                             f"has_operator={str(ctx.has_operator).lower()}")
    ended_at: int | None = None
    ended_phase: Phase | None = None
    phases_by_id = {q.id: q for q in rubric.phases}
    for n, ph in enumerate(rubric.phases):
        if not applies[ph.id]:
            continue
        path = f"phases.{ph.id}"
        p = obs.phases.get(ph.id)
        if ended_at is not None:
            if p is not None:
                raise InputError(path, f"never reached: the call ended at "
                                 f"{ended_phase.id if ended_phase else '?'} without an answer")
            continue
        if p is None:
            scored_here = [i for i in rubric.items if i.phase == ph.id and i.id not in excluded]
            if scored_here and missing_phases is not None:
                missing_phases.add(ph.id)
            elif scored_here:
                raise InputError(path, f"missing: how did the {ph.label.en.lower()} answer? "
                                 f"(outcome, rings, seconds)")
            continue
        if p.auto_transfer and not ph.auto_transfer:
            raise InputError(f"{path}.auto_transfer", f"the {ph.id} phase has no automatic "
                             "transfer (only a unit's line passes a call on)")
        if p.auto_transfer and p.outcome != "unanswered":
            raise InputError(f"{path}.auto_transfer", "an automatic transfer happens only "
                             "when nobody answered (outcome unanswered)")
        if p.outcome == "out_of_order" and (p.rings is not None or p.tenths is not None):
            raise InputError(f"{path}.rings", "an out-of-order line takes no rings or seconds")
        if p.cadence_tenths is not None and not cadence_allowed(timing, p.cadence_tenths):
            raise InputError(f"{path}.cadence", f"a ring cadence lies between "
                             f"{fmt_tenths(timing.cadence_min_tenths)} and "
                             f"{fmt_tenths(timing.cadence_max_tenths)} s, got "
                             f"{fmt_tenths(p.cadence_tenths)}")
        if p.busy and not ph.busy:
            raise InputError(f"{path}.busy", f"the {ph.id} phase is never busy in this form "
                             "(a busy line is the unit's, after a transfer)")
        if p.busy and p.outcome == "out_of_order":
            raise InputError(f"{path}.busy", "a busy line is not out of order: give one of them")
        if p.dropped:
            last = [q.id for q in rubric.phases if applies[q.id]][-1]
            if ph.id != last or not (p.outcome == "answered" or p.auto_transfer):
                raise InputError(f"{path}.dropped", f"a line that drops before the "
                                 f"{phases_by_id[last].label.en.lower()} answered is "
                                 "not scored: dial again and give that attempt")
        if (p.outcome == "unanswered" and not p.auto_transfer and not p.busy
                and not unanswered_reached(timing, ring_count(rubric, p).used, p.tenths)):
            raise InputError(f"{path}.outcome", f"unanswered needs at least "
                             f"{timing.unanswered_rings} rings or "
                             f"{fmt_tenths(timing.unanswered_tenths)} s "
                             f"(got {measure_note(rubric, p).en}); "
                             f"hanging up sooner is not an unanswered call")
        if p.outcome == "unanswered" and ph.retest:
            _check_retest(rubric, ph, p, path)
        elif p.attempts and ph.retest and p.outcome != "unanswered":
            _check_retest(rubric, ph, p, path)  # the last attempt, answered, is scored
        elif p.attempts:
            raise InputError(f"{path}.attempts", f"only an unanswered switchboard phase is "
                             f"retested; {ph.id} takes no attempts")
        passes = p.outcome == "answered" or (p.outcome == "unanswered" and p.auto_transfer)
        if not passes:
            ended_at, ended_phase = n, ph
    return _CallPlan(applies, ended_at, ended_phase, dict(obs.phases))


def _unreached_note(phase: Phase, p: PhaseObs | None) -> Msg:
    if p is not None and p.outcome == "out_of_order":
        return Msg(f"未能進行：{phase.label.zh}電話故障",
                   f"never reached: the {phase.label.en.lower()}'s line was out of order")
    if p is not None and p.busy:
        return Msg(f"未能進行：{phase.label.zh}忙線，無人接手",
                   f"never reached: the {phase.label.en.lower()}'s line was busy "
                   "and nobody took the call")
    if phase.retest:
        return Msg(f"未能進行：{phase.label.zh}連打二次無人接聽",
                   f"never reached: the {phase.label.en.lower()} did not answer, twice")
    return Msg(f"未能進行：{phase.label.zh}無人接聽",
               f"never reached: the {phase.label.en.lower()} did not answer")


def _score_timed(rubric: Rubric, item: Item, ph: Phase, p: PhaseObs) -> tuple[int, Msg]:
    m = measure_note(rubric, p)
    rings = ring_count(rubric, p).used
    if p.outcome == "out_of_order":
        o = item.outcome("out_of_order")
        return (o.points if o else 0), Msg("電話故障", "line out of order")
    if p.outcome == "unanswered":
        o = item.outcome("unanswered")
        pts = o.points if o else 0
        busy = Msg("忙線，", "busy, ") if p.busy else Msg("", "")
        if p.auto_transfer:
            return pts, Msg(f"{busy.zh}無人接聽（{m.zh}），已自動轉接",
                            f"{busy.en}unanswered ({m.en}), passed on automatically")
        if p.busy:
            heard = f"（{m.zh}）" if m.zh else ""
            return pts, Msg(f"忙線，無人接手{heard}",
                            "busy, nobody took the call" + (f" ({m.en})" if m.en else ""))
        if ph.retest:
            return pts, Msg(f"連打二次無人接聽（{m.zh}）", f"unanswered twice ({m.en})")
        return pts, Msg(f"無人接聽（{m.zh}）", f"unanswered ({m.en})")
    if item.scale == "deduction":
        assert rubric.timing is not None
        cut = speed_deduction(rubric.timing, rings, p.tenths)
        pts = max(0, item.points - cut)
        if cut == 0:
            return pts, Msg(f"{m.zh}：滿分", f"{m.en}: full marks")
        return pts, Msg(f"{m.zh}：−{min(cut, item.points)}", f"{m.en}: −{min(cut, item.points)}")
    band = speed_band(item.speed_bands, rings, p.tenths)
    if band is None:
        slowest = item.speed_bands[-1]
        return 0, Msg(f"{m.zh}：慢於「{slowest.label.zh}」，表列無分",
                      f"{m.en}: slower than '{slowest.label.en}', the form lists no points")
    return band.points, Msg(f"{m.zh}：{band.label.zh}", f"{m.en}: {band.label.en}")


def _score_derived(item: Item, p: PhaseObs) -> tuple[int, Msg]:
    key = "auto_transfer" if p.auto_transfer else p.outcome
    o = item.outcome(key) or item.outcome(p.outcome)
    assert o is not None  # the loader insists on answered/unanswered/out_of_order
    return o.points, o.label


def _score_answer(item: Item, answer: Any, path: str) -> tuple[int, Msg]:
    kind = item.kind
    if kind == "yesno":
        if isinstance(answer, ChoiceAnswer):
            opts = item.options
            if answer.option is None or not 1 <= answer.option <= len(opts):
                raise InputError(f"{path}.option", "a yes/no item takes true/false"
                                 + (f" or option 1–{len(opts)}" if opts else ""))
            o = opts[answer.option - 1]
            if answer.points != o.points:
                raise InputError(f"{path}.points", f"option {answer.option} earns {o.points}")
            return o.points, o.label
        if not isinstance(answer, bool):
            raise InputError(path, "a yes/no item takes true or false")
        return (item.points if answer else 0), (YES if answer else NO)
    if kind == "choice":
        if isinstance(answer, bool) or not isinstance(answer, int | ChoiceAnswer):
            allowed = ", ".join(str(p) for p in sorted({o.points for o in item.options},
                                                       reverse=True))
            raise InputError(path, f"a choice item takes its points: one of {allowed}")
        points = answer.points if isinstance(answer, ChoiceAnswer) else answer
        option = answer.option if isinstance(answer, ChoiceAnswer) else None
        if option is not None:
            if not 1 <= option <= len(item.options):
                raise InputError(f"{path}.option", f"no option {option} "
                                 f"(the item has {len(item.options)})")
            chosen = item.options[option - 1]
            if chosen.points != points:
                raise InputError(f"{path}.points", f"option {option} earns {chosen.points}, "
                                 f"not {points}")
        else:
            found = next((o for o in item.options if o.points == points), None)
            if found is None:
                allowed = ", ".join(str(p) for p in sorted({o.points for o in item.options},
                                                           reverse=True))
                raise InputError(path, f"{points} is not one of the allowed points: {allowed}")
            chosen = found
        return points, Msg(f"（{points}）{chosen.label.zh}", f"({points}) {chosen.label.en}")
    if kind == "band" and item.measure == "days":
        if not isinstance(answer, DaysAnswer):
            raise InputError(path, "reply speed takes {\"days\": d, \"points\": n} or "
                             "{\"cases\": [[received, replied], ...], \"points\": n}")
        band = _days_band(item, answer.days)
        if not band.min <= answer.points <= band.max:
            raise InputError(f"{path}.points", f"{answer.points} is outside the band "
                             f"{band.span()} for {days_text(answer.days).en} ({band.label.en})")
        measured = days_text(answer.days, len(answer.cases))
        return answer.points, Msg(f"{measured.zh}：{band.label.zh}（{band.span()}）",
                                  f"{measured.en}: {band.label.en} ({band.span()})")
    if kind == "band":
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise InputError(path, f"a band item takes its points: {_bands_text(item.bands)}")
        in_band = _band_for(item.bands, answer)
        if in_band is None:
            raise InputError(path, f"{answer} is in none of the bands {_bands_text(item.bands)}")
        return answer, Msg(f"{in_band.label.zh}（{in_band.span()}）",
                           f"{in_band.label.en} ({in_band.span()})")
    if kind == "branch":
        ids = " or ".join(f'"{b.id}"' for b in item.branches)
        if not isinstance(answer, BranchAnswer):
            raise InputError(path, f"takes {{\"branch\": {ids}, \"points\": n}}")
        branch = item.branch(answer.branch)
        if branch is None:
            raise InputError(f"{path}.branch", f"unknown branch {answer.branch!r} (use {ids})")
        in_band = _band_for(branch.bands, answer.points)
        if in_band is None:
            raise InputError(f"{path}.points", f"{answer.points} is in none of branch "
                             f"{branch.id}'s bands {_bands_text(branch.bands)}")
        return answer.points, Msg(f"{branch.id}：{in_band.label.zh}（{in_band.span()}）",
                                  f"{branch.id}: {in_band.label.en} ({in_band.span()})")
    raise InputError(path, f"{item.kind} items take no answer")  # pragma: no cover


def _check_not_when(item: Item, answer: Any, obs: Observations, path: str) -> None:
    """Refuse an option the call rules out (無忙線情形 when a line was busy)."""
    if not isinstance(answer, ChoiceAnswer) or answer.option is None:
        return
    opts = item.options
    chosen = opts[answer.option - 1] if 1 <= answer.option <= len(opts) else None
    if chosen is None or chosen.not_when is None:
        return
    if any(getattr(p, chosen.not_when, False) for p in obs.phases.values()):
        raise InputError(f"{path}.option", f"“{chosen.label.en}” cannot be the answer: the "
                         f"call was marked {chosen.not_when}; answer how it was handled")


def _days_band(item: Item, days: Fraction) -> Band:
    for b in item.bands:
        if b.upto is not None and days <= Fraction(str(b.upto)):
            return b
        if b.below is not None and days < Fraction(str(b.below)):
            return b
        if b.upto is None and b.below is None:
            return b
    return item.bands[-1]


def days_band(item: Item, days: Fraction) -> Band:
    """The band a number of days falls in (for the UI's live preview)."""
    return _days_band(item, days)


def score(rubric: Rubric, obs: Observations, partial: bool = False) -> ScoreResult:
    """Score observations against a rubric, or raise InputError naming the field.

    `partial` scores a form still being filled in: an item without its answer
    (or whose phase has no measures yet) gets status `missing` and stays out
    of the total, an answer to an item that takes none here (never reached,
    not applicable, scored by a rule) is left out; both are listed on the
    result (`missing`, `dropped`). Anything else wrong is still an InputError.
    """
    if obs.rubric != rubric.id:
        raise InputError("rubric", f"observations are for {obs.rubric!r}, not {rubric.id!r}")
    if not rubric.uses_calls:
        if obs.context is not None:
            raise InputError("context", f"belongs to a call; the {rubric.id} form has none")
        if obs.phases:
            raise InputError("phases", f"belongs to a call; the {rubric.id} form has none")
    ctx = obs.context or Context()

    rule_na: dict[str, Msg] = {}
    rule_zero: dict[str, Msg] = {}
    doubled: dict[str, Msg] = {}
    for rule in rubric.rules:
        if not rule.applies(ctx.as_dict()):
            continue
        if rule.effect == "invalid":
            raise InputError("context", rule.reason.en)
        for target in rule.targets:
            for item in rubric.covered(target):
                if rule.effect == "na":
                    rule_na.setdefault(item.id, rule.reason)
                elif rule.effect == "zero":
                    rule_zero.setdefault(item.id, rule.reason)
                elif rule.effect == "double":
                    doubled.setdefault(item.id, rule.reason)

    user_na: dict[str, str] = {}
    for target, reason in obs.na.items():
        covered = rubric.covered(target)
        if not covered:
            raise InputError(f"na.{target}", "unknown item or group of the "
                             f"{rubric.id} form")
        for item in covered:
            user_na.setdefault(item.id, reason)
    for item_id in obs.notes:
        if not rubric.has_item(item_id) and not rubric.group(item_id):
            raise InputError(f"notes.{item_id}", f"unknown item of the {rubric.id} form")

    phases = {ph.id: ph for ph in rubric.phases}
    phase_order = [ph.id for ph in rubric.phases]
    excluded = set(rule_na) | set(user_na)
    missing_phases: set[str] | None = set() if partial else None
    plan = _plan_call(rubric, obs, ctx, excluded, missing_phases) if rubric.uses_calls else None
    missing: list[str] = []
    dropped: list[str] = []

    def takes_none(item_id: str, message: str) -> None:
        """An answer given where none is taken: an error, or left out of a partial score."""
        if not partial:
            raise InputError(f"answers.{item_id}", message)
        dropped.append(item_id)

    for item_id in obs.answers:
        if not rubric.has_item(item_id):
            raise InputError(f"answers.{item_id}", f"unknown item of the {rubric.id} form")

    results: dict[str, ItemResult] = {}
    for item in rubric.items:
        path = f"answers.{item.id}"
        given = item.id in obs.answers
        factor = 2 if item.id in doubled else 1
        full = item.points * factor
        phase = phases.get(item.phase) if item.phase else None
        if phase is not None and plan is not None and not plan.applies[phase.id] \
                and item.id not in rule_na and item.id not in rule_zero:
            rule_na[item.id] = Msg(f"本次通話無{phase.label.zh}階段",
                                   f"no {phase.label.en.lower()} on this call")
        if item.id in user_na or item.id in rule_na:
            why = Msg(user_na[item.id], user_na[item.id]) if item.id in user_na \
                else rule_na[item.id]
            if given:
                takes_none(item.id, f"not applicable ({why.en}): it takes no answer")
            results[item.id] = ItemResult(item.id, None, None, "na", why)
            continue
        if item.id in rule_zero:
            if given:
                takes_none(item.id, f"scored by a rule of the form "
                           f"({rule_zero[item.id].zh}): it takes no answer")
            results[item.id] = ItemResult(item.id, 0, full, "rule", rule_zero[item.id])
            continue
        if phase is not None and plan is not None and plan.ended_at is not None:
            idx = phase_order.index(phase.id)
            if idx > plan.ended_at or (idx == plan.ended_at and item.answered):
                assert plan.ended_phase is not None
                if given:
                    takes_none(item.id, f"never reached: the call ended at "
                               f"{plan.ended_phase.id}, so this item takes no answer")
                note = _unreached_note(plan.ended_phase,
                                       plan.phase_obs.get(plan.ended_phase.id))
                results[item.id] = ItemResult(item.id, 0, full, "unreached", note)
                continue
        if missing_phases and phase is not None and phase.id in missing_phases:
            missing.append(item.id)
            results[item.id] = ItemResult(item.id, None, None, MISSING, TO_ANSWER)
            continue
        if item.kind in ("timed", "derived"):
            if given:
                raise InputError(path, f"a {item.kind} item takes no answer: it comes from "
                                 f"phases.{item.phase}")
            assert phase is not None
            p = obs.phases.get(phase.id)
            if p is None:
                raise InputError(f"phases.{phase.id}", "missing")
            if item.kind == "timed":
                pts, note = _score_timed(rubric, item, phase, p)
                if item.id in doubled:
                    note = note + Msg(f"；{doubled[item.id].zh}", f"; {doubled[item.id].en}")
            else:
                pts, note = _score_derived(item, p)
            results[item.id] = ItemResult(item.id, pts * factor, full, "scored", note)
            continue
        if not given and partial:
            missing.append(item.id)
            results[item.id] = ItemResult(item.id, None, None, MISSING, TO_ANSWER)
            continue
        if not given:
            raise InputError(path, f"missing: {item.label.en}")
        pts, note = _score_answer(item, obs.answers[item.id], path)
        _check_not_when(item, obs.answers[item.id], obs, path)
        results[item.id] = ItemResult(item.id, pts * factor, full, "scored", note)

    scored = [r for r in results.values() if r.status not in ("na", MISSING)]
    points = sum(r.points or 0 for r in scored)
    maximum = sum(r.max or 0 for r in scored)
    return ScoreResult(rubric.id, rubric.version, results,
                       Total(points, maximum, score_tenths(points, maximum)),
                       tuple(missing), tuple(dropped))
