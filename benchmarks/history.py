"""History at 10,000 sessions: time to first rows, and per filter keystroke.

    python benchmarks/history.py [--sessions 10000] [--seed 105]
    python benchmarks/history.py --db /tmp/callcheck-bench/parts-100k/callcheck.json

Fills a throwaway store with realistic sessions (`callcheck.demo`), or opens
an existing database read-only (`--db`, e.g. the 100k fixture of
`benchmarks/archive.py`), then measures, median of several runs:

- core: reading the store's row index and building the rows
  (`History.from_index(store.rows())`, the index read cold, from disk), and
  one narrowing keystroke of the free-text filter (`History.set_filter`);
- UI: pushing the history screen until its first rows are painted, and one
  keystroke in the search box until the table is repainted (headless, through
  Textual's Pilot, which adds its own waiting: an upper bound).

Targets (issue "History, the other two forms…"): first rows ≤ 0.3 s, a filter
keystroke ≤ 0.1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from callcheck.dates import now
from callcheck.demo import iter_realistic_sessions
from callcheck.history import History, HistoryFilter
from callcheck.rubric import load_rubrics
from callcheck.store import Store
from callcheck.ui.app import CallcheckApp
from callcheck.ui.screens.history import HistoryScreen
from callcheck.ui.widgets.lazy_table import LazyTable

QUERY = "基隆市選舉委員會 第一組"
"""Typed one character at a time, as a tester would (each keystroke narrows)."""


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:7.1f} ms (max {max(samples) * 1000:.1f})"


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


class Blank(Screen[None]):
    """A screen with only a Footer: what pushing any screen costs here."""

    def compose(self) -> ComposeResult:
        yield Footer()


class Bench(CallcheckApp):
    """The app on the benchmark's store, with an empty screen in home's place."""

    def get_default_screen(self) -> Screen[None]:
        return Screen()


class TimedHistoryScreen(HistoryScreen):
    """The history screen, noting when each filter's result has been painted."""

    painted: list[float]

    def apply_filter(self) -> None:
        super().apply_filter()
        self.call_after_refresh(lambda: self.painted.append(time.perf_counter()))


async def ui_run(store: Store, rubrics: dict) -> tuple[float, list[float], float]:
    """(first painted rows, per-keystroke times, a blank screen's push) through the screen.

    A keystroke is timed from just before the key is sent to the repaint
    after its filter (Pilot's own waiting afterwards is not counted).
    """
    app = Bench(store, rubrics)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        await app.push_screen(Blank())
        blank = time.perf_counter() - start
        app.pop_screen()
        await pilot.pause()
        start = time.perf_counter()
        with app._context():  # a screen is made inside its app
            screen = TimedHistoryScreen()
        screen.painted = []
        await app.push_screen(screen)
        table = screen.query_one("#history-table", LazyTable)
        while not table.rows:
            await asyncio.sleep(0.0005)
        for y in range(table.size.height):  # paint what is on screen
            table.render_line(y)
        first = time.perf_counter() - start
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen.query_one("#filter-text").focus()
        await pilot.pause()
        keys = []
        for ch in QUERY:
            screen.painted.clear()
            start = time.perf_counter()
            await pilot.press("space" if ch == " " else ch)
            await pilot.pause()
            assert screen.painted, "the filter ran and was painted"
            keys.append(screen.painted[0] - start)
        assert table.rows, "the query should match some sessions"
    return first, keys, blank


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=105)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", help="an existing database, opened read-only")
    args = parser.parse_args(argv)
    rubrics = load_rubrics()
    with tempfile.TemporaryDirectory() as tmp:
        if args.db:
            db = Path(args.db)
        else:
            db = Path(tmp) / "bench.json"
            start = time.perf_counter()
            with Store(db) as store:
                store.insert_many(iter_realistic_sessions(args.sessions, args.seed, rubrics,
                                                          now()))
            print(f"{args.sessions} sessions made and stored in "
                  f"{time.perf_counter() - start:.1f} s")
        with Store(db, readonly=True) as store:
            print(f"{store.count()} sessions")

            def cold() -> History:
                with Store(db, readonly=True) as fresh:
                    return History.from_index(fresh.rows())

            build = [timed(cold) for _ in range(args.runs)]
            history = History.from_index(store.rows())
            keys = []
            for _ in range(args.runs):
                text = ""
                history.set_filter(HistoryFilter())
                for ch in QUERY:
                    text += ch
                    keys.append(timed(lambda t=text: history.set_filter(HistoryFilter(text=t))))
            wide = []
            for _ in range(args.runs):
                history.set_filter(HistoryFilter(text="zzz"))
                wide.append(timed(lambda: history.set_filter(HistoryFilter(text="第"))))
            sort = [timed(lambda: history.sort("agency")) for _ in range(args.runs)]
            print("core")
            print(f"  rows from the row index (cold)    {median_ms(build)}")
            print(f"  filter keystroke (narrowing)      {median_ms(keys)}")
            print(f"  filter from scratch (all rows)    {median_ms(wide)}")
            print(f"  sort by a column                  {median_ms(sort)}")
            firsts, ui_keys, blanks, colds = [], [], [], []
            for _ in range(args.runs):
                first, ks, blank = asyncio.run(ui_run(store, rubrics))
                firsts.append(first)
                blanks.append(blank)
                ui_keys += ks
                with Store(db, readonly=True) as fresh:
                    colds.append(asyncio.run(ui_run(fresh, rubrics))[0])
            print("UI (headless, 120×36)")
            print(f"  first rows on screen              {median_ms(firsts)}")
            print(f"    (the index not yet read:        {median_ms(colds).strip()})")
            print(f"    (pushing a screen with only a Footer: {median_ms(blanks).strip()})")
            print(f"  search keystroke to repaint       {median_ms(ui_keys)}")
    ok = statistics.median(firsts) <= 0.3 and statistics.median(ui_keys) <= 0.1
    print("targets: first rows ≤ 300 ms, keystroke ≤ 100 ms:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
