"""Cold start to first frame: `callcheck` against a bare Textual app (a Label and a Footer).

Each run is a new Python process (so imports are paid every time), timed from
the moment it is spawned. Both apps run headless at 120×36; two moments are
stamped in each:

- first frame: the first screen is laid out and painted in full (Textual's
  first full-screen update, what a terminal would show);
- settled: an auto-pilot then waits, for the bare app, until the process is
  idle (Pilot's `pause()`: no CPU used for a moment); for callcheck, until
  home's lists are filled (home usable): the pending retests and drafts read
  from the store in a worker after the first frame. The row index that home
  then reads in the background for History is not waited for.

callcheck starts through its real entry point (the `callcheck` command:
`callcheck.launch:main`, `--db <database>`), so the figures include reading
the rubrics and opening the store. Prints the medians and their ratio to the
bare app measured in the same run, alternating the two (target: first frame at
most 1.5× at 100,000 sessions, issue 12; home usable ≤ 1 s).

    python benchmarks/startup.py [--runs N] [--db PATH]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST_FRAME = """
import sys, time
from textual.app import App

_run = App.run
_display = App._display


def _stamp_first_frame(self, screen, renderable):
    if renderable is not None and type(renderable).__name__ == "LayoutUpdate" \\
            and not getattr(App, "_first_frame", False):
        App._first_frame = True  # the first full-screen paint
        print(f"FIRST_FRAME {time.time():.6f}", file=sys.stderr, flush=True)
    _display(self, screen, renderable)


async def _settle(pilot):
    if hasattr(pilot.app.screen, "_loaded"):  # callcheck: until home's lists are filled,
        while not pilot.app.screen._loaded:  # not the row index read after them for History
            await pilot.pause(0.005)
        await pilot.pause(0)
    else:
        await pilot.pause()  # the bare app: until the process is idle
    print(f"SETTLED {time.time():.6f}", file=sys.stderr, flush=True)
    pilot.app.exit()


def _run_headless(self, *args, **kwargs):
    kwargs.update(headless=True, size=(120, 36), auto_pilot=_settle)
    return _run(self, *args, **kwargs)


App._display = _stamp_first_frame
App.run = _run_headless
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
from callcheck.launch import main

sys.argv = ["callcheck", "--db", sys.argv[1]]
sys.exit(main())
"""


def time_both(code: str, *args: str) -> tuple[float, float]:
    """Seconds from spawning the process to its first frame, and until it has settled."""
    start = time.time()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"the app did not start:\n{done.stdout}\n{done.stderr}")
    stamps = {line.split()[0]: float(line.split()[1]) for line in done.stderr.splitlines()
              if line.startswith(("FIRST_FRAME", "SETTLED"))}
    return stamps["FIRST_FRAME"] - start, stamps["SETTLED"] - start


def _row(name: str, samples: list[float], base: list[float] | None = None) -> str:
    med, best = statistics.median(samples), min(samples)
    ratio = ""
    if base is not None:
        ratio = f"   {med / statistics.median(base):5.2f}x {best / min(base):5.2f}x"
    return f"  {name:32} {med * 1000:6.0f} ms {best * 1000:6.0f} ms{ratio}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", help="an existing database to open (default: a new empty one)")
    args = parser.parse_args()
    # Installed packages come byte-compiled (textual's did); compile callcheck's own
    # modules too, or an editable install under PYTHONDONTWRITEBYTECODE would pay
    # for compiling its source on every start and the comparison would be unfair.
    import callcheck

    compileall.compile_dir(str(Path(callcheck.__file__).parent), quiet=1)
    runs: dict[str, tuple[list[float], list[float], list[float]]] = {
        "bare": ([], [], []), "callcheck": ([], [], [])}
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "callcheck.json")
        time_both(BARE)  # warm the file cache (and .pyc files) for both before timing
        time_both(CALLCHECK, db)
        for _ in range(args.runs):  # alternate, so drift hits both alike
            for name, code, extra in (("bare", BARE, ()), ("callcheck", CALLCHECK, (db,))):
                cpu = _children_cpu()
                first, settled = time_both(code, *extra)
                runs[name][0].append(first)
                runs[name][1].append(settled)
                runs[name][2].append(_children_cpu() - cpu)
    bare, ours = runs["bare"], runs["callcheck"]
    print(f"callcheck --db {args.db or '<a new empty database>'}; {args.runs} runs each, "
          f"alternating; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"  {'':32} {'median':>9} {'best':>9}   {'ratio to bare (median, best)'}")
    print("first frame (painted)")
    print(_row("bare Textual app (Label+Footer)", bare[0]))
    print(_row("callcheck", ours[0], bare[0]) + "   (target <= 1.5x)")
    print("settled (bare: idle; callcheck: home's lists filled)")
    print(_row("bare Textual app (Label+Footer)", bare[1]))
    print(_row("callcheck", ours[1], bare[1]) + "   (home usable: target <= 1 s)")
    print("CPU time per run, user+sys (start to exit)")
    print(_row("bare Textual app (Label+Footer)", bare[2]))
    print(_row("callcheck", ours[2], bare[2]))


def _children_cpu() -> float:
    """User+sys seconds of the finished child processes so far."""
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


if __name__ == "__main__":
    main()
