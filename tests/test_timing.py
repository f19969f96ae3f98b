"""Time math: tenths, answer-speed deductions, bands, cadence and timeline replay."""

from __future__ import annotations

import pytest

from callcheck.rubric import Rubric
from callcheck.timing import (
    Mark,
    MarkRefused,
    expected_rings,
    fmt_tenths,
    past_full_marks,
    replay,
    speed_band,
    speed_deduction,
    speed_points,
    to_tenths,
    unanswered_reached,
)


@pytest.mark.parametrize(("seconds", "tenths"), [
    (10.04, 100), (10.05, 101), (16.2, 162), (0, 0), (13.0, 130), (9.95, 100), ("13.15", 132),
])
def test_seconds_round_half_up_to_tenths(seconds: float, tenths: int) -> None:
    assert to_tenths(seconds) == tenths


def test_fmt_tenths_shows_one_decimal() -> None:
    assert fmt_tenths(162) == "16.2"
    assert fmt_tenths(5) == "0.5"


@pytest.mark.parametrize(("rings", "seconds", "points"), [
    (6, 16.2, 8),     # by rings 2, by seconds 3: the lesser counts
    (None, 13.0, 9),  # started 3 s: 10.0 < 13.0 ≤ 13.0 → 1
    (None, 13.1, 8),
    (None, 10.04, 10),  # rounds to 10.0
    (None, 10.05, 9),   # rounds to 10.1
    (4, 30.0, 10),      # 4 rings is in time whatever the seconds
    (12, 9.0, 10),      # 10 s is in time whatever the rings
    (7, None, 7),
    (30, None, 0),      # never below zero
])
def test_answer_speed_examples_from_scoring_md(telephone: Rubric, rings: int | None,
                                               seconds: float | None, points: int) -> None:
    tenths = None if seconds is None else to_tenths(seconds)
    assert speed_points(telephone.timing, 10, rings, tenths) == points


def test_deduction_policy_greater_takes_the_larger_deduction(telephone: Rubric) -> None:
    from dataclasses import replace

    greater = replace(telephone.timing, deduction_policy="greater")
    assert speed_deduction(greater, 6, 162) == 3
    rings_only = replace(telephone.timing, deduction_policy="rings")
    assert speed_deduction(rings_only, 6, 162) == 2


def test_three_ring_agencies_change_only_the_rubric_number(telephone: Rubric) -> None:
    from dataclasses import replace

    three = replace(telephone.timing, full_marks_rings=3)
    assert speed_points(three, 10, 4, None) == 9


def test_voice_system_bands(telephone: Rubric) -> None:
    bands = telephone.item("1.1.1").speed_bands
    assert speed_band(bands, 4, 120).points == 5
    assert speed_band(bands, 5, 150).points == 3
    assert speed_band(bands, None, 150).points == 3
    assert speed_band(bands, 6, 151) is None


def test_expected_rings_follow_the_three_second_cadence(telephone: Rubric) -> None:
    t = telephone.timing
    assert [expected_rings(t, x) for x in (0, 29, 30, 59, 60, 100)] == [1, 1, 2, 2, 3, 4]


def test_thresholds(telephone: Rubric) -> None:
    t = telephone.timing
    assert not past_full_marks(t, 4, 120)
    assert past_full_marks(t, 5, 101)
    assert not unanswered_reached(t, 8, 199)
    assert unanswered_reached(t, 9, 150)
    assert unanswered_reached(t, 5, 200)


PHASES = ("ivr", "operator", "unit")


def marks(*spec: tuple[float, str]) -> list[Mark]:
    return [Mark(t, kind, "") for t, kind in spec]


def test_replay_measures_from_first_ring_to_answer() -> None:
    state = replay(marks((0, "dial"), (2.0, "ring"), (5.0, "ring"), (8.1, "answer")), PHASES)
    ivr = state.get("ivr")
    assert ivr.outcome == "answered"
    assert ivr.measured() == (2, 61)


def test_replay_undo_takes_back_the_last_mark() -> None:
    state = replay(marks((0, "dial"), (1.0, "ring"), (1.2, "ring"), (1.3, "undo"),
                         (4.0, "ring"), (5.0, "answer")), PHASES)
    assert state.get("ivr").measured() == (2, 40)


def test_replay_transfer_moves_to_the_next_phase() -> None:
    state = replay(marks((1, "ring"), (2, "answer"), (10, "transfer"), (11, "ring"),
                         (12, "ring"), (13, "answer")), PHASES)
    assert state.current == 1
    assert state.get("operator").measured() == (2, 20)


def test_replay_answer_without_ring_counts_one_ring() -> None:
    state = replay(marks((0, "dial"), (3.0, "answer")), PHASES)
    assert state.get("ivr").measured() == (1, 0)


def test_replay_refuses_a_ring_after_the_answer() -> None:
    with pytest.raises(MarkRefused):
        replay(marks((1, "ring"), (2, "answer"), (3, "ring")), PHASES)


def test_replay_auto_transfer_keeps_the_unit_unanswered() -> None:
    state = replay(marks((1, "ring"), (25, "auto_transfer"), (30, "answer")), ("unit",))
    unit = state.get("unit")
    assert unit.outcome == "unanswered" and unit.auto_transfer
    assert unit.measured() == (1, 240)
