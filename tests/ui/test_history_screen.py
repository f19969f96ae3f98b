"""The history screen: every session listed, filtered, sorted; pending retests stand out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pendulum
import pytest
from textual.widgets._toast import Toast

from callcheck.demo import demo_sessions, make_session
from callcheck.ui.screens.detail import DetailScreen
from callcheck.ui.screens.history import HistoryScreen
from callcheck.ui.widgets.lazy_table import LazyTable
from callcheck.words import tr

from .conftest import typed
from .history_support import NOW, RUBRICS, ScreenHarness, demo_store, settle
from .screen_text import screen_text

DEMO = len(demo_sessions(RUBRICS, now=NOW))
"""How many sessions the demo store holds."""


@pytest.fixture(autouse=True)
def frozen_wall_clock():
    with pendulum.travel_to(NOW, freeze=True):
        yield


def table(app: ScreenHarness) -> LazyTable:
    return app.screen.query_one("#history-table", LazyTable)


async def test_history_lists_every_session_newest_first_pending_marked(tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        app = ScreenHarness(store, HistoryScreen)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            rows = table(app).rows
            assert len(rows) == store.count() == DEMO
            assert [r.when for r in rows] == sorted((r.when for r in rows), reverse=True)
            text = screen_text(app)
            assert f"顯示 {DEMO} / {DEMO} 筆" in text and "待重測 2 筆" in text
            assert "待重測 可重測" in text  # the one due now says so
            assert "115/11/26 2026-11-26 14:46" in text  # ROC and ISO side by side
            pending_line = next(line for line in text.splitlines() if "可重測" in line)
            assert "基隆市中正區公所" in pending_line


async def test_typing_in_the_search_box_narrows_the_rows_at_each_keystroke(
        tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        app = ScreenHarness(store, HistoryScreen)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"稅務")
            await pilot.pause()
            assert {r.agency for r in table(app).rows} == {"基隆市稅務局"}
            await pilot.press("backspace", "backspace", *"未報明")  # a tester's note
            await pilot.pause()
            rows = table(app).rows
            assert rows and all("未報明" in r.search for r in rows)
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert len(table(app).rows) == DEMO


async def test_filter_by_form_status_and_date_range(tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        app = ScreenHarness(store, HistoryScreen)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            screen = app.screen
            screen.query_one("#filter-form").value = "petition"
            await pilot.pause()
            assert {r.rubric for r in table(app).rows} == {"petition"}
            screen.query_one("#filter-form").value = ""
            screen.query_one("#filter-status").value = "pending_retest"
            await pilot.pause()
            assert len(table(app).rows) == 2
            screen.query_one("#filter-status").value = ""
            await pilot.click("#filter-since")
            await typed(pilot, "115/11/01")
            await pilot.click("#filter-until")
            await typed(pilot, "2026-11-20")
            await pilot.pause()
            rows = table(app).rows
            expected = [s for s in store.all() if "2026-11-01" <= s.at[:10] <= "2026-11-20"]
            assert {r.id for r in rows} == {s.id for s in expected}
            assert min(r.date for r in rows) >= dt.date(2026, 11, 1)
            assert f"顯示 {len(rows)} / {DEMO} 筆" in screen_text(app)


async def test_a_date_that_is_not_one_is_marked_and_ignored(tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        app = ScreenHarness(store, HistoryScreen, "en")
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await settle(pilot)
            await pilot.click("#filter-since")
            await typed(pilot, "last week", "enter")
            await pilot.pause()
            assert app.screen.query_one("#filter-since").has_class("-bad-date")
            assert len(table(app).rows) == DEMO
            assert any("Not a date" in n.message for n in app._notifications)


async def test_sort_by_clicking_a_header_then_reverse(tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        app = ScreenHarness(store, HistoryScreen)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            widths = table(app).column_widths()
            score_x = sum(widths[:-1]) + len(widths) - 1 + 2
            await pilot.click("#history-table", offset=(score_x, 0))
            await pilot.pause()
            scores = [r.score for r in table(app).rows if r.score is not None]
            assert scores == sorted(scores, reverse=True)
            assert "分數▼" in screen_text(app)
            await pilot.press("r")
            await pilot.pause()
            rows = table(app).rows
            assert rows[0].score is None and rows[-1].score == 100.0
            await pilot.press("o")  # the next column: date again
            await pilot.pause()
            assert app.screen.history.column == "at"
            for column in ("form", "agency", "unit", "tester", "status"):
                app.screen.sort_by(column)
                keys = [getattr(r, "rubric" if column == "form" else column)
                        for r in table(app).rows]
                assert keys == sorted(keys)


async def test_enter_opens_the_session_under_the_cursor(tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        app = ScreenHarness(store, HistoryScreen)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            third = table(app).rows[2]
            await pilot.press("down", "down", "enter")
            await settle(pilot)
            assert isinstance(app.screen, DetailScreen)
            opened = app.screen.session
            assert opened is not None and opened.id == third.id
            assert opened.header["agency"] == third.agency


async def test_a_notice_from_the_detail_covers_no_filter_nor_row_of_history_at_80x24(
        tmp_path: Path) -> None:
    """Back from the detail, its warning takes rows of its own below the table: the filter
    row, the count and the row under the cursor stay in sight."""
    with demo_store(tmp_path) as store:
        app = ScreenHarness(store, HistoryScreen)
        app.NOTIFICATION_TIMEOUT = 600  # still shown when read, however loaded the machine
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(pilot)
            last = table(app).scrollable_content_region.height - 2  # the last row on screen
            row = table(app).rows[last]
            assert row.rubric == "telephone" and row.when in screen_text(app)
            await pilot.press(*["down"] * last, "enter")
            await settle(pilot)
            assert isinstance(app.screen, DetailScreen)
            await pilot.press("space")  # the first item is timed: a warning, nothing changed
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HistoryScreen)
            lines = screen_text(app).splitlines()
            warning = tr("detail.not_editable", "zh")
            filters = [line for line in lines if "起日" in line]
            assert filters and "迄日" in filters[0] and "搜尋" in filters[0], filters
            said = [n for n, line in enumerate(lines) if warning in line]
            assert said, "the warning is not shown"
            assert any(f"顯示 {DEMO} / {DEMO} 筆" in line and "待重測 2 筆" in line
                       for line in lines)
            cursor = [n for n, line in enumerate(lines) if row.when in line]
            assert table(app).current == row and cursor and cursor[0] < said[0], cursor
            screen = app.screen
            toasts = list(screen.query(Toast))
            assert toasts
            for part in ("#history-filters", "#history-count", "#history-table"):
                region = screen.query_one(part).region
                assert not any(t.region.overlaps(region) for t in toasts), part


async def test_user_text_with_markup_is_shown_as_text_and_does_nothing(tmp_path: Path) -> None:
    """A note or header containing `[/]` or `[@click=app.quit]` is only text."""
    import random

    with demo_store(tmp_path, fill=False) as store:
        s = make_session(RUBRICS["registration"], random.Random(1), NOW.subtract(days=1),
                         "[@click=app.quit]機關[/]", "[b]單位", "[red]測試[/red]")
        store.save(s)
        app = ScreenHarness(store, HistoryScreen)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert "[@click=app.quit]機關[/]" in text and "[b]單位" in text
            await pilot.double_click("#history-table", offset=(40, 1))
            await settle(pilot)
            assert app.is_running
            assert isinstance(app.screen, DetailScreen)
            assert "[@click=app.quit]機關[/]" in screen_text(app)


async def test_the_newest_rows_come_first_then_the_whole_history(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With more sessions than the first page, the newest are shown, then all of them."""

    class SmallFirstPage(HistoryScreen):
        FIRST_PAGE = 10

    shown: list[list[str]] = []
    set_rows = LazyTable.set_rows

    def recording(self: LazyTable, rows, cursor=None) -> None:
        shown.append([r.id for r in rows])
        set_rows(self, rows, cursor)

    monkeypatch.setattr(LazyTable, "set_rows", recording)
    with demo_store(tmp_path) as store:
        app = ScreenHarness(store, SmallFirstPage)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            newest = sorted(store.all(), key=lambda s: s.at, reverse=True)
            assert shown[0] == [s.id for s in newest[:10]]
            assert len(shown[-1]) == DEMO and shown[-1][:10] == shown[0]


