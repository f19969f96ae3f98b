"""Every rule of docs/scoring.md §1 (telephone), with its worked examples and input errors."""

from __future__ import annotations

from typing import Any

import pytest

from callcheck.errors import InputError
from callcheck.rubric import Rubric
from callcheck.scoring import score_tenths

from .conftest import perfect_call, score_data

RETEST = ["2026-11-26T10:00:00+08:00", "2026-11-26T10:12:00+08:00"]


def items(result: Any) -> dict[str, Any]:
    return {k: (v.points, v.max, v.status) for k, v in result.items.items()}


def error(rubrics: dict[str, Rubric], data: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        score_data(rubrics, data)
    return info.value


def test_perfect_call_scores_100(rubrics: dict[str, Rubric]) -> None:
    result = score_data(rubrics, perfect_call())
    assert (result.total.points, result.total.max, result.total.score) == (100, 100, 100.0)
    assert all(r.status == "scored" for r in result.items.values())
    assert set(result.items) == {i.id for i in rubrics["telephone"].items}


# --- answer speed -------------------------------------------------------------------

@pytest.mark.parametrize(("phase", "item"), [("operator", "1.2"), ("unit", "2.1.1")])
@pytest.mark.parametrize(("rings", "seconds", "points"), [
    (6, 16.2, 8), (None, 13.0, 9), (None, 13.1, 8), (None, 10.04, 10),
])
def test_answer_speed_worked_examples(rubrics: dict[str, Rubric], phase: str, item: str,
                                      rings: int | None, seconds: float, points: int) -> None:
    data = perfect_call()
    data["phases"][phase] = {"outcome": "answered", "seconds": seconds}
    if rings is not None:
        data["phases"][phase]["rings"] = rings
    assert score_data(rubrics, data).items[item].points == points


def test_speed_note_says_why_in_the_testers_words(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["operator"] = {"outcome": "answered", "rings": 6, "seconds": 16.2}
    result = score_data(rubrics, data)
    assert result.items["1.2"].note.zh == "6 聲 / 16.2 秒：−2"
    assert result.items["1.2"].note.en == "6 rings / 16.2 s: −2"


def test_seconds_are_rounded_before_scoring(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["unit"] = {"outcome": "answered", "seconds": 13.04}
    assert score_data(rubrics, data).items["2.1.1"].points == 9


# --- the voice system -----------------------------------------------------------------

@pytest.mark.parametrize(("rings", "seconds", "points"), [
    (4, 11.9, 5), (6, 10.0, 5), (5, 16.0, 3), (7, 15.0, 3), (6, 15.1, 0), (None, 15.0, 3),
    (6, None, 0),
])
def test_voice_system_bands(rubrics: dict[str, Rubric], rings: int | None,
                            seconds: float | None, points: int) -> None:
    data = perfect_call()
    data["phases"]["ivr"] = {"outcome": "answered"}
    if rings is not None:
        data["phases"]["ivr"]["rings"] = rings
    if seconds is not None:
        data["phases"]["ivr"]["seconds"] = seconds
    assert score_data(rubrics, data).items["1.1.1"].points == points


# --- outcomes, retests and unreached items --------------------------------------------

def test_unanswered_switchboard_twice_ten_minutes_apart_scores_zero(
        rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["operator"] = {"outcome": "unanswered", "rings": 9, "seconds": 26.0,
                                  "attempts": RETEST}
    del data["phases"]["unit"]
    data["answers"] = {"1.1.2": 5}
    result = score_data(rubrics, data)
    assert result.items["1.2"].points == 0
    assert "unanswered twice" in result.items["1.2"].note.en
    assert result.items["1.3.1"].status == "unreached"
    assert result.items["2.3"].status == "unreached"
    assert (result.total.points, result.total.max) == (10, 100)


def test_scoring_md_output_example_totals_10_of_80(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["operator"] = {"outcome": "unanswered", "rings": 9, "seconds": 26.0,
                                  "attempts": RETEST}
    del data["phases"]["unit"]
    data["answers"] = {"1.1.2": 5}
    data["na"] = {"2.3": "reason, required"}
    result = score_data(rubrics, data)
    assert result.items["1.1.1"].as_json("en") == {
        "points": 5, "max": 5, "status": "scored",
        "note": "2 rings / 4.1 s: Answered within 4 rings or 10 seconds."}
    assert result.items["2.3"].as_json() == {"points": None, "max": None, "status": "na",
                                             "note": "reason, required"}
    assert result.total.as_json() == {"points": 10, "max": 80, "score": 12.5}


def test_unanswered_switchboard_without_attempts_needs_a_retest(
        rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["operator"] = {"outcome": "unanswered", "rings": 9, "seconds": 26.0}
    del data["phases"]["unit"]
    e = error(rubrics, data)
    assert e.field == "phases.operator.attempts"
    assert "retest" in e.message


def test_one_attempt_error_says_when_the_retest_is_due(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["operator"] = {"outcome": "unanswered", "rings": 9,
                                  "attempts": ["2026-11-26T10:00:00+08:00"]}
    del data["phases"]["unit"]
    e = error(rubrics, data)
    assert e.field == "phases.operator.attempts"
    assert "2026-11-26T10:10:00+08:00" in e.message


def test_retest_sooner_than_ten_minutes_is_refused(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["ivr"] = {"outcome": "unanswered", "seconds": 21.0,
                             "attempts": ["2026-11-26T10:00:00+08:00",
                                          "2026-11-26T10:09:59+08:00"]}
    del data["phases"]["operator"], data["phases"]["unit"]
    e = error(rubrics, data)
    assert e.field == "phases.ivr.attempts"
    assert "10:10:00" in e.message


def test_attempts_without_offset_are_taipei_time(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["ivr"] = {"outcome": "unanswered", "rings": 10,
                             "attempts": ["2026-11-26T10:00:00", "2026-11-26T02:10:00Z"]}
    del data["phases"]["operator"], data["phases"]["unit"]
    data["answers"] = {}
    result = score_data(rubrics, data)
    assert result.items["1.1.1"].points == 0


def test_hanging_up_before_nine_rings_or_20_s_is_not_unanswered(
        rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["operator"] = {"outcome": "unanswered", "rings": 8, "seconds": 19.9,
                                  "attempts": RETEST}
    e = error(rubrics, data)
    assert e.field == "phases.operator.outcome"
    assert "9 rings or 20.0 s" in e.message


def test_out_of_order_switchboard_scores_zero_without_retest(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["operator"] = {"outcome": "out_of_order"}
    del data["phases"]["unit"]
    data["answers"] = {"1.1.2": 5}
    result = score_data(rubrics, data)
    assert result.items["1.2"].points == 0
    assert result.items["1.2"].note.en == "line out of order"
    assert result.items["2.1.2"].status == "unreached"


def test_out_of_order_voice_system_leaves_its_message_item_unreached(
        rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"] = {"ivr": {"outcome": "out_of_order"}}
    data["answers"] = {}
    result = score_data(rubrics, data)
    assert items(result)["1.1.1"] == (0, 5, "scored")
    assert items(result)["1.1.2"] == (0, 5, "unreached")
    assert result.total.points == 0


def test_unit_unanswered_with_auto_transfer(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["unit"] = {"outcome": "unanswered", "rings": 10, "seconds": 28.0,
                              "auto_transfer": True}
    data["answers"]["2.3"] = {"branch": "乙", "points": 14}
    result = score_data(rubrics, data)
    assert result.items["2.1.1"].points == 0
    assert result.items["2.1.2"].points == 5
    assert result.items["2.2.1"].status == "scored"
    assert result.items["2.3"].points == 14


def test_unit_unanswered_without_transfer_leaves_the_rest_unreached(
        rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["unit"] = {"outcome": "unanswered", "rings": 10, "seconds": 28.0}
    for k in ("2.2.1", "2.2.2", "2.2.3", "2.3"):
        del data["answers"][k]
    result = score_data(rubrics, data)
    assert items(result)["2.1.1"] == (0, 10, "scored")
    assert items(result)["2.1.2"] == (0, 5, "scored")
    assert {items(result)[k][2] for k in ("2.2.1", "2.2.2", "2.2.3", "2.3")} == {"unreached"}
    assert result.total.points == 40  # the switchboard part only


def test_unit_out_of_order_scores_the_derived_item_zero(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["unit"] = {"outcome": "out_of_order"}
    for k in ("2.2.1", "2.2.2", "2.2.3", "2.3"):
        del data["answers"][k]
    result = score_data(rubrics, data)
    assert items(result)["2.1.2"] == (0, 5, "scored")
    assert result.items["2.1.2"].note.zh == "電話故障。"


def test_unit_is_not_retested(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["unit"] = {"outcome": "unanswered", "rings": 10, "attempts": RETEST}
    e = error(rubrics, data)
    assert e.field == "phases.unit.attempts"


def test_answering_an_unreached_item_is_an_error(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["unit"] = {"outcome": "unanswered", "rings": 10}
    e = error(rubrics, data)
    assert e.field == "answers.2.2.1"
    assert "never reached" in e.message


def test_phase_data_for_a_phase_never_reached_is_an_error(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["operator"] = {"outcome": "out_of_order"}
    e = error(rubrics, data)
    assert e.field == "phases.unit"


# --- context ---------------------------------------------------------------------------

def test_direct_line_excludes_the_switchboard_part(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["context"] = {"route": "direct"}
    data["phases"] = {"unit": {"outcome": "answered", "rings": 6, "seconds": 16.2}}
    data["answers"] = {k: v for k, v in data["answers"].items() if k.startswith("2")}
    result = score_data(rubrics, data)
    assert {result.items[i.id].status for i in rubrics["telephone"].items
            if i.id.startswith("1")} == {"na"}
    assert (result.total.points, result.total.max, result.total.score) == (58, 60, 96.7)


def test_no_voice_system_doubles_the_operator_speed(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["context"]["has_ivr"] = False
    del data["phases"]["ivr"]
    del data["answers"]["1.1.2"]
    data["phases"]["operator"] = {"outcome": "answered", "rings": 6, "seconds": 16.2}
    result = score_data(rubrics, data)
    assert items(result)["1.2"] == (16, 20, "scored")
    assert items(result)["1.1.1"] == (None, None, "na")
    assert "無電話語音系統" in result.items["1.1.1"].note.zh
    assert result.total.max == 100


def test_no_operator_scores_courtesy_zero_by_rule(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["context"]["has_operator"] = False
    del data["phases"]["operator"]
    data["answers"] = {k: v for k, v in data["answers"].items() if not k.startswith("1.3")}
    result = score_data(rubrics, data)
    assert {items(result)[f"1.3.{n}"][2] for n in range(1, 9)} == {"rule"}
    assert result.items["1.3.1"].note.zh == "無總機人員本項不給分"
    assert items(result)["1.2"][2] == "na"
    assert (result.total.points, result.total.max) == (70, 90)


def test_answering_an_item_the_rule_scores_is_an_error(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["context"]["has_operator"] = False
    del data["phases"]["operator"]
    e = error(rubrics, data)
    assert e.field == "answers.1.3.1"


def test_switchboard_with_neither_voice_nor_operator_is_an_error(
        rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["context"] = {"route": "switchboard", "has_ivr": False, "has_operator": False}
    e = error(rubrics, data)
    assert e.field == "context"
    assert "direct" in e.message


def test_phase_that_cannot_happen_in_the_context_is_an_error(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["context"]["has_ivr"] = False
    del data["answers"]["1.1.2"]
    e = error(rubrics, data)
    assert e.field == "phases.ivr"


def test_context_defaults_to_a_switchboard_with_both(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    del data["context"]
    assert score_data(rubrics, data).total.points == 100


# --- not applicable ---------------------------------------------------------------------

def test_not_applicable_item_is_left_out_of_points_and_max(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    del data["answers"]["1.3.7"]
    data["na"] = {"1.3.7": "本機關無分機忙線轉接"}
    result = score_data(rubrics, data)
    assert items(result)["1.3.7"] == (None, None, "na")
    assert result.items["1.3.7"].note.zh == "本機關無分機忙線轉接"
    assert (result.total.points, result.total.max, result.total.score) == (98, 98, 100.0)


def test_not_applicable_group_excludes_each_of_its_items(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    for n in range(1, 9):
        data["answers"].pop(f"1.3.{n}")
    data["na"] = {"1.3": "總機由語音系統代理"}
    result = score_data(rubrics, data)
    assert result.total.max == 80


def test_not_applicable_without_reason_is_an_error(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    del data["answers"]["1.3.7"]
    data["na"] = {"1.3.7": "  "}
    e = error(rubrics, data)
    assert e.field == "na.1.3.7"
    assert "reason" in e.message


def test_answering_a_not_applicable_item_is_an_error(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["na"] = {"1.3.7": "不適用"}
    assert error(rubrics, data).field == "answers.1.3.7"


def test_not_applicable_unknown_id_is_an_error(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["na"] = {"9.9": "x"}
    assert error(rubrics, data).field == "na.9.9"


# --- answers ------------------------------------------------------------------------------

@pytest.mark.parametrize(("item", "value", "field"), [
    ("9.1", True, "answers.9.1"),
    ("1.1.2", 4, "answers.1.1.2"),
    ("1.3.1", 3, "answers.1.3.1"),
    ("2.2.3", 11, "answers.2.2.3"),
    ("2.3", {"branch": "丙", "points": 16}, "answers.2.3.branch"),
    ("2.3", {"branch": "甲", "points": 4}, "answers.2.3.points"),
    ("2.3", 18, "answers.2.3"),
    ("1.2", 10, "answers.1.2"),
    ("2.1.2", 5, "answers.2.1.2"),
])
def test_bad_answers_name_the_field(rubrics: dict[str, Rubric], item: str, value: Any,
                                    field: str) -> None:
    data = perfect_call()
    data["answers"][item] = value
    assert error(rubrics, data).field == field


def test_missing_answer_to_a_reachable_item_is_an_error(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    del data["answers"]["2.2.2"]
    e = error(rubrics, data)
    assert e.field == "answers.2.2.2"
    assert "missing" in e.message


def test_conditional_full_marks_are_options(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["answers"]["1.3.5"] = {"points": 3, "option": 4}
    data["answers"]["1.3.6"] = {"points": 2, "option": 1}
    data["answers"]["1.3.7"] = {"points": 2, "option": 3}
    result = score_data(rubrics, data)
    assert result.total.points == 100
    assert "毋需轉接" in result.items["1.3.5"].note.zh
    assert result.items["1.3.7"].note.zh.endswith("業務單位無忙線情形")


def test_branch_yi_has_five_bands(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["answers"]["2.3"] = {"branch": "乙", "points": 4}
    assert score_data(rubrics, data).items["2.3"].points == 4
    data["answers"]["2.3"] = {"branch": "甲", "points": 4}
    assert error(rubrics, data).field == "answers.2.3.points"


@pytest.mark.parametrize(("phase", "field"), [
    ({"outcome": "answered"}, "phases.unit.rings"),
    ({"outcome": "ringing", "rings": 2}, "phases.unit.outcome"),
    ({"outcome": "answered", "rings": -1}, "phases.unit.rings"),
    ({"outcome": "answered", "seconds": "3"}, "phases.unit.seconds"),
    ({"outcome": "out_of_order", "rings": 3}, "phases.unit.rings"),
    ({"outcome": "answered", "rings": 2, "extra": 1}, "phases.unit.extra"),
])
def test_bad_phase_data_names_the_field(rubrics: dict[str, Rubric], phase: dict[str, Any],
                                        field: str) -> None:
    data = perfect_call()
    data["phases"]["unit"] = phase
    assert error(rubrics, data).field == field


def test_auto_transfer_belongs_to_the_unit_only(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["phases"]["operator"] = {"outcome": "unanswered", "rings": 10, "auto_transfer": True,
                                  "attempts": RETEST}
    assert error(rubrics, data).field == "phases.operator.auto_transfer"


def test_missing_phase_is_an_error(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    del data["phases"]["operator"]
    assert error(rubrics, data).field == "phases.operator"


def test_meta_time_without_offset_is_taipei(rubrics: dict[str, Rubric]) -> None:
    from callcheck.observations import parse_observations

    data = perfect_call()
    data["meta"]["at"] = "2026-11-26T10:00:00"
    assert parse_observations(data).meta["at"] == "2026-11-26T10:00:00+08:00"


def test_bad_meta_names_the_field(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["meta"]["at"] = "yesterday"
    assert error(rubrics, data).field == "meta.at"
    data = perfect_call()
    data["meta"]["agnecy"] = "x"
    assert error(rubrics, data).field == "meta.agnecy"


# --- totals -----------------------------------------------------------------------------

@pytest.mark.parametrize(("points", "maximum", "tenths"), [
    (10, 80, 125), (1, 80, 13), (58, 60, 967), (2, 3, 667), (0, 60, 0), (100, 100, 1000),
])
def test_score_is_rounded_half_up_to_a_tenth(points: int, maximum: int, tenths: int) -> None:
    assert score_tenths(points, maximum) == tenths


def test_score_of_nothing_scored_is_null() -> None:
    assert score_tenths(0, 0) is None
