"""The callcheck Textual app: the screens, the store's workers, the language."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pendulum
from textual import work
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from ..dates import now as taipei_now
from ..i18n import Lang
from ..launch import collect_again
from ..rubric import Rubric
from ..words import tr
from .bindings import bind, localize
from .key_order import KeyOrder
from .storage import StoreFailed, StoreWorkers

if TYPE_CHECKING:
    from ..store import Store


class CallcheckApp(KeyOrder[int], StoreWorkers):
    """Times a test call, asks its courtesy items, scores it and keeps it."""

    CSS_PATH = Path(__file__).parent / "callcheck.tcss"
    TITLE = "callcheck"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        bind("quit", priority=True),
        bind("help", priority=True),
    ]

    def __init__(self, store: Store, rubrics: dict[str, Rubric], lang: Lang = "zh", *,
                 clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], pendulum.DateTime] = taipei_now,
                 db_created: bool = False, older_db: Path | None = None) -> None:
        super().__init__()
        self.store = store
        self.rubrics = rubrics
        self.lang: Lang = lang
        self.clock = clock
        """Monotonic seconds, on the same clock as key events' `event.time`."""
        self.wall_clock = wall_clock
        self.db_created = db_created
        """This run made the database: the home screen says so, once."""
        self.older_db = older_db
        """A database where callcheck looked before (./sessions/): the home screen offers it."""
        self._init_store_workers()
        localize(self, lang)

    @property
    def call_rubric(self) -> Rubric:
        """The form scored from a timed call (the telephone form)."""
        return next(r for r in self.rubrics.values() if r.uses_calls)

    def get_default_screen(self) -> Screen[None]:
        from .screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self.call_after_refresh(self._first_frame_drawn)

    def _first_frame_drawn(self) -> None:
        collect_again()  # `callcheck` starts with the collector off (launch.py)
        self._check_damaged()

    @work(thread=True, group="damaged", exit_on_error=False)
    def _check_damaged(self) -> None:
        """Off the event loop: it reads the row index, which the first frame never waits for."""
        damaged = self.store.damaged()
        if damaged:
            self.call_from_thread(self._say_damaged, damaged)

    def _say_damaged(self, damaged: list[tuple[str, str]]) -> None:
        items = "; ".join(f"{sid[:8]} ({why})" for sid, why in damaged[:3])
        items += " …" if len(damaged) > 3 else ""
        self.notify(tr("store.damaged", self.lang, n=len(damaged), items=items),
                    severity="warning", timeout=20, markup=False)

    def action_help(self) -> None:
        """F1 on any screen or dialog, even while typing in a field; F1 again closes it."""
        from .screens.base import House
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            screen = self.screen
            now = screen.keys_now() if isinstance(screen, House) else set(screen.active_bindings)
            self.push_screen(HelpScreen((screen, self), now))

    async def action_quit(self) -> None:
        """Write every queued save before leaving: quitting mid-call loses nothing."""
        await asyncio.to_thread(self.flush_store)
        self.exit()

    def on_unmount(self) -> None:
        self.flush_store()

    def report_error(self, text: str) -> None:
        """Show a failure where the tester sees it (never as markup: it may quote user text)."""
        self.bell()
        self.notify(text, severity="error", timeout=15, markup=False)

    def on_store_failed(self, message: StoreFailed) -> None:
        self.report_error(tr("error.store", self.lang, error=message.error))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report_error(tr("error.worker", self.lang, error=event.worker.error))
