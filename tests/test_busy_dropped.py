"""SCORING.md "Busy and dropped lines": 忙線 and 斷線, in the engine, the live call and files."""

from __future__ import annotations

from typing import Any

import pytest

from callcheck.errors import InputError, Refused
from callcheck.live import LiveCall
from callcheck.observations import Context, parse_observations
from callcheck.preview import preview
from callcheck.rubric import Rubric
from callcheck.scoring import score
from callcheck.session import Session, finish, score_session, session_from_observations

from .clocks import Clocks
from .conftest import perfect_call, score_data


def busy_unit(**unit: Any) -> dict[str, Any]:
    data = perfect_call()
    data["phases"]["unit"] = {"outcome": "unanswered", "busy": True, **unit}
    data["answers"] = {k: v for k, v in data["answers"].items() if not k.startswith("2.")}
    data["answers"]["1.3.7"] = {"points": 2, "option": 1}  # the operator explained politely
    return data


def test_busy_unit_nobody_takes_it_unanswered_without_the_threshold(
        rubrics: dict[str, Rubric]) -> None:
    result = score_data(rubrics, busy_unit())
    assert result.items["2.1.1"].points == 0
    assert result.items["2.1.2"].points == 0
    assert "忙線" in result.items["2.1.1"].note.zh and "busy" in result.items["2.1.1"].note.en
    for item in ("2.2.1", "2.2.2", "2.2.3", "2.3"):
        assert result.items[item].status == "unreached"
        assert "忙線" in result.items[item].note.zh
    assert result.items["1.3.7"].points == 2


def test_busy_unit_passed_on_automatically_keeps_2_1_2(rubrics: dict[str, Rubric]) -> None:
    data = busy_unit(auto_transfer=True)
    data["answers"].update({"2.2.1": 10, "2.2.2": True, "2.2.3": 10,
                            "2.3": {"branch": "乙", "points": 14}})
    result = score_data(rubrics, data)
    assert (result.items["2.1.1"].points, result.items["2.1.2"].points) == (0, 5)


