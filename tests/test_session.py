"""The session model: documents, derived phases, retests, finishing and revisions."""

from __future__ import annotations

import json

import pendulum
import pytest

from callcheck.errors import InputError
from callcheck.observations import parse_observations
from callcheck.rubric import Rubric
from callcheck.scoring import score
from callcheck.session import (
    Attempt,
    Session,
    finish,
    phases_from_attempts,
    retest_due,
    revise,
    score_session,
    session_from_observations,
)
from callcheck.timing import Mark

from .conftest import perfect_call


def call_with(tel: Rubric, *attempts: tuple[str, list[tuple[float, str]]]) -> Session:
    s = Session.new(tel, header={"agency": "基隆市選舉委員會"})
    s.attempts = [Attempt(start, [Mark(t, k, "") for t, k in marks]) for start, marks in attempts]
    return s


UNANSWERED = [(0, "dial"), (1, "ring"), (2, "answer"), (3, "transfer"),
              *[(4 + 3 * k, "ring") for k in range(9)], (30, "give_up")]


def test_document_round_trip_is_lossless(telephone: Rubric) -> None:
    s = session_from_observations(telephone, parse_observations(perfect_call()),
                                  score(telephone, parse_observations(perfect_call())))
    again = Session.from_doc(json.loads(json.dumps(s.to_doc(), ensure_ascii=False)))
    assert again == s


def test_one_unanswered_switchboard_attempt_is_due_for_retest_ten_minutes_later(
        telephone: Rubric) -> None:
    s = call_with(telephone, ("2026-11-26T10:00:00+08:00", UNANSWERED))
    assert retest_due(telephone, s) == pendulum.parse("2026-11-26T10:10:00+08:00")


def test_two_unanswered_attempts_need_no_further_retest(telephone: Rubric) -> None:
    s = call_with(telephone, ("2026-11-26T10:00:00+08:00", UNANSWERED),
                  ("2026-11-26T10:11:00+08:00", UNANSWERED))
    assert retest_due(telephone, s) is None
    phases = phases_from_attempts(telephone, s)
    assert phases["operator"].outcome == "unanswered"
    assert len(phases["operator"].attempts) == 2
    s.answers = {"1.1.2": 5}
    result = score_session(telephone, s)
    assert result.items["1.2"].points == 0


def test_retest_answered_is_the_attempt_scored(telephone: Rubric) -> None:
    answered = [(0, "dial"), (1, "ring"), (2, "answer"), (3, "transfer"), (4, "ring"),
                (7, "ring"), (8.5, "answer")]
    s = call_with(telephone, ("2026-11-26T10:00:00+08:00", UNANSWERED),
                  ("2026-11-26T10:12:00+08:00", answered))
    assert retest_due(telephone, s) is None
    op = phases_from_attempts(telephone, s)["operator"]
    assert (op.outcome, op.rings, op.tenths) == ("answered", 2, 45)


def test_finish_needs_every_reachable_answer(telephone: Rubric) -> None:
    s = session_from_observations(telephone, parse_observations(perfect_call()),
                                  score(telephone, parse_observations(perfect_call())))
    s.status = "draft"
    del s.answers["2.2.2"]
    with pytest.raises(InputError, match="answers.2.2.2"):
        finish(telephone, s)


def finished(telephone: Rubric) -> Session:
    obs = parse_observations(perfect_call())
    return session_from_observations(telephone, obs, score(telephone, obs))


def test_revision_keeps_the_old_value_and_rescores(telephone: Rubric) -> None:
    s = finished(telephone)
    r = revise(telephone, s, {"answers.1.3.1": False, "notes.1.3.1": "未報單位"},
               "重聽錄音後更正", "王小明")
    assert r.result["total"]["points"] == 97
    assert s.result["total"]["points"] == 100  # the original is untouched
    rev = r.revisions[-1]
    assert (rev.by, rev.reason) == ("王小明", "重聽錄音後更正")
    assert {"field": "answers.1.3.1", "old": True, "new": False} in rev.changes
    assert {"field": "notes.1.3.1", "old": None, "new": "未報單位"} in rev.changes


def test_revision_without_reason_is_refused(telephone: Rubric) -> None:
    with pytest.raises(InputError, match="reason"):
        revise(telephone, finished(telephone), {"header.agency": "x"}, "  ", "王小明")


def test_revision_that_would_not_score_is_refused(telephone: Rubric) -> None:
    with pytest.raises(InputError, match="answers.1.1.2"):
        revise(telephone, finished(telephone), {"answers.1.1.2": 4}, "typo", "王小明")


def test_marking_not_applicable_by_revision(telephone: Rubric) -> None:
    r = revise(telephone, finished(telephone), {"answers.1.3.7": None,
                                                "na.1.3.7": "本機關無分機"}, "不適用", "王")
    assert r.result["items"]["1.3.7"]["status"] == "na"
    assert r.result["total"]["max"] == 98
