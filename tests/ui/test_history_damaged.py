"""A stored session that fails validation is a History row (id, reason, status 損毀): found by
the status filter, opened as its id and reason, deletable with a confirm (issue 9 §2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pendulum
import pytest

from callcheck.demo import demo_sessions
from callcheck.store import Store, dump_tables
from callcheck.ui.app import CallcheckApp
from callcheck.ui.screens.detail import DetailScreen
from callcheck.ui.screens.history import HistoryScreen
from callcheck.ui.widgets.dialogs import ConfirmDialog
from callcheck.ui.widgets.lazy_table import LazyTable

from .history_support import NOW, RUBRICS, settle
from .screen_text import screen_text

GOOD = demo_sessions(RUBRICS, now=NOW)
BAD_ID = "0badc0de-0000-4000-8000-000000000001"


@pytest.fixture(autouse=True)
def frozen_wall_clock():
    with pendulum.travel_to(NOW, freeze=True):
        yield


@pytest.fixture
def damaged_db(tmp_path: Path) -> Path:
    """The demo sessions in a single-file database edited by hand: one session's due time
    is no time, another document has no id. Converted on first open, those two set aside."""
    docs: list[dict[str, Any]] = [s.to_doc() for s in GOOD]
    bad = dict(docs[0], id=BAD_ID, due_at="2026-13-45T25:61Z")
    docs += [bad, {"header": {}, "status": "finished"}]
    db = tmp_path / "callcheck.json"
    db.write_bytes(dump_tables({"sessions": {str(n + 1): d for n, d in enumerate(docs)}}))
    return db


def table(app: CallcheckApp) -> LazyTable:
    return app.screen.query_one("#history-table", LazyTable)


async def open_history(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HistoryScreen)


async def test_damaged_sessions_are_history_rows_with_id_reason_and_status(
        damaged_db: Path) -> None:
    """Listed among the others with id, reason and 損毀; the start-up notice says where."""
    with Store(damaged_db) as store:
        app = CallcheckApp(store=store, rubrics=RUBRICS, lang="zh")
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await open_history(pilot)
            notes = [str(n.message) for n in app._notifications]
            assert any("2 筆評核紀錄損毀" in t and "列在評核紀錄，狀態選「損毀」" in t
                       for t in notes)
            rows = table(app).rows
            assert len(rows) == len(GOOD) + 2
            damaged = {r.id: r for r in rows if r.damaged}
            assert set(damaged) == {BAD_ID, "#" + str(len(GOOD) + 2)}
            assert "due_at" in damaged[BAD_ID].reason
            assert {r.id for r in rows if not r.damaged} == {s.id for s in GOOD}
            app.screen.query_one("#filter-status").value = "damaged"
            await pilot.pause()
            assert {r.id for r in table(app).rows} == set(damaged)
            text = screen_text(app)
            assert "顯示 2 /" in text and text.count("損毀") >= 2
            assert BAD_ID[:8] in text and "due_at" in text and "id: missing" in text
            app.screen.query_one("#filter-status").value = "finished"
            await pilot.pause()
            assert table(app).rows and not any(r.damaged for r in table(app).rows)


async def test_a_damaged_row_opens_as_its_id_and_reason_and_deletes_after_a_confirm(
        damaged_db: Path) -> None:
    """Enter shows id and reason (not the detail screen); Cancel keeps it, Delete removes
    only it: the good sessions stay listed and stored."""
    with Store(damaged_db) as store:
        app = CallcheckApp(store=store, rubrics=RUBRICS, lang="en")
        async with app.run_test(size=(120, 36)) as pilot:
            await open_history(pilot)
            app.screen.query_one("#filter-status").value = "damaged"
            await pilot.pause()
            table(app).focus()
            table(app).cursor_row = next(n for n, r in enumerate(table(app).rows)
                                     if r.id == BAD_ID)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            assert not any(isinstance(s, DetailScreen) for s in app.screen_stack)
            text = screen_text(app)
            assert BAD_ID in text and "Why: due_at" in text and "damaged session" in text
            await pilot.press("escape")  # cancel: nothing happens
            await settle(pilot)
            assert isinstance(app.screen, HistoryScreen) and len(store.damaged()) == 2
            await pilot.press("enter")
            await pilot.pause()
            await pilot.click("#confirm")
            await settle(pilot)
            assert isinstance(app.screen, HistoryScreen)
            assert [label for label, _ in store.damaged()] == ["#" + str(len(GOOD) + 2)]
            assert [r.id for r in table(app).rows] == ["#" + str(len(GOOD) + 2)]
            app.screen.query_one("#filter-status").value = ""
            await pilot.pause()
            rows = table(app).rows
            assert {r.id for r in rows if not r.damaged} == {s.id for s in GOOD}
            assert store.count() == len(GOOD)