def test_busy_unit_answered_by_a_substitute_goes_on(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["unit"] = {"outcome": "answered", "busy": True, "rings": 2, "seconds": 3.5}
    data["answers"]["1.3.7"] = {"points": 2, "option": 1}
    data["answers"]["2.3"] = {"branch": "乙", "points": 16}
    result = score_data(rubrics, data)
    assert result.items["2.1.1"].points == 10 and result.items["2.3"].points == 16


def test_not_busy_is_no_answer_to_1_3_7_when_the_unit_was_busy(
        rubrics: dict[str, Rubric]) -> None:
    data = busy_unit()
    data["answers"]["1.3.7"] = {"points": 2, "option": 3}  # 業務單位無忙線情形
    with pytest.raises(InputError) as info:
        score_data(rubrics, data)
    assert info.value.field == "answers.1.3.7.option"


def test_only_the_unit_line_is_busy(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["operator"]["busy"] = True
    with pytest.raises(InputError) as info:
        score_data(rubrics, data)
    assert info.value.field == "phases.operator.busy"


def test_a_busy_answered_unit_still_needs_its_measures(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["unit"] = {"outcome": "answered", "busy": True}
    with pytest.raises(InputError) as info:
        score_data(rubrics, data)
    assert info.value.field == "phases.unit.rings"


def test_a_drop_after_the_unit_answered_scores_like_a_hang_up(
        rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["unit"]["dropped"] = True
    assert score_data(rubrics, data).total.points == 100


@pytest.mark.parametrize("phase", ["ivr", "operator"])
def test_a_drop_before_the_unit_answered_is_not_scored(rubrics: dict[str, Rubric],
                                                       phase: str) -> None:
    data = perfect_call()
    data["phases"][phase]["dropped"] = True
    with pytest.raises(InputError) as info:
        score_data(rubrics, data)
    assert info.value.field == f"phases.{phase}.dropped"
    assert "dial again" in info.value.message


@pytest.mark.parametrize("data", [
    busy_unit(), busy_unit(seconds=6.0, rings=2),
])
def test_saved_files_replay_to_the_same_score(rubrics: dict[str, Rubric],
                                              data: dict[str, Any]) -> None:
    rubric = rubrics["telephone"]
    obs = parse_observations(data)
    result = score(rubric, obs)
    session = session_from_observations(rubric, obs, result)
    assert score_session(rubric, session).as_json() == result.as_json()


def test_saved_files_with_cadence_and_drop_replay_to_the_same_score(
        rubrics: dict[str, Rubric]) -> None:
    rubric = rubrics["telephone"]
    data = perfect_call()
    data["phases"]["unit"] = {"outcome": "answered", "rings": 1, "seconds": 34.8,
                              "cadence": 4.0, "dropped": True}
    obs = parse_observations(data)
    result = score(rubric, obs)
    session = session_from_observations(rubric, obs, result)
    assert score_session(rubric, session).as_json() == result.as_json()
    assert [m.kind for m in session.attempts[-1].marks][-1] == "dropped"


# --- the live call ------------------------------------------------------------------------

def live(telephone: Rubric) -> tuple[LiveCall, Clocks]:
    clocks = Clocks()
    session = Session.new(telephone, header={"agency": "基隆市選舉委員會", "tester": "王小明",
                                             "number": "02-2424-0000",
                                             "at": "2026-11-26T10:00:00+08:00"},
                          context=Context(has_ivr=False))
    call = LiveCall(telephone, session, clock=clocks, wall_clock=clocks.wall)
    call.start(clocks.at(0))
    return call, clocks


def to_unit(call: LiveCall, clocks: Clocks) -> None:
    call.mark("ring", clocks.at(1.0))
    call.mark("answer", clocks.at(2.0))
    call.mark("transfer", clocks.at(5.0))


def test_live_busy_is_refused_at_the_switchboard(telephone: Rubric) -> None:
    call, clocks = live(telephone)
    with pytest.raises(Refused) as info:
        call.mark("busy", clocks.at(1.0))
    assert "總機人員" in info.value.reason.zh


def test_live_busy_unit_may_be_given_up_at_once(telephone: Rubric) -> None:
    call, clocks = live(telephone)
    to_unit(call, clocks)
    call.mark("busy", clocks.at(6.0))
    assert call.view().busy and call.view().unanswered_reached is False  # not ringing
    call.mark("give_up", clocks.at(8.0))
    assert call.ended and not call.pending_retest
    call.session.answers.update({k: True for k in ("1.3.1", "1.3.2", "1.3.3", "1.3.4",
                                                   "1.3.6")})
    call.session.answers.update({"1.3.5": 3, "1.3.7": {"points": 0, "option": 2}, "1.3.8": 2})
    finish(telephone, call.session)
    items = call.session.result["items"]  # type: ignore[index]
    assert (items["2.1.1"]["points"], items["2.1.2"]["points"]) == (0, 0)
    assert [m.kind for m in call.session.attempts[0].marks][-2:] == ["busy", "give_up"]


def test_live_busy_then_a_substitute_answers(telephone: Rubric) -> None:
    call, clocks = live(telephone)
    to_unit(call, clocks)
    call.mark("busy", clocks.at(6.0))
    with pytest.raises(Refused):
        call.mark("busy", clocks.at(6.5))
    call.mark("ring", clocks.at(9.0))
    call.mark("answer", clocks.at(12.0))
    assert call.state.phase.outcome == "answered"


def test_live_drop_before_the_unit_answered_redials_at_once(telephone: Rubric) -> None:
    call, clocks = live(telephone)
    to_unit(call, clocks)
    call.mark("ring", clocks.at(6.0))
    call.mark("dropped", clocks.at(8.0))
    assert call.ended and call.dropped
    assert call.session.status == "draft" and call.session.due_at is None
    assert preview(telephone, call.session).error is not None  # nothing to score yet
    with pytest.raises(Refused):
        call.mark("ring", clocks.at(9.0))
    call.redial(clocks.at(10.0))  # no ten-minute wait
    assert call.attempt_number == 2 and not call.ended
    to_unit(call, clocks)
    call.mark("ring", clocks.at(6.0))
    call.mark("answer", clocks.at(7.0))
    call.mark("hang_up", clocks.at(30.0))
    call.session.answers.update({k: True for k in ("1.3.1", "1.3.2", "1.3.3", "1.3.4",
                                                   "1.3.6", "2.2.2")})
    call.session.answers.update({"1.3.5": 3, "1.3.7": 2, "1.3.8": 2, "2.2.1": 10,
                                 "2.2.3": 10, "2.3": {"branch": "甲", "points": 20}})
    assert score_session(telephone, call.session).total.points == 100


def test_live_drop_after_the_unit_answered_ends_the_call(telephone: Rubric) -> None:
    call, clocks = live(telephone)
    to_unit(call, clocks)
    call.mark("ring", clocks.at(6.0))
    call.mark("answer", clocks.at(7.0))
    call.mark("dropped", clocks.at(20.0))
    assert call.ended and not call.dropped
    with pytest.raises(Refused):
        call.redial(clocks.at(21.0))


def test_undo_takes_back_a_drop(telephone: Rubric) -> None:
    call, clocks = live(telephone)
    call.mark("ring", clocks.at(1.0))
    call.mark("dropped", clocks.at(2.0))
    call.undo(clocks.at(2.5))
    assert not call.ended and not call.dropped


def test_after_a_busy_line_the_answer_key_skips_not_busy(telephone: Rubric) -> None:
    """1.3.7's 業務單位無忙線情形 is never offered once the unit's line was marked busy."""
    from callcheck.answers import cycle

    call, clocks = live(telephone)
    to_unit(call, clocks)
    seen = [cycle(telephone, call.session, "1.3.7") for _ in range(4)]
    assert {"points": 2, "option": 3} in seen  # offered while nothing was busy
    call.mark("busy", clocks.at(6.0))
    seen = [cycle(telephone, call.session, "1.3.7") for _ in range(4)]
    seen += [cycle(telephone, call.session, "1.3.7", step=-1) for _ in range(4)]
    assert {"points": 2, "option": 3} not in seen
    assert {"points": 0, "option": 2} in seen
