"""The app opened on one of its screens, on a store in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pendulum
from textual.screen import Screen

from callcheck.demo import fill_store
from callcheck.i18n import Lang
from callcheck.rubric import Rubric, load_rubrics
from callcheck.store import Store
from callcheck.ui.app import CallcheckApp
from callcheck.ui.screens.base import CallcheckScreen

from .conftest import quiet

NOW = pendulum.datetime(2026, 11, 26, 15, 0, tz="Asia/Taipei")
"""The wall-clock time the UI tests run at (pendulum.travel_to)."""


class Underneath(CallcheckScreen[None]):
    """An empty screen in home's place, so that home's timers and toasts stay out of the test."""


class ScreenHarness(CallcheckApp):
    """The real app, on `store`, with one screen pushed as home would push it."""

    def __init__(self, store: Store, make: Callable[[], Screen[Any]], lang: Lang = "zh") -> None:
        super().__init__(store, RUBRICS, lang)
        self.make = make
        self.results: list[object] = []

    def get_default_screen(self) -> Screen[None]:
        return Underneath()

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.results.append)


@contextmanager
def demo_store(tmp_path: Path, fill: bool = True) -> Iterator[Store]:
    """A store holding the demo sessions (as of NOW), closed afterwards."""
    store = Store(tmp_path / "sessions.json")
    try:
        if fill:
            fill_store(store, RUBRICS, now=NOW)
        yield store
    finally:
        store.close()


RUBRICS: dict[str, Rubric] = load_rubrics()


async def settle(pilot: object) -> None:
    """Let workers finish and their messages be handled."""
    app = pilot.app  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await quiet(pilot)  # type: ignore[arg-type]
