"""History rows: built from stored documents, filtered, sorted, summarised by unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pendulum
import pytest

from callcheck.demo import demo_sessions, realistic_sessions
from callcheck.history import (
    COLUMNS,
    History,
    HistoryFilter,
    apply_filter,
    local_time,
    roc_short,
    row_from_doc,
    rows_from_docs,
    sort_rows,
    summary_by_unit,
)
from callcheck.rubric import Rubric

NOW = pendulum.datetime(2026, 11, 26, 15, 0, tz="Asia/Taipei")


def doc(n: int, **kw: Any) -> dict[str, Any]:
    """A minimal stored session document."""
    header = {"agency": "基隆市選舉委員會", "unit": "第一組", "tester": "王小明",
              "at": f"2026-11-{n:02d}T10:00:00+08:00"}
    header.update(kw.pop("header", {}))
    base: dict[str, Any] = {"id": f"id-{n}", "rubric": "telephone", "header": header,
                            "status": "finished", "notes": {}, "na": {},
                            "result": {"total": {"points": 80 + n, "max": 100,
                                                 "score": float(80 + n)}}}
    base.update(kw)
    return base


def test_row_shows_roc_and_iso_dates_in_taipei() -> None:
    row = row_from_doc(doc(1, header={"at": "2026-11-25T17:30:00+00:00"}))
    assert row.date == dt.date(2026, 11, 26)
    assert row.when == "2026-11-26 01:30"
    assert row.roc == "115/11/26" == roc_short(dt.date(2026, 11, 26))


def test_local_time_reads_times_without_offset_as_taipei() -> None:
    value = local_time("2026-11-26T10:00:00")
    assert value is not None and value.utcoffset() == dt.timedelta(hours=8)
    assert local_time("not a time") is None and local_time("") is None


def test_row_takes_score_status_and_revisions_from_the_document() -> None:
    row = row_from_doc(doc(3, revisions=[{"at": "x", "by": "y", "reason": "z", "changes": []}]))
    assert (row.score, row.points, row.max, row.status, row.revisions) == (83.0, 83, 100,
                                                                           "finished", 1)
    pending = row_from_doc(doc(4, status="pending_retest", result=None,
                               due_at="2026-11-26T14:50:00+08:00"))
    assert pending.pending and pending.score is None
    assert pending.due_now(NOW) and not pending.due_now(NOW.subtract(hours=1))
    assert not row.due_now(NOW)


def test_free_text_searches_agency_unit_tester_and_notes_ignoring_case() -> None:
    rows = [row_from_doc(doc(1, notes={"1.3.1": "總機未報明機關名稱"})),
            row_from_doc(doc(2, header={"unit": "行政室", "tester": "Alice Chen"})),
            row_from_doc(doc(3, header={"agency": "基隆市稅務局"}))]
    ids = lambda flt: [r.id for r in apply_filter(rows, flt)]  # noqa: E731
    assert ids(HistoryFilter(text="未報明")) == ["id-1"]
    assert ids(HistoryFilter(text="行政室")) == ["id-2"]
    assert ids(HistoryFilter(text="alice")) == ["id-2"]
    assert ids(HistoryFilter(text="稅務")) == ["id-3"]
    assert ids(HistoryFilter(text="基隆市 第一組")) == ["id-1", "id-3"]
    assert ids(HistoryFilter(text="選舉 稅務")) == []


def test_filter_by_form_status_and_inclusive_date_range() -> None:
    rows = [row_from_doc(doc(n)) for n in range(1, 11)]
    rows.append(row_from_doc(doc(11, rubric="petition")))
    rows.append(row_from_doc(doc(12, status="pending_retest", result=None)))
    assert [r.id for r in apply_filter(rows, HistoryFilter(form="petition"))] == ["id-11"]
    assert [r.id for r in apply_filter(rows, HistoryFilter(status="pending_retest"))] == ["id-12"]
    flt = HistoryFilter(since=dt.date(2026, 11, 3), until=dt.date(2026, 11, 5))
    assert [r.id for r in apply_filter(rows, flt)] == ["id-3", "id-4", "id-5"]


def test_sort_by_every_column_both_ways() -> None:
    rows = [row_from_doc(doc(1, header={"unit": "B 組"})), row_from_doc(doc(2, header={"unit": "A 組"})),
            row_from_doc(doc(3, status="pending_retest", result=None))]
    for column in COLUMNS:
        up = sort_rows(rows, column)
        down = sort_rows(rows, column, descending=True)
        assert len(up) == len(down) == 3
    assert [r.id for r in sort_rows(rows, "at", descending=True)] == ["id-3", "id-2", "id-1"]
    assert [r.id for r in sort_rows(rows, "score")] == ["id-3", "id-1", "id-2"]
    assert [r.id for r in sort_rows(rows, "score", descending=True)] == ["id-2", "id-1", "id-3"]
    assert [r.id for r in sort_rows(rows, "unit")][0] == "id-2"  # A before B and 第一組
    with pytest.raises(ValueError):
        sort_rows(rows, "colour")


def test_history_keeps_sort_and_filter_together() -> None:
    history = History([row_from_doc(doc(n)) for n in range(1, 21)])
    assert history.rows[0].id == "id-20"  # newest first
    history.set_filter(HistoryFilter(since=dt.date(2026, 11, 10)))
    assert len(history.rows) == 11
    history.sort("score")
    assert history.descending and history.rows[0].id == "id-20"
    history.sort("score")
    assert not history.descending and history.rows[0].id == "id-10"
    history.remove("id-10")
    assert history.rows[0].id == "id-11" and history.total == 19
    history.upsert(row_from_doc(doc(15, result={"total": {"score": 1.0}})))
    assert history.rows[0].id == "id-15" and history.total == 19


def test_narrowing_keystroke_gives_the_same_rows_as_a_fresh_filter() -> None:
    history = History.from_docs(d.to_doc() for d in realistic_sessions(300, seed=7, now=NOW))
    text = ""
    for ch in "基隆市選舉委員會 第一":
        text += ch
        flt = HistoryFilter(text=text)
        assert flt.narrows(HistoryFilter(text=text[:-1]))
        got = history.set_filter(flt)
        assert got == apply_filter(sort_rows(history._all, "at", True), flt)
    assert not HistoryFilter(text="第二").narrows(HistoryFilter(text="第一"))
    assert not HistoryFilter(form="petition").narrows(HistoryFilter())
    # deleting characters widens again
    assert history.set_filter(HistoryFilter(text="基隆")) == apply_filter(
        sort_rows(history._all, "at", True), HistoryFilter(text="基隆"))


def test_summary_by_unit_counts_averages_and_shows_the_change() -> None:
    docs = [doc(1, result={"total": {"score": 70.0}}), doc(5, result={"total": {"score": 91.3}}),
            doc(9, result={"total": {"score": 85.0}}),
            doc(2, header={"unit": "行政室"}, result={"total": {"score": 88.0}}),
            doc(3, status="pending_retest", result=None),
            doc(4, rubric="registration", result={"total": {"score": 100.0}})]
    summary = summary_by_unit(rows_from_docs(docs))
    assert [(s.rubric, s.unit, s.count) for s in summary] == [
        ("registration", "第一組", 1), ("telephone", "第一組", 3), ("telephone", "行政室", 1)]
    first = summary[1]
    assert (first.average, first.latest, first.previous, first.change) == (82.1, 85.0, 91.3, -6.3)
    assert first.latest_at.startswith("2026-11-09")
    assert summary[2].change is None and summary[2].average == 88.0


def test_demo_history_has_pending_rows(rubrics: dict[str, Rubric]) -> None:
    rows = rows_from_docs(s.to_doc() for s in demo_sessions(rubrics, now=NOW))
    assert sum(r.pending for r in rows) == 2
    assert any(r.pending and r.due_now(NOW) for r in rows)


def test_filter_dates_are_typed_as_iso_or_roc() -> None:
    from callcheck.history import parse_day

    assert parse_day("2026-11-01") == parse_day("115/11/01") == parse_day("115.11.1") \
        == dt.date(2026, 11, 1)
    for bad in ("115/13/01", "yesterday", "", "2026-11"):
        with pytest.raises(ValueError):
            parse_day(bad)
