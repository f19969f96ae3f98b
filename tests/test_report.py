"""The period report: per-unit figures, the trend, the points-lost ranking, counts, the page."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pendulum
import pytest

from callcheck.demo import realistic_sessions
from callcheck.report import build_report, render_report
from callcheck.rubric import Rubric
from callcheck.store import Store

from .test_cli import run
from .test_printing import petition_visit, session_of, unanswered_twice

NOW = pendulum.datetime(2026, 11, 26, 15, 0, tz="Asia/Taipei")


@pytest.fixture(scope="module")
def docs(rubrics: dict[str, Rubric]) -> list[dict]:
    sessions = realistic_sessions(300, seed=7, rubrics=rubrics, now=NOW, days=200)
    return [s.to_doc() for s in sessions]


def test_per_unit_counts_means_and_extremes_come_from_the_scores(
        rubrics: dict[str, Rubric], docs: list[dict]) -> None:
    report = build_report(docs, rubrics)
    assert sum(u.count for u in report.units) == len(docs) == len(report.sessions)
    u = max(report.units, key=lambda u: u.count)
    scores = [d["result"]["total"]["score"] for d in docs
              if (d["rubric"], d["header"]["agency"], d["header"]["unit"])
              == (u.rubric, u.agency, u.unit)]
    assert u.count == len(scores) and u.low == min(scores) and u.high == max(scores)
    assert abs(u.mean - sum(scores) / len(scores)) <= 0.05 + 1e-9


def test_points_lost_add_up_to_what_the_totals_lost_and_are_ranked(
        rubrics: dict[str, Rubric], docs: list[dict]) -> None:
    report = build_report(docs, rubrics)
    for rid, entries in report.losses.items():
        lost = sum(d["result"]["total"]["max"] - d["result"]["total"]["points"]
                   for d in docs if d["rubric"] == rid)
        assert sum(e.lost for e in entries) == lost
        assert [e.lost for e in entries] == sorted((e.lost for e in entries), reverse=True)
        assert {e.item for e in entries} == {i.id for i in rubrics[rid].items}
    for (rid, agency, unit), entries in report.unit_losses.items():
        lost = sum(d["result"]["total"]["max"] - d["result"]["total"]["points"] for d in docs
                   if (d["rubric"], d["header"]["agency"], d["header"]["unit"])
                   == (rid, agency, unit))
        assert sum(e.lost for e in entries) == lost


def test_trend_is_by_month_for_a_short_period_and_by_quarter_for_a_long_one(
        rubrics: dict[str, Rubric], docs: list[dict]) -> None:
    report = build_report(docs, rubrics)
    assert report.by == "month"
    keys = [p.key for p in report.periods]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    assert sum(len(v) for p in report.periods for v in p.scores.values()) == len(docs)
    july = [d["result"]["total"]["score"] for d in docs if d["rubric"] == "telephone"
            and d["header"]["at"].startswith("2026-07")]
    period = next(p for p in report.periods if p.key == "2026-07")
    assert abs(period.mean("telephone") - sum(july) / len(july)) <= 0.05 + 1e-9
    long = build_report(docs, rubrics, since=dt.date(2024, 1, 1), until=dt.date(2026, 12, 31))
    assert long.by == "quarter" and long.periods[0].key == "2024-Q1"
    assert long.periods[-1].key == "2026-Q4" and len(long.periods) == 12  # empty ones too


def test_unanswered_attempts_and_retests_are_counted(rubrics: dict[str, Rubric]) -> None:
    twice = session_of(rubrics, unanswered_twice()).to_doc()
    report = build_report([twice, session_of(rubrics, petition_visit()).to_doc()], rubrics)
    (tel,) = [u for u in report.units if u.rubric == "telephone"]
    assert (tel.unanswered, tel.retests) == (2, 1)
    assert (report.unanswered, report.retests) == (2, 1)


def test_the_page_has_roc_and_iso_dates_a_chart_links_and_escaped_text(
        rubrics: dict[str, Rubric], docs: list[dict]) -> None:
    nasty = [dict(d, header=dict(d["header"], agency="<script>x</script>&amp;")) for d in docs]
    report = build_report(nasty, rubrics)
    page = render_report(report, rubrics, "en", forms_href="r-forms.html")
    assert "<script" not in page and "&lt;script&gt;x&lt;/script&gt;&amp;amp;" in page
    first = report.sessions[0]
    roc = f"{first.day.year - 1911}/{first.day.month:02d}/{first.day.day:02d}"
    assert f'{roc} <span class="iso">({first.day.isoformat()})</span>' in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="trend"') == 1
    assert page.count("<polyline") == 3
    assert page.count('href="r-forms.html#s-') == len(docs)
    assert html.escape(rubrics["telephone"].item("2.3").label.zh) in page
    assert "Where the points are lost" in page
    for outside in ("<link", "src=", "url(", "@import"):
        assert outside not in page


@pytest.fixture
def db(tmp_path: Path, rubrics: dict[str, Rubric]) -> Path:
    path = tmp_path / "db.json"
    with Store(path) as store:
        store.insert_many(realistic_sessions(40, seed=3, rubrics=rubrics, now=NOW, days=90))
    return path


def test_report_command_writes_the_report_and_the_forms_it_links(db: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, _, err = run(["--db", str(db), "report", "-o", str(out), "--since", "2026-10-01"])
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    forms = (tmp_path / "r-forms.html").read_text(encoding="utf-8")
    links = re.findall(r'href="r-forms\.html#(s-[0-9a-f-]+)"', page)
    assert links and all(f'id="{a}"' in forms for a in links)
    assert forms.count('class="sheet"') == len(links)
    assert "2026-10-01" in page  # the period, ROC with ISO beside


def test_report_without_forms_writes_one_file_without_links(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, _, _ = run(["--db", str(db), "report", "-o", str(out), "--no-forms",
                      "--rubric", "petition"])
    assert code == 0 and "href=" not in out.read_text(encoding="utf-8")
    assert not (tmp_path / "r-forms.html").exists()


@pytest.mark.parametrize("argv", [["--unit", "無此單位"], ["--since", "2031-01-01"]])
def test_a_report_of_nothing_is_refused_and_writes_nothing(db: Path, tmp_path: Path,
                                                           argv: list[str]) -> None:
    out = tmp_path / "r.html"
    code, _, err = run(["--db", str(db), "report", "-o", str(out), *argv])
    assert code == 1 and "no finished session matches" in err
    assert list(tmp_path.glob("r*.html")) == []


def test_an_unwritable_report_path_leaves_no_forms_behind(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.mkdir()  # a folder where the report should go
    code, _, err = run(["--db", str(db), "report", "-o", str(out)])
    assert code == 1 and "is a folder" in err
    assert not (tmp_path / "r-forms.html").exists()


def test_an_undone_give_up_is_not_counted_as_unanswered(rubrics: dict[str, Rubric]) -> None:
    """The count replays a timeline with undos: a give-up taken back is no unanswered call."""
    from callcheck.report import unanswered_attempts

    doc = session_of(rubrics, unanswered_twice()).to_doc()
    assert unanswered_attempts(rubrics["telephone"], doc) == 2
    last = doc["attempts"][-1]["marks"]
    give_up = next(n for n, m in enumerate(last) if m["kind"] == "give_up")
    t = last[give_up]["t"]
    last[give_up + 1:give_up + 1] = [{"t": t + 0.5, "kind": "undo", "phase": last[give_up]["phase"]},
                                     {"t": t + 1.0, "kind": "answer",
                                      "phase": last[give_up]["phase"]}]
    del last[give_up + 3:]
    assert unanswered_attempts(rubrics["telephone"], doc) == 1
