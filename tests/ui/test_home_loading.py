"""Home is drawn before any session is read; a slow first read shows how far it has come."""

from __future__ import annotations

import threading
from pathlib import Path
from time import monotonic
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Label

from callcheck import archive
from callcheck.rubric import Rubric
from callcheck.store import Store
from callcheck.ui.app import CallcheckApp

from ..store.crash_child import make
from .conftest import QUIET_LIMIT, Clocks


async def lists_then_warm_up(app: CallcheckApp, pilot: Pilot[object]) -> None:
    """Wait for home's read of its lists, then for the warm-up read it starts once it has
    them (a worker of its own): not for a guessed number of rounds."""
    deadline = monotonic() + QUIET_LIMIT
    while not app.screen._loaded:  # type: ignore[attr-defined]
        assert monotonic() < deadline, "home never got its lists"
        await app.workers.wait_for_complete()
        await pilot.pause()
    await app.workers.wait_for_complete()


async def test_home_is_drawn_before_the_row_index_is_read_and_says_it_is_reading(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks,
        monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(3):  # three years of sessions: the index is read year by year
        s = make(n, 1)
        s.header["at"] = f"{2024 + n}-03-01T10:00:00+08:00"
        s.status, s.due_at = "pending_retest", f"{2024 + n}-03-01T10:10:00+08:00"
        store.save(s)
    store.compact()
    reopened = Store(store.path, readonly=True)  # nothing of the sessions read yet
    gate = threading.Event()
    real = archive.Archive.rows_path

    def slow_year(self: archive.Archive, name: str) -> Path:
        gate.wait(timeout=10)  # each year's read is held until the test has looked at home
        return real(self, name)

    monkeypatch.setattr(archive.Archive, "rows_path", slow_year)
    app = CallcheckApp(reopened, rubrics, "en", clock=clocks, wall_clock=clocks.wall)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#home-title")  # the first frame: home, drawn
        await pilot.pause(0.5)  # past the 0.3 s after which a slow read says so
        line = app.screen.query_one("#home-loading", Label)
        assert line.display and str(line.render()) == "Reading the records… (0 of 3 years)"
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not line.display
        assert len(app.screen.pending) == 3
    reopened.close()


async def test_the_collector_is_on_again_once_home_is_drawn(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    """`callcheck` starts with the garbage collector off (launch.py); home's first frame ends that."""
    import gc

    app = CallcheckApp(store, rubrics, "en", clock=clocks, wall_clock=clocks.wall)
    gc.disable()
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            for _ in range(200):  # home's first refresh may come a moment after idle
                if gc.isenabled():
                    break
                await pilot.pause(0.01)
            assert gc.isenabled()
            assert app.screen.query_one("#home-title")
    finally:
        gc.unfreeze()
        gc.enable()


async def test_historys_rows_are_read_in_the_background_once_home_has_its_lists(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """At 100,000 sessions the row index takes ~0.5 s to read: home reads it after its own
    lists, so History's first opening finds it read and shows its rows at once."""
    for n in range(3):
        s = make(n, 1)
        s.header["at"] = f"{2024 + n}-03-01T10:00:00+08:00"
        store.save(s)
    store.compact()
    reopened = Store(store.path, readonly=True)
    reads: list[str] = []  # each year's row index read whole (not home's search of bytes)
    real = archive.read_rows_file

    def counted(path: Path) -> Any:
        reads.append(threading.current_thread().name)
        return real(path)

    monkeypatch.setattr(archive, "read_rows_file", counted)
    app = CallcheckApp(reopened, rubrics, "en", clock=clocks, wall_clock=clocks.wall)
    async with app.run_test(size=(120, 36)) as pilot:
        await lists_then_warm_up(app, pilot)
        assert len(reads) == 3 and threading.main_thread().name not in reads  # in a worker
        await pilot.press("h")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "HistoryScreen"
        assert app.screen.history.total == 3
        assert len(reads) == 3  # History read nothing again
    reopened.close()


async def test_the_background_read_is_skipped_when_the_app_exits_first(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Quitting never waits for a read nobody will use: once exiting, the warm-up reads nothing."""
    app = CallcheckApp(store, rubrics, "en", clock=clocks, wall_clock=clocks.wall)
    called: list[bool] = []
    monkeypatch.setattr(store, "rows", lambda: called.append(True) or [])
    async with app.run_test(size=(120, 36)) as pilot:
        await lists_then_warm_up(app, pilot)
        assert called == [True]  # the warm-up read, once home had its lists
        app.flush_store()  # what exiting does first
        await app.workers.wait_for_complete([app.warm_rows()])
        assert called == [True]