async def test_a_draft_of_a_stored_session_older_than_the_first_page_is_never_listed_twice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first page (the newest 200, painted before the rest are read) lists a draft of a
    stored session by its stored row, as the full list does, even when that row is older."""
    from callcheck.store import Store

    from ..store.crash_child import make

    store = Store(tmp_path / "sessions.json")
    try:
        sessions = []
        for n in range(HistoryScreen.FIRST_PAGE + 5):
            s = make(n, 1)
            s.header["at"] = (pendulum.datetime(2026, 1, 1, tz="Asia/Taipei")
                              .add(hours=n).isoformat())
            store.save(s)
            sessions.append(s)
        oldest = sessions[0]
        oldest.status = "draft"  # being edited: its test time moved to the newest of all
        oldest.header["at"] = pendulum.datetime(2027, 1, 1, tz="Asia/Taipei").isoformat()
        store.save_draft(oldest)
        pages: list[list[str]] = []
        real = HistoryScreen.post_message

        def recorded(self: HistoryScreen, message: object) -> bool:
            if isinstance(message, HistoryScreen.FirstRows):
                pages.append([r.id for r in message.rows])
            return real(self, message)  # type: ignore[arg-type]

        monkeypatch.setattr(HistoryScreen, "post_message", recorded)
        app = ScreenHarness(store, HistoryScreen)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            assert len(pages) == 1 and oldest.id not in pages[0]
            ids = [r.id for r in table(app).rows]
            assert ids.count(oldest.id) == 1 and len(ids) == len(sessions)
    finally:
        store.close()
