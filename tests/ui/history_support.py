"""A small app that shows one of the history issue's screens, on a store in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pendulum
from textual.app import App
from textual.screen import Screen

from callcheck.demo import fill_store
from callcheck.rubric import Rubric, load_rubrics
from callcheck.store import Store

NOW = pendulum.datetime(2026, 11, 26, 15, 0, tz="Asia/Taipei")
"""The wall-clock time the UI tests run at (pendulum.travel_to)."""


class ScreenHarness(App[None]):
    """Pushes one screen over a blank default screen, as the home screen would."""

    ENABLE_COMMAND_PALETTE = False

    def __init__(self, make: Callable[[], Screen]) -> None:
        super().__init__()
        self.make = make
        self.results: list[object] = []

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
    await pilot.pause()  # type: ignore[attr-defined]
