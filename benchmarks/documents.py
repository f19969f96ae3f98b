"""The documents at scale: the period report, printing forms, verifying digests.

    python benchmarks/documents.py [--sessions 10000] [--forms 100] [--seed 105]

Fills a throwaway store with realistic finished sessions (`callcheck.demo`),
then measures, median of several runs:

- report: `build_report` + `render_report` over every session (in memory), and
  `callcheck report --no-forms` end to end (opening and reading the database);
- print: `render_forms` of the first N sessions into one file, and
  `callcheck print --rubric … ` end to end;
- verify: `digest.verify` over every document, and `callcheck verify` end to end.

Beside each, the floor it cannot go under: reading the database's documents
(`Store.docs()` on a freshly opened store, `json`), and the same read as
report and verify do it (the store's raw bytes decoded by msgspec). Targets (issue 11): report over
10,000 sessions ≤ 2 s; printing 100 forms ≤ 2 s; verify of 10,000 ≤ 1 s.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from callcheck.cli import _read_all_docs
from callcheck.cli import main as cli
from callcheck.demo import iter_realistic_sessions
from callcheck.digest import verify
from callcheck.printing import render_forms
from callcheck.report import build_report, render_report
from callcheck.rubric import load_rubrics
from callcheck.session import Session
from callcheck.store import Store


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def row(name: str, samples: list[float], target: float | None = None) -> str:
    med = statistics.median(samples)
    tgt = f"target ≤ {target:.1f} s" if target else ""
    return f"{name:<46} {med * 1000:9.1f} ms  (best {min(samples) * 1000:.1f})  {tgt}"


def run_cli(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = cli(argv, out=out, err=err)
    if code not in (0,):
        raise SystemExit(f"callcheck {' '.join(argv)} failed: {err.getvalue()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--forms", type=int, default=100)
    parser.add_argument("--seed", type=int, default=105)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rubrics = load_rubrics()
    with tempfile.TemporaryDirectory(prefix="callcheck-bench-") as tmp:
        db = Path(tmp) / "callcheck.json"
        t0 = time.perf_counter()
        with Store(db) as store:
            store.insert_many(iter_realistic_sessions(args.sessions, args.seed, rubrics))
        size = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file())
        print(f"{args.sessions} sessions generated and stored in "
              f"{time.perf_counter() - t0:.1f} s; database files {size / 1e6:.1f} MB\n")

        def read() -> list[dict]:
            with Store(db, readonly=True) as s:
                return s.docs()

        docs = read()
        sessions = [Session.from_doc(d) for d in docs[:args.forms]]
        runs = args.runs
        print(row("floor: open the database and read all documents", timed(read, runs)))
        args_ns = argparse.Namespace(db=str(db), command="verify")
        print(row("  the same as report and verify read (msgspec)",
                  timed(lambda: _read_all_docs(args_ns), runs)))
        print()
        print(row(f"report over {len(docs)} (core: build + render)",
                  timed(lambda: render_report(build_report(docs, rubrics), rubrics), runs),
                  2.0))
        print(row("  of which build_report", timed(lambda: build_report(docs, rubrics), runs)))
        out = Path(tmp) / "report.html"
        print(row("callcheck report --no-forms (end to end)",
                  timed(lambda: run_cli(["--db", str(db), "report", "--no-forms",
                                         "-o", str(out)]), runs), 2.0))
        print()
        print(row(f"print {len(sessions)} forms (core: render_forms)",
                  timed(lambda: render_forms(sessions, rubrics), runs), 2.0))
        ids = [s.id for s in sessions]
        forms = Path(tmp) / "forms.html"
        print(row(f"callcheck print {len(ids)} ids (end to end)",
                  timed(lambda: run_cli(["--db", str(db), "print", *ids, "-o", str(forms)]),
                        runs), 2.0))
        print()
        print(row(f"verify {len(docs)} (core: digest.verify)",
                  timed(lambda: verify(docs), runs), 1.0))
        print(row("callcheck verify (end to end)",
                  timed(lambda: run_cli(["--db", str(db), "verify"]), runs), 1.0))


if __name__ == "__main__":
    main()
