"""Properties of the engine over many generated calls (hypothesis)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from callcheck.observations import parse_observations
from callcheck.rubric import Item, Rubric, load_rubrics
from callcheck.scoring import score
from callcheck.timing import speed_points

from .conftest import RUBRICS, examples

RUBRIC_SET = load_rubrics(RUBRICS)
TEL = RUBRIC_SET["telephone"]
SETTINGS = settings(max_examples=examples(300), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
RETEST = ["2026-11-26T10:00:00+08:00", "2026-11-26T10:10:00+08:00"]

rings_st = st.one_of(st.none(), st.integers(1, 30))
seconds_st = st.one_of(st.none(), st.floats(0, 90, allow_nan=False).map(lambda s: round(s, 2)))


def answer_for(item: Item, draw: Any) -> Any:
    if item.kind == "yesno":
        if item.options and draw(st.booleans()):
            return {"points": item.points, "option": draw(st.integers(1, len(item.options)))}
        return draw(st.booleans())
    if item.kind == "choice":
        n = draw(st.integers(1, len(item.options)))
        return {"points": item.options[n - 1].points, "option": n}
    if item.kind == "band" and item.measure == "days":
        days = draw(st.integers(0, 30))
        from fractions import Fraction

        from callcheck.scoring import days_band
        band = days_band(item, Fraction(days))
        return {"days": days, "points": draw(st.integers(band.min, band.max))}
    if item.kind == "band":
        band = draw(st.sampled_from(item.bands))
        return draw(st.integers(band.min, band.max))
    branch = draw(st.sampled_from(item.branches))
    band = draw(st.sampled_from(branch.bands))
    return {"branch": branch.id, "points": draw(st.integers(band.min, band.max))}


@st.composite
def phase_st(draw: Any, phase_id: str) -> dict[str, Any]:
    outcome = draw(st.sampled_from(["answered", "answered", "unanswered", "out_of_order"]))
    if outcome == "out_of_order":
        return {"outcome": outcome}
    rings, seconds = draw(rings_st), draw(seconds_st)
    if rings is None and seconds is None:
        rings = draw(st.integers(1, 30))
    data: dict[str, Any] = {"outcome": outcome}
    if rings is not None:
        data["rings"] = rings
    if seconds is not None:
        data["seconds"] = seconds
    if outcome == "unanswered":
        data["rings"] = max(data.get("rings", 0), 9)
        if phase_id == "unit":
            data["auto_transfer"] = draw(st.booleans())
        else:
            data["attempts"] = RETEST
    return data


@st.composite
def telephone_call(draw: Any) -> dict[str, Any]:
    """A valid observations file: a random context, phases, answers and exclusions."""
    context = draw(st.sampled_from([
        {"route": "switchboard", "has_ivr": True, "has_operator": True},
        {"route": "switchboard", "has_ivr": False, "has_operator": True},
        {"route": "switchboard", "has_ivr": True, "has_operator": False},
        {"route": "direct", "has_ivr": True, "has_operator": True},
    ]))
    phases: dict[str, Any] = {}
    ended_at = None
    order = []
    for n, ph in enumerate(TEL.phases):
        if ph.route and ph.route != context["route"]:
            continue
        if ph.needs and not context[ph.needs]:
            continue
        order.append(ph.id)
        data = draw(phase_st(ph.id))
        phases[ph.id] = data
        passes = data["outcome"] == "answered" or data.get("auto_transfer", False)
        if not passes:
            ended_at = n
            break
    phase_index = {p.id: n for n, p in enumerate(TEL.phases)}
    answers = {}
    for item in TEL.items:
        if not item.answered or item.phase not in order:
            continue
        if ended_at is not None and phase_index[item.phase] >= ended_at:
            continue
        answers[item.id] = answer_for(item, draw)
    return {"rubric": "telephone", "context": context, "phases": phases, "answers": answers}


def run(data: dict[str, Any]) -> Any:
    obs = parse_observations(data)
    return score(RUBRIC_SET[obs.rubric], obs)


@SETTINGS
@given(telephone_call())
def test_points_always_within_zero_and_max(data: dict[str, Any]) -> None:
    result = run(data)
    for r in result.items.values():
        if r.status == "na":
            assert r.points is None and r.max is None
        else:
            assert 0 <= r.points <= r.max
    assert 0 <= result.total.points <= result.total.max
    assert result.total.score is None or 0 <= result.total.score <= 100


@SETTINGS
@given(telephone_call())
def test_total_is_the_sum_of_its_items(data: dict[str, Any]) -> None:
    result = run(data)
    assert result.total.points == sum(r.points or 0 for r in result.items.values())
    assert result.total.max == sum(r.max or 0 for r in result.items.values())


@SETTINGS
@given(rings_st, rings_st, seconds_st, seconds_st, st.sampled_from(["operator", "unit"]))
def test_speed_points_never_increase_with_rings_or_seconds(r1: int | None, r2: int | None,
                                                           s1: float | None, s2: float | None,
                                                           phase: str) -> None:
    if r1 is None and s1 is None:
        r1 = 1
    lo_r, hi_r = (r1, r2) if r2 is None or r1 is None else sorted((r1, r2))
    if lo_r is None or hi_r is None:
        lo_r = hi_r = r1
    lo_s, hi_s = (s1, s1) if s2 is None or s1 is None else sorted((s1, s2))
    item = "1.2" if phase == "operator" else "2.1.1"
    # Rings under-marked for their seconds are scored at the count the seconds imply
    # (docs/scoring.md, "Rings and seconds agree"): fewer marked rings may then score
    # less. The property is about counts that agree with their seconds.
    for rings, seconds in ((lo_r, lo_s), (hi_r, hi_s)):
        if rings is not None and seconds is not None:
            assume(rings >= 1 + int(round(seconds * 10)) // 30 - 1)

    def points(rings: int | None, seconds: float | None) -> int:
        from .conftest import perfect_call
        data = perfect_call()
        data["phases"][phase] = {"outcome": "answered"}
        if rings is not None:
            data["phases"][phase]["rings"] = rings
        if seconds is not None:
            data["phases"][phase]["seconds"] = seconds
        return run(data).items[item].points

    assert points(hi_r, hi_s) <= points(lo_r, lo_s)


@SETTINGS
@given(st.integers(1, 40), st.integers(0, 900), st.integers(0, 5), st.integers(0, 60))
def test_speed_points_monotonic_in_pure_timing(rings: int, tenths: int, more_rings: int,
                                               more_tenths: int) -> None:
    t = TEL.timing
    assert speed_points(t, 10, rings + more_rings, tenths + more_tenths) <= \
        speed_points(t, 10, rings, tenths)


@SETTINGS
@given(telephone_call(), st.data())
def test_marking_not_applicable_never_changes_another_item(data: dict[str, Any],
                                                           pick: st.DataObject) -> None:
    before = run(data)
    targets = [i.id for i in TEL.items] + [g.id for g in TEL.groups]
    target = pick.draw(st.sampled_from(targets))
    covered = {i.id for i in TEL.covered(target)}
    after_data = copy.deepcopy(data)
    for item_id in covered:
        after_data["answers"].pop(item_id, None)
    after_data["na"] = {target: "不適用於本機關"}
    after = run(after_data)
    for item_id, r in after.items.items():
        if item_id in covered:
            assert r.status == "na"
        else:
            assert (r.points, r.max, r.status) == (before.items[item_id].points,
                                                   before.items[item_id].max,
                                                   before.items[item_id].status)


@st.composite
def simple_form(draw: Any, rubric: Rubric) -> dict[str, Any]:
    return {"rubric": rubric.id, "answers": {i.id: answer_for(i, draw) for i in rubric.items}}


@SETTINGS
@given(st.sampled_from(["registration", "petition"]).flatmap(
    lambda rid: simple_form(RUBRIC_SET[rid])))
def test_other_forms_stay_within_bounds_and_add_up(data: dict[str, Any]) -> None:
    result = run(data)
    assert 0 <= result.total.points <= result.total.max == 100
    assert result.total.points == sum(r.points for r in result.items.values())
