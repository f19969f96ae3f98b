"""F1 on every screen and dialog of the app, in Chinese: every key is described, none in English."""

from __future__ import annotations

import re

from textual.screen import Screen
from textual.widgets import DataTable

from callcheck.demo import fill_store
from callcheck.rubric import Rubric
from callcheck.store import Store
from callcheck.ui.screens.detail import DetailScreen
from callcheck.ui.screens.export import ExportScreen
from callcheck.ui.screens.form import FormScreen
from callcheck.ui.screens.help import HelpScreen
from callcheck.ui.screens.history import HistoryScreen
from callcheck.ui.screens.home import HomeScreen
from callcheck.ui.screens.live import LiveScreen
from callcheck.ui.screens.review import ReviewScreen
from callcheck.ui.screens.setup import SetupScreen
from callcheck.ui.screens.summary import SummaryScreen
from callcheck.ui.widgets.dialogs import ConfirmDialog, ReviseDialog, TextPrompt

from ..clocks import START
from .conftest import Caller, Clocks, make_app

LATIN = re.compile(r"[A-Za-z]")


async def help_rows(c: Caller) -> list[str]:
    """Open F1 over the current screen, read what each key does, close it again."""
    under = c.app.screen
    await c.press("f1")
    assert isinstance(c.app.screen, HelpScreen), type(under).__name__
    table = c.app.screen.query_one(DataTable)
    rows = [table.get_row_at(n)[1].plain for n in range(table.row_count)]
    await c.press("escape")
    assert c.app.screen is under
    return rows


async def test_f1_on_every_screen_and_dialog_speaks_only_chinese(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    fill_store(store, rubrics, now=START)
    app = make_app(store, rubrics, clocks)
    seen: dict[str, list[str]] = {}

    async def check(c: Caller) -> None:
        name = type(c.app.screen).__name__
        seen[name] = await help_rows(c)

    async def push(c: Caller, make: type[Screen] | object) -> None:
        c.app.call_later(lambda: c.app.push_screen(make()))  # type: ignore[operator]
        await c.pilot.pause()
        await c.app.workers.wait_for_complete()
        await c.pilot.pause()

    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        assert isinstance(app.screen, HomeScreen)
        await check(c)
        await c.press("n")
        assert isinstance(app.screen, SetupScreen)
        await check(c)
        await c.press("escape")
        await c.setup(route="direct")
        assert isinstance(app.screen, LiveScreen)
        await c.key("space", 1.0)
        await c.key("a", 2.0)
        await check(c)
        await c.press("1", "m")
        assert isinstance(app.screen, TextPrompt)
        await check(c)
        await c.press("escape")
        await c.key("e", 30.0)
        await c.press("enter")
        assert isinstance(app.screen, ReviewScreen)
        await check(c)
        await c.press("escape")
        for _ in range(3):
            if isinstance(app.screen, HomeScreen):
                break
            await c.press("escape")

        await push(c, HistoryScreen)
        await check(c)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        rows = list(history.history.rows)
        await push(c, lambda: SummaryScreen(rows))
        await check(c)
        await c.press("escape")
        await push(c, lambda: ExportScreen([r.id for r in rows]))
        await check(c)
        await c.press("escape")
        finished = next(r.id for r in rows if r.status == "finished" and r.rubric == "registration")
        await push(c, lambda: DetailScreen(finished))
        assert isinstance(app.screen, DetailScreen)
        await check(c)
        app.screen.query_one("#detail-items", DataTable).focus()
        await c.press("space")
        assert isinstance(app.screen, ReviseDialog)
        await check(c)
        await c.press("escape")
        await c.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await check(c)
        await c.press("escape")
        await push(c, lambda: FormScreen("registration"))
        await check(c)

    assert set(seen) == {"HomeScreen", "SetupScreen", "LiveScreen", "TextPrompt", "ReviewScreen",
                         "HistoryScreen", "SummaryScreen", "ExportScreen", "DetailScreen",
                         "ReviseDialog", "ConfirmDialog", "FormScreen"}
    english = {name: [r for r in rows if LATIN.search(r)] for name, rows in seen.items()}
    assert {name: rows for name, rows in english.items() if rows} == {}
    assert all(len(rows) >= 3 for rows in seen.values())  # the screen's keys and the app's
