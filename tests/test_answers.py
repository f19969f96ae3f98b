"""The core's one vocabulary of answers: choices, next/previous, every answer, words."""

from __future__ import annotations

from fractions import Fraction

import pytest

from callcheck.answers import (
    all_answers,
    answer_msg,
    choices,
    cycle,
    days_text,
    measure_text,
    next_answer,
    previous_answer,
    same_answer,
)
from callcheck.observations import parse_answer
from callcheck.rubric import Rubric
from callcheck.session import Session


@pytest.mark.parametrize("kind", ["yesno", "choice", "band", "branch"])
def test_previous_undoes_next_for_every_kind(telephone: Rubric, kind: str) -> None:
    items = [i for i in telephone.items if i.kind == kind and choices(i)]
    assert items
    for item in items:
        value = None
        for _ in range(len(choices(item))):
            after = next_answer(item, value)
            assert previous_answer(item, after) == (value if value is not None
                                                   else choices(item)[-1].value)
            value = after
        assert next_answer(item, value) == choices(item)[0].value  # the cycle wraps


def test_previous_from_unanswered_is_the_last_choice(telephone: Rubric) -> None:
    item = telephone.item("2.2.3")
    assert previous_answer(item, None) == choices(item)[-1].value


def test_cycle_goes_back_with_step_minus_one(telephone: Rubric) -> None:
    session = Session.new(telephone)
    assert cycle(telephone, session, "1.3.8") == {"points": 2, "option": 1}
    assert cycle(telephone, session, "1.3.8", step=-1) == {"points": 0, "option": 3}


def test_every_allowed_answer_is_listed_once_and_parses(telephone: Rubric) -> None:
    for item in (i for i in telephone.items if i.answered):
        listed = all_answers(item)
        assert len(listed) == len({repr(v) for _, v in listed})
        for _, value in listed:
            parse_answer(value, item.id)
    branch = telephone.item("2.3")
    assert len(all_answers(branch)) == sum(b.max - b.min + 1 for br in branch.branches
                                           for b in br.bands)


def test_an_answer_reads_in_both_languages(telephone: Rubric) -> None:
    assert answer_msg(telephone.item("1.3.1"), True).zh == "是"
    assert answer_msg(telephone.item("1.3.1"), False).en == "no"
    words = answer_msg(telephone.item("2.2.3"), 6)
    assert words.zh.startswith("6 (5–7)") and "Flat tone" in words.en


def test_days_and_measures_as_text() -> None:
    assert days_text(Fraction(3)).zh == "3 天"
    assert days_text(Fraction(9, 2), 2).en == "2 cases, mean 4.5 days"
    assert measure_text(1, 348).zh == "1 聲 / 34.8 秒"
    assert measure_text(6, None).en == "6 rings"


def test_points_alone_are_the_same_answer_as_the_option_with_them() -> None:
    assert same_answer(2, {"points": 2, "option": 1})
    assert not same_answer(True, 1)
