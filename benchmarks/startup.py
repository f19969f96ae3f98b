"""Cold start to first frame: `callcheck` against a bare Textual app (a Label and a Footer).

Each run is a new Python process (so imports are paid every time), timed from
the moment it is spawned until its first frame: the app runs headless at
120×36 and an auto-pilot, once the first screen is drawn, notes the time and
exits (the exit is not counted). callcheck starts through its real command line
(`callcheck --db <empty temporary database>`), so the figure includes reading
the rubrics and opening the store. Prints the medians and their ratio
(target: at most 1.5× at 100,000 sessions, issue 12; `--db` picks the database).

    python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST_FRAME = """
from textual.app import App

_run = App.run


async def _first_frame(pilot):
    await pilot.pause()
    import sys, time
    print(f"FIRST_FRAME {time.time():.6f}", file=sys.stderr, flush=True)
    while not getattr(pilot.app.screen, "_loaded", True):  # home's lists filled
        await pilot.pause(0.005)
    print(f"HOME_USABLE {time.time():.6f}", file=sys.stderr, flush=True)
    pilot.app.exit()


def _run_to_first_frame(self, *args, **kwargs):
    kwargs.update(headless=True, size=(120, 36), auto_pilot=_first_frame)
    return _run(self, *args, **kwargs)


App.run = _run_to_first_frame
"""

BARE = FIRST_FRAME + """
from textual.widgets import Footer, Label


class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Label("callcheck")
        yield Footer()


Bare().run()
"""

CALLCHECK = FIRST_FRAME + """
import sys
from callcheck.cli import main

sys.exit(main(["--db", sys.argv[1]]))
"""


def time_both(code: str, *args: str) -> tuple[float, float]:
    """Seconds from spawning the process to its first frame, and to home's lists filled."""
    start = time.time()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"the app did not start:\n{done.stdout}\n{done.stderr}")
    stamps = {line.split()[0]: float(line.split()[1]) for line in done.stderr.splitlines()
              if line.startswith(("FIRST_FRAME", "HOME_USABLE"))}
    return stamps["FIRST_FRAME"] - start, stamps["HOME_USABLE"] - start


def time_once(code: str, *args: str) -> float:
    """Seconds from spawning the process to its first frame (the app's exit is not counted)."""
    return time_both(code, *args)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", help="an existing database to open (default: a new empty one); "
                                     "also reports when home's lists are filled")
    args = parser.parse_args()
    bare: list[float] = []
    ours: list[float] = []
    # Installed packages come byte-compiled (textual's did); compile callcheck's own
    # modules too, or an editable install under PYTHONDONTWRITEBYTECODE would pay
    # for compiling its source on every start and the comparison would be unfair.
    import callcheck

    compileall.compile_dir(str(Path(callcheck.__file__).parent), quiet=1)
    usable: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "callcheck.json")
        time_once(BARE)  # warm the file cache (and .pyc files) for both before timing
        time_once(CALLCHECK, db)
        for _ in range(args.runs):  # alternate, so drift hits both alike
            bare.append(time_once(BARE))
            first, home = time_both(CALLCHECK, db)
            ours.append(first)
            usable.append(home)
    b, c = statistics.median(bare), statistics.median(ours)
    bm, cm = min(bare), min(ours)
    name = f"callcheck --db {'<given>' if args.db else '<empty>'}:"
    print(f"{'':34} {'median':>7} {'best':>7}   ({args.runs} runs each)")
    print(f"bare Textual app (Label + Footer): {b * 1000:5.0f} ms {bm * 1000:5.0f} ms")
    print(f"{name:34} {c * 1000:5.0f} ms {cm * 1000:5.0f} ms")
    print(f"ratio:                             {c / b:6.2f}x {cm / bm:6.2f}x  (target <= 1.5x)")
    print(f"home usable (its lists filled):    {statistics.median(usable) * 1000:5.0f} ms "
          f"{min(usable) * 1000:5.0f} ms")


if __name__ == "__main__":
    main()
