"""What a focus change costs with callcheck's footer and with Textual's own, side by side.

    python benchmarks/footer.py [--presses 40] [--runs 3]

Opens the setup screen of a new telephone test (headless, through Pilot, drawing every
frame as a terminal does) and presses Tab `--presses` times; prints the CPU time per
press, median of `--runs` runs, for `KeysFooter` (keys built compact, rebuilt only when
the keys shown change) and for Textual's `Footer(compact=True)` (every key rebuilt at
each focus change, each restyled once mounted), alternating the two.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual.widgets import Footer

from callcheck.rubric import load_rubrics
from callcheck.store import Store
from callcheck.ui.app import CallcheckApp
from callcheck.ui.widgets.keys_footer import KeysFooter

ROOT = Path(__file__).resolve().parents[1]


async def per_press(presses: int, folder: Path) -> float:
    """CPU seconds per Tab on the setup screen."""
    store = Store(folder / "callcheck.json")
    try:
        app = CallcheckApp(store=store, rubrics=load_rubrics(ROOT / "rubrics"), lang="zh")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("n")
            await pilot.pause()
            start = time.process_time()
            for _ in range(presses):
                await pilot.press("tab")
            await pilot.pause()
            return (time.process_time() - start) / presses
    finally:
        store.close()


def textuals_footer() -> None:
    """Make every KeysFooter behave as Textual's Footer (for the comparison)."""
    KeysFooter.compose = Footer.compose  # type: ignore[method-assign]
    KeysFooter.recompose = Footer.recompose  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    keys_compose, keys_recompose = KeysFooter.compose, KeysFooter.recompose
    samples: dict[str, list[float]] = {"KeysFooter": [], "Textual's Footer": []}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            for name in samples:
                if name == "KeysFooter":
                    KeysFooter.compose = keys_compose  # type: ignore[method-assign]
                    KeysFooter.recompose = keys_recompose  # type: ignore[method-assign]
                else:
                    textuals_footer()
                folder = Path(tmp) / f"{name[0]}{run}"
                folder.mkdir()
                samples[name].append(asyncio.run(per_press(args.presses, folder)))
    for name, values in samples.items():
        print(f"{name:18} {statistics.median(values) * 1000:6.1f} ms CPU per Tab "
              f"(runs: {', '.join(f'{v * 1000:.1f}' for v in values)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
