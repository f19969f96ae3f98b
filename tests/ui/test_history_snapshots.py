"""Snapshots of the history, detail and both form screens (fixed data, pinned wall clock)."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from callcheck.ui.screens.detail import DetailScreen
from callcheck.ui.screens.form import FormScreen
from callcheck.ui.screens.history import HistoryScreen

from .conftest import typed
from .history_support import NOW, ScreenHarness, demo_store, settle


@pytest.fixture(autouse=True)
def frozen_wall_clock():
    with pendulum.travel_to(NOW, freeze=True):
        yield


def test_history_screen(tmp_path: Path, snap_compare) -> None:
    with demo_store(tmp_path) as store:
        app = ScreenHarness(store, HistoryScreen)
        assert snap_compare(app, terminal_size=(120, 36), run_before=settle)


def test_history_screen_filtered_in_english_at_80_columns(tmp_path: Path, snap_compare) -> None:
    with demo_store(tmp_path) as store:
        app = ScreenHarness(store, HistoryScreen, "en")

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            pilot.app.screen.query_one("#filter-text", Input).value = "選舉委員會"
            await pilot.pause()
            pilot.app.screen.query_one("#history-table").focus()
            await pilot.press("o", "o", "o")  # sort by unit
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_detail_screen(tmp_path: Path, snap_compare) -> None:
    with demo_store(tmp_path) as store:
        s = next(x for x in store.all() if x.revisions and x.rubric == "telephone")
        app = ScreenHarness(store, lambda: DetailScreen(s.id))

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            await pilot.press("down", "down", "down")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(120, 48), run_before=run_before)


async def _fill_header(pilot: Pilot, agency: str, unit: str) -> None:
    await settle(pilot)
    screen = pilot.app.screen
    screen.query_one("#header-agency", Input).value = agency
    screen.query_one("#header-unit", Input).value = unit
    screen.query_one("#header-tester", Input).value = "林志豪"
    screen.query_one("#item-1_1").focus()
    await pilot.pause()


def test_registration_form_screen(tmp_path: Path, snap_compare) -> None:
    with demo_store(tmp_path, fill=False) as store:
        app = ScreenHarness(store, lambda: FormScreen("registration"))

        async def run_before(pilot: Pilot) -> None:
            await _fill_header(pilot, "基隆市選舉委員會", "第一組")
            await pilot.press(*"yyyn", "m")
            await pilot.pause()
            await typed(pilot, "一樓無導引標示", "enter")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_petition_form_screen(tmp_path: Path, snap_compare) -> None:
    with demo_store(tmp_path, fill=False) as store:
        app = ScreenHarness(store, lambda: FormScreen("petition"))

        async def run_before(pilot: Pilot) -> None:
            await settle(pilot)
            screen = pilot.app.screen
            screen.query_one("#header-agency", Input).value = "基隆市政府"
            screen.query_one("#header-unit", Input).value = "民政處"
            screen.query_one("#header-tester", Input).value = "李建宏"
            screen.query_one("#item-1").focus()
            await pilot.press("y", "n")
            await pilot.click(".received")
            await typed(pilot, "2026-10-01", "tab", "2026-10-05")
            await pilot.click(".add-case")
            await pilot.pause()
            await typed(pilot, "115/10/12", "tab", "115/10/13")
            screen.query_one("#item-4").focus()
            await pilot.pause()

        assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
