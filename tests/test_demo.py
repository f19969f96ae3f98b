"""The demo and benchmark sessions: realistic, varied, scored by the real engine."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import pendulum
import pytest

from callcheck.demo import demo_sessions, fill_store, realistic_sessions
from callcheck.rubric import Rubric
from callcheck.session import Session, replay_attempt, ring_disagreements, score_session
from callcheck.store import Store

NOW = pendulum.datetime(2026, 11, 26, 15, 0, tz="Asia/Taipei")


@pytest.fixture(scope="module")
def demo(rubrics: dict[str, Rubric]) -> list[Session]:
    return demo_sessions(rubrics, now=NOW)


def test_demo_has_a_few_dozen_sessions_of_all_three_forms(demo: list[Session]) -> None:
    forms = Counter(s.rubric for s in demo)
    assert 30 <= len(demo) <= 60
    assert set(forms) == {"telephone", "registration", "petition"}
    assert min(forms.values()) >= 4


def test_every_finished_demo_session_rescores_to_its_stored_result(
        demo: list[Session], rubrics: dict[str, Rubric]) -> None:
    """Results come from the engine and the timelines, never written by hand."""
    finished = [s for s in demo if s.finished]
    assert len(finished) == len(demo) - 2
    for s in finished:
        assert score_session(rubrics[s.rubric], s).as_stored() == s.result


def test_demo_shows_deductions_retests_unreached_items_and_not_applicable(
        demo: list[Session]) -> None:
    items = [(s, i) for s in demo if s.result for i in s.result["items"].values()]
    assert any(s.total and s.total["score"] < 60 for s in demo if s.finished)
    assert any(s.total and s.total["score"] == 100 for s in demo if s.finished)
    assert any(i["status"] == "unreached" for _, i in items)
    assert any(i["status"] == "rule" or i["status"] == "na" for _, i in items)
    assert any(len(s.attempts) == 2 for s in demo if s.finished)
    user_na = [s for s in demo if s.na]
    assert {s.rubric for s in user_na} == {"telephone", "registration", "petition"}
    assert all(reason.strip() for s in user_na for reason in s.na.values())
    notes = [n for s in demo for n in s.notes.values()]
    assert len(notes) >= 10 and all(any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in notes)


def test_demo_varies_agencies_units_testers_and_dates_over_recent_months(
        demo: list[Session]) -> None:
    assert len({s.header["agency"] for s in demo}) >= 5
    assert len({(s.header["agency"], s.header["unit"]) for s in demo}) >= 15
    assert len({s.header["tester"] for s in demo}) >= 4
    assert any(s.header["agency"] == "基隆市選舉委員會" for s in demo)
    dates = [pendulum.parse(s.at) for s in demo]
    assert all(d <= NOW and d >= NOW.subtract(months=5) for d in dates)
    assert all(s.at.endswith("+08:00") for s in demo)
    finished_times = [pendulum.parse(s.at).in_timezone("Asia/Taipei") for s in demo if s.finished]
    assert all(t.day_of_week not in (pendulum.SATURDAY, pendulum.SUNDAY) for t in finished_times)


def test_pending_retests_rang_out_and_are_due_ten_minutes_after(
        demo: list[Session], rubrics: dict[str, Rubric]) -> None:
    tel = rubrics["telephone"]
    pending = [s for s in demo if s.status == "pending_retest"]
    assert len(pending) == 2
    for s in pending:
        state = replay_attempt(tel, s, s.attempts[0])
        assert state.ended and state.get("operator").outcome == "unanswered"
        assert pendulum.parse(s.due_at) == s.attempts[0].start.add(minutes=10)
    due = sorted(pendulum.parse(s.due_at) for s in pending)
    assert due[0] <= NOW < due[1]


def test_sessions_are_the_same_for_the_same_seed_and_differ_for_another(
        rubrics: dict[str, Rubric]) -> None:
    a = [s.to_doc() for s in realistic_sessions(20, seed=1, rubrics=rubrics, now=NOW)]
    b = [s.to_doc() for s in realistic_sessions(20, seed=1, rubrics=rubrics, now=NOW)]
    c = [s.to_doc() for s in realistic_sessions(20, seed=2, rubrics=rubrics, now=NOW)]
    assert a == b and a != c
    assert len({d["id"] for d in a}) == 20


def test_benchmark_sessions_are_about_three_kilobytes_of_chinese_text(
        rubrics: dict[str, Rubric]) -> None:
    sessions = realistic_sessions(300, seed=5, rubrics=rubrics, now=NOW)
    sizes = [len(json.dumps(s.to_doc(), ensure_ascii=False).encode()) for s in sessions]
    assert 2500 <= sum(sizes) / len(sizes) <= 4500
    assert {s.rubric for s in sessions} == {"telephone", "registration", "petition"}
    for s in sessions[:50]:
        assert score_session(rubrics[s.rubric], s).as_stored() == s.result


def test_demo_fills_a_store_that_lists_them(tmp_path: Path, rubrics: dict[str, Rubric],
                                            demo: list[Session]) -> None:
    db = tmp_path / "demo.json"
    with Store(db) as store:
        assert fill_store(store, rubrics, now=NOW) == len(demo)
    with Store(db) as store:
        assert store.count() == len(demo) and len(store.pending()) == 2
        assert {d["id"] for d in store.docs()} == {s.id for s in demo}


def test_demo_calls_have_rings_and_seconds_that_agree(
        demo: list[Session], rubrics: dict[str, Rubric]) -> None:
    """No demo call under-marks its rings: each phase's rings match its seconds' cadence."""
    tel = rubrics["telephone"]
    calls = [s for s in demo if s.rubric == "telephone" and s.finished]
    assert all(ring_disagreements(tel, s) == {} for s in calls)
    for s in calls:
        for item in (s.result or {})["items"].values():
            assert "推算" not in item["note"]


def test_demo_timelines_look_pressed_by_a_person(
        demo: list[Session], rubrics: dict[str, Rubric]) -> None:
    """Ring intervals wobble around the cadence and people talk before a transfer."""
    tel = rubrics["telephone"]
    gaps, talks = [], []
    for s in (s for s in demo if s.rubric == "telephone"):
        for a in s.attempts:
            for m, n in itertools.pairwise(a.marks):
                if m.kind == n.kind == "ring" and m.phase == n.phase:
                    gaps.append(round(n.t - m.t, 2))
                if m.kind == "answer" and n.kind == "transfer":
                    talks.append(n.t - m.t)
            replay_attempt(tel, s, a)  # still a valid timeline
    assert len(set(gaps)) > 10 and all(2.0 < g < 4.5 for g in gaps)
    assert min(talks) >= 8.0


def test_demo_has_busy_lines_a_slow_exchange_and_a_dropped_call(
        demo: list[Session], rubrics: dict[str, Rubric]) -> None:
    tel = rubrics["telephone"]
    kinds = [[m.kind for m in a.marks] for s in demo for a in s.attempts]
    assert sum("busy" in k for k in kinds) == 2
    assert any("cadence" in k for k in kinds)
    dropped = [s for s in demo if any("dropped" in [m.kind for m in a.marks]
                                      for a in s.attempts)]
    assert len(dropped) == 1 and len(dropped[0].attempts) == 2
    assert replay_attempt(tel, dropped[0], dropped[0].attempts[0]).void
    assert score_session(tel, dropped[0]).as_stored() == dropped[0].result
