"""Documents from the app: the form printed from detail and from review, the summary's ranking."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from textual.widgets import DataTable, Label

from callcheck.history import rows_from_docs
from callcheck.report import build_report
from callcheck.rubric import Rubric
from callcheck.store import Store
from callcheck.ui.screens.detail import DetailScreen
from callcheck.ui.screens.history import HistoryScreen
from callcheck.ui.screens.summary import SummaryScreen, score_bars

from .conftest import Caller, Clocks, make_app
from .history_support import NOW, RUBRICS, ScreenHarness, demo_store, settle
from .screen_text import screen_text


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Forms are written to the working folder: make it the test's own."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def test_p_on_the_session_detail_writes_its_form(in_tmp: Path) -> None:
    with pendulum.travel_to(NOW, freeze=True), demo_store(in_tmp) as store:
        s = next(x for x in store.all() if x.finished and x.rubric == "telephone")
        app = ScreenHarness(store, lambda: DetailScreen(s.id))
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("p")
            await settle(pilot)
            path = in_tmp / f"callcheck-form-{s.id[:8]}.html"
            assert path.exists()
            page = path.read_text(encoding="utf-8")
            assert f'data-session="{s.id}"' in page and "草稿" not in page
            messages = [n.message for n in app._notifications]
            assert any(f"評核表已寫入 {path}" in m for m in messages)


async def test_p_on_review_finishes_and_prints_the_form(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks, in_tmp: Path) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.perfect_call()
        sid = c.session.id
        await c.press("enter")
        await c.press("p")
        await c.settle()
    stored = store.get(sid)
    assert stored.finished
    page = (in_tmp / f"callcheck-form-{sid[:8]}.html").read_text(encoding="utf-8")
    assert f'data-session="{sid}"' in page and stored.digest and stored.digest[:12] in page


async def test_summary_shows_the_items_ranked_by_points_lost_and_the_trend(
        tmp_path: Path) -> None:
    with pendulum.travel_to(NOW, freeze=True), demo_store(tmp_path) as store:
        app = ScreenHarness(store, HistoryScreen)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("u")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, SummaryScreen)
            rows = rows_from_docs(store.docs())
            finished = {r.id for r in rows if r.status == "finished"}
            expected = build_report([d for d in store.docs() if d["id"] in finished], RUBRICS)
            table = screen.query_one("#summary-losses", DataTable)
            assert table.row_count == sum(len(v) for v in expected.losses.values())
            worst = expected.losses["telephone"][0]
            first = table.get_row_at(0)
            assert str(first[5]).startswith(worst.item) and str(first[2]) == str(worst.lost)
            lines = screen.query(".trend-line").results(Label)
            bars = [str(line.render()) for line in lines]
            assert len(bars) == len(expected.rubrics_used) == 3
            tel = [m for p in expected.periods if (m := p.mean("telephone")) is not None]
            assert bars[0].startswith("電話禮貌成績趨勢（按月，")
            assert score_bars(tel) in bars[0]
            assert bars[0].endswith(" ".join(f"{m:.0f}" for m in tel))
            assert "失分項目排行" in screen_text(app) and "成績趨勢" in screen_text(app)


def test_score_bars_use_a_fixed_scale_from_0_to_100() -> None:
    assert score_bars([0, 50, 100]) == "   ▄▄ ██"
    assert score_bars([75, 73]) == "▆▆ ▆▆"  # close scores stay close
