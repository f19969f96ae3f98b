"""SCORING.md "Rings and seconds agree": under-marked rings never earn points.

A phase whose seconds were measured has rung at least 1 + floor(seconds /
cadence) times; marked rings fewer than that by two or more are replaced by
the implied count, in the score, its note, the live preview, the stored
score, `callcheck score` input and the unanswered threshold.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from callcheck.cli import main
from callcheck.errors import InputError, Refused
from callcheck.live import LiveCall
from callcheck.observations import Context
from callcheck.rubric import Rubric
from callcheck.session import Session, finish, revise, ring_disagreements, score_session
from callcheck.timing import count_rings, implied_rings, median_interval_tenths

from .clocks import Clocks
from .conftest import perfect_call, score_data


def unit(rings: int | None, seconds: float | None, **extra: Any) -> dict[str, Any]:
    data = perfect_call()
    phase: dict[str, Any] = {"outcome": "answered", **extra}
    if rings is not None:
        phase["rings"] = rings
    if seconds is not None:
        phase["seconds"] = seconds
    data["phases"]["unit"] = phase
    return data


@pytest.mark.parametrize(("rings", "seconds", "points"), [
    (1, 34.8, 2),   # implied 12 → min(8, 9) → 2
    (3, 13.0, 9),   # implied 5, 3 < 4 → rings 5 → min(1, 1) → 9
    (4, 12.0, 10),  # implied 5, 4 ≥ 4 → rings 4 → 10
    (7, 12.1, 9),   # more rings than implied are kept → min(3, 1) → 9
])
def test_the_four_worked_examples_of_scoring_md(rubrics: dict[str, Rubric], rings: int,
                                                 seconds: float, points: int) -> None:
    assert score_data(rubrics, unit(rings, seconds)).items["2.1.1"].points == points


def test_implied_rings_count_the_first_ring_at_zero(telephone: Rubric) -> None:
    assert telephone.timing is not None
    cadence = telephone.timing.ring_cadence_tenths
    assert [implied_rings(cadence, t) for t in (0, 29, 30, 348)] == [1, 1, 2, 12]


def test_one_ring_of_slack_is_left_alone(telephone: Rubric) -> None:
    assert telephone.timing is not None
    count = count_rings(telephone.timing, 4, 120)
    assert (count.implied, count.under_marked, count.used) == (5, False, 4)


def test_the_note_says_rings_were_implied_in_both_languages(rubrics: dict[str, Rubric]) -> None:
    note = score_data(rubrics, unit(1, 34.8)).items["2.1.1"].note
    assert "標記 1 聲，依 34.8 秒推算 12 聲" in note.zh
    assert "1 ring marked, 12 implied by 34.8 s" in note.en


def test_a_phase_may_record_its_own_cadence(rubrics: dict[str, Rubric]) -> None:
    # 3 rings / 13.0 s: at 3 s 5 are implied (→ 9); at one ring every 4 s, 4 (3 are kept → 10).
    assert score_data(rubrics, unit(3, 13.0)).items["2.1.1"].points == 9
    assert score_data(rubrics, unit(3, 13.0, cadence=4.0)).items["2.1.1"].points == 10
    # 1 ring in 34.8 s at 4 s: implied 9, → min(5, 9) → 5; the note names the cadence.
    result = score_data(rubrics, unit(1, 34.8, cadence=4.0)).items["2.1.1"]
    assert result.points == 5
    assert "推算 9 聲（每 4.0 秒一聲）" in result.note.zh


@pytest.mark.parametrize("cadence", [1.9, 6.1])
def test_a_cadence_outside_two_to_six_seconds_is_an_input_error(
        rubrics: dict[str, Rubric], cadence: float) -> None:
    with pytest.raises(InputError) as info:
        score_data(rubrics, unit(3, 12.0, cadence=cadence))
    assert info.value.field == "phases.unit.cadence"


def test_a_cadence_that_is_not_a_number_is_an_input_error(rubrics: dict[str, Rubric]) -> None:
    with pytest.raises(InputError) as info:
        score_data(rubrics, unit(3, 12.0, cadence="3"))
    assert info.value.field == "phases.unit.cadence"


def test_the_unanswered_threshold_counts_implied_rings(rubrics: dict[str, Rubric]) -> None:
    # 1 ring marked in 16.0 s at a 2-second cadence: 9 rings implied, the threshold is met.
    data = perfect_call()
    data["phases"]["unit"] = {"outcome": "unanswered", "rings": 1, "seconds": 16.0,
                              "cadence": 2.0}
    data["answers"] = {k: v for k, v in data["answers"].items() if not k.startswith("2.")}
    assert score_data(rubrics, data).items["2.1.1"].points == 0
    # At the rubric's 3 s the same 16.0 s implies 6 rings: hanging up was too soon.
    del data["phases"]["unit"]["cadence"]
    with pytest.raises(InputError) as info:
        score_data(rubrics, data)
    assert info.value.field == "phases.unit.outcome"


def test_callcheck_score_uses_the_implied_count(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Any) -> None:
    path = tmp_path / "call.json"
    path.write_text(json.dumps(unit(1, 30.0)), encoding="utf-8")
    assert main(["--lang", "en", "score", str(path)]) == 0
    item = json.loads(capsys.readouterr().out)["items"]["2.1.1"]
    assert item["points"] == 3  # implied 11 → min(7, 7)
    assert "11 implied by 30.0 s" in item["note"]


# --- the live call --------------------------------------------------------------------------

def live(telephone: Rubric) -> tuple[LiveCall, Clocks]:
    clocks = Clocks()
    session = Session.new(telephone, header={"agency": "基隆市選舉委員會", "tester": "王小明",
                                             "number": "02-2424-0000",
                                             "at": "2026-11-26T10:00:00+08:00"},
                          context=Context(route="direct"))
    call = LiveCall(telephone, session, clock=clocks, wall_clock=clocks.wall)
    call.start(clocks.at(0))
    return call, clocks


def answer_courtesy(session: Session) -> None:
    session.answers.update({"2.2.1": 10, "2.2.2": True, "2.2.3": 10,
                            "2.3": {"branch": "甲", "points": 20}})


def test_live_preview_and_stored_score_use_the_implied_count(telephone: Rubric) -> None:
    call, clocks = live(telephone)
    call.mark("ring", clocks.at(1.0))
    clocks.at(35.8)
    view = call.view()
    assert view.rings == 1 and view.rings_used == 12 and view.rings_behind
    assert view.points == 2  # what answering now earns, as the score will say
    call.mark("answer", clocks.at(35.8))
    assert call.view().points == 2
    call.mark("hang_up", clocks.at(90.0))
    answer_courtesy(call.session)
    finish(telephone, call.session)
    stored = call.session.result["items"]["2.1.1"]  # type: ignore[index]
    assert stored["points"] == 2
    assert "標記 1 聲，依 34.8 秒推算 12 聲" in stored["note"]
    assert "1 ring marked, 12 implied by 34.8 s" in stored["note_en"]


def test_live_give_up_counts_implied_rings_at_the_phase_cadence(telephone: Rubric) -> None:
    call, clocks = live(telephone)
    for t in (1.0, 3.0, 5.0):  # an exchange that rings every 2 s
        call.mark("ring", clocks.at(t))
    assert call.view().cadence_proposal == 20
    call.adopt_cadence(clocks.at(5.5))
    assert call.view().cadence_tenths == 20 and call.view().cadence_proposal is None
    call.mark("give_up", clocks.at(17.0))  # 16.0 s: 9 rings at one every 2 s
    assert call.ended


def test_live_give_up_before_the_threshold_is_refused_even_at_the_rubric_cadence(
        telephone: Rubric) -> None:
    call, clocks = live(telephone)
    call.mark("ring", clocks.at(1.0))
    with pytest.raises(Refused):
        call.mark("give_up", clocks.at(17.0))


def test_the_cadence_proposal_is_the_median_interval_once_three_rings_are_marked() -> None:
    assert median_interval_tenths([0.0, 4.0]) is None
    assert median_interval_tenths([0.0, 4.0, 8.1]) == 41
    assert median_interval_tenths([0.0, 4.0, 8.0, 20.0]) == 40


def test_adopting_a_cadence_is_undone_like_any_mark(telephone: Rubric) -> None:
    call, clocks = live(telephone)
    for t in (1.0, 5.0, 9.0):
        call.mark("ring", clocks.at(t))
    call.adopt_cadence(clocks.at(9.5))
    assert call.view().own_cadence
    call.undo(clocks.at(10.0))
    assert not call.view().own_cadence and call.view().rings == 3


def test_no_cadence_is_proposed_when_it_is_the_rubric_s(telephone: Rubric) -> None:
    call, clocks = live(telephone)
    for t in (1.0, 4.0, 7.0):
        call.mark("ring", clocks.at(t))
    with pytest.raises(Refused):
        call.adopt_cadence(clocks.at(8.0))


# --- review: the disagreement, and a correction that is never silent -------------------------

def test_a_correction_is_a_revision_with_a_reason_and_the_score_follows(
        telephone: Rubric) -> None:
    call, clocks = live(telephone)
    call.mark("ring", clocks.at(1.0))
    call.mark("answer", clocks.at(13.0))  # 12.0 s, 1 ring marked: implied 5
    call.mark("hang_up", clocks.at(40.0))
    answer_courtesy(call.session)
    assert set(ring_disagreements(telephone, call.session)) == {"unit"}
    assert score_session(telephone, call.session).items["2.1.1"].points == 9
    with pytest.raises(InputError):
        revise(telephone, call.session, {"rings.unit": 4}, "  ", "王小明")
    fixed = revise(telephone, call.session, {"rings.unit": 4}, "重聽錄音，確為 4 聲", "王小明")
    assert fixed.revisions[-1].changes == [{"field": "rings.unit", "old": None, "new": 4}]
    assert ring_disagreements(telephone, fixed) == {}
    result = score_session(telephone, fixed).items["2.1.1"]
    assert result.points == 10 and "4 聲（已更正）" in result.note.zh
    assert call.session.attempts[-1].rings == {}  # the original is left as it was
    assert [m.kind for m in fixed.attempts[-1].marks] == [m.kind for m in
                                                          call.session.attempts[-1].marks]


def test_a_correction_must_be_a_whole_number_of_rings_of_a_phase_that_rang(
        telephone: Rubric) -> None:
    call, clocks = live(telephone)
    call.mark("ring", clocks.at(1.0))
    call.mark("answer", clocks.at(13.0))
    call.mark("hang_up", clocks.at(40.0))
    for change in ({"rings.unit": 0}, {"rings.unit": "4"}, {"rings.operator": 4}):
        with pytest.raises(InputError):
            revise(telephone, call.session, change, "reason", "王小明")
