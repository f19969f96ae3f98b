"""docs/scoring.md §2–3: the registration and petition forms."""

from __future__ import annotations

from typing import Any

import pytest

from callcheck.errors import InputError
from callcheck.rubric import Rubric

from .conftest import score_data

REG_IDS = ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4"]


def registration(**overrides: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {k: True for k in REG_IDS}
    answers.update(overrides)
    return {"rubric": "registration", "answers": answers}


def petition(reply: dict[str, Any]) -> dict[str, Any]:
    return {"rubric": "petition", "answers": {"1": True, "2": True, "3": reply, "4": True}}


def test_registration_all_yes_scores_100(rubrics: dict[str, Rubric]) -> None:
    result = score_data(rubrics, registration())
    assert (result.total.points, result.total.max) == (100, 100)


def test_registration_points_per_item(rubrics: dict[str, Rubric]) -> None:
    result = score_data(rubrics, registration(**{"1.1": False, "2.2": False, "3.4": False}))
    assert result.total.points == 100 - 10 - 6 - 7


def test_registration_not_applicable_is_normalised(rubrics: dict[str, Rubric]) -> None:
    data = registration(**{"2.1": False})
    del data["answers"]["2.2"]
    data["na"] = {"2.2": "臨時場地無盥洗室"}
    result = score_data(rubrics, data)
    assert (result.total.points, result.total.max, result.total.score) == (88, 94, 93.6)


def test_registration_takes_no_phases_or_context(rubrics: dict[str, Rubric]) -> None:
    data = registration()
    data["context"] = {"route": "direct"}
    with pytest.raises(InputError) as info:
        score_data(rubrics, data)
    assert info.value.field == "context"
    data = registration()
    data["phases"] = {"unit": {"outcome": "answered", "rings": 1}}
    with pytest.raises(InputError) as info:
        score_data(rubrics, data)
    assert info.value.field == "phases"


def test_registration_yes_no_takes_true_or_false(rubrics: dict[str, Rubric]) -> None:
    with pytest.raises(InputError) as info:
        score_data(rubrics, registration(**{"1.3": 10}))
    assert info.value.field == "answers.1.3"


@pytest.mark.parametrize(("cases", "points", "band"), [
    ([["2026-03-01", "2026-03-03"]], 13, "一至三天。"),
    ([["2026-03-01", "2026-03-01"]], 15, "一至三天。"),  # same day = 0 days
    ([["2026-03-01", "2026-03-07"]], 8, "四至六天。"),
    ([["2026-03-01", "2026-03-14"]], 3, "一個星期以上。"),
    ([["2026-03-01", "2026-03-15"]], 0, "二個星期以上。"),
    ([["2026-03-01", "2026-03-04"], ["2026-03-01", "2026-03-05"]], 7, "四至六天。"),  # mean 3.5
])
def test_petition_reply_days_from_dates_pick_the_band(rubrics: dict[str, Rubric],
                                                      cases: list[list[str]], points: int,
                                                      band: str) -> None:
    result = score_data(rubrics, petition({"cases": cases, "points": points}))
    assert result.items["3"].points == points
    assert band in result.items["3"].note.zh


def test_petition_mean_of_cases_is_in_the_note(rubrics: dict[str, Rubric]) -> None:
    result = score_data(rubrics, petition({"cases": [["2026-03-01", "2026-03-04"],
                                                     ["2026-03-01", "2026-03-05"]],
                                           "points": 7}))
    assert result.items["3"].note.en.startswith("2 cases, mean 3.5 days")


def test_petition_days_given_directly(rubrics: dict[str, Rubric]) -> None:
    assert score_data(rubrics, petition({"days": 6, "points": 6})).items["3"].points == 6
    assert score_data(rubrics, petition({"days": 13.9, "points": 5})).items["3"].points == 5


def test_petition_points_outside_the_band_are_an_error(rubrics: dict[str, Rubric]) -> None:
    with pytest.raises(InputError) as info:
        score_data(rubrics, petition({"days": 5, "points": 13}))
    assert info.value.field == "answers.3.points"
    assert "6–10" in info.value.message


def test_petition_reply_before_receipt_is_an_error(rubrics: dict[str, Rubric]) -> None:
    with pytest.raises(InputError) as info:
        score_data(rubrics, petition({"cases": [["2026-03-05", "2026-03-01"]], "points": 13}))
    assert info.value.field == "answers.3.cases[0]"


def test_petition_bad_date_is_an_error(rubrics: dict[str, Rubric]) -> None:
    with pytest.raises(InputError) as info:
        score_data(rubrics, petition({"cases": [["2026-02-30", "2026-03-01"]], "points": 13}))
    assert info.value.field == "answers.3.cases[0]"


def test_petition_reply_speed_needs_days(rubrics: dict[str, Rubric]) -> None:
    with pytest.raises(InputError) as info:
        score_data(rubrics, petition(12))  # type: ignore[arg-type]
    assert info.value.field == "answers.3"
