"""Store benchmark: save, live mark, load and export at 100, 1,000 and 10,000 sessions.

Prints medians for callcheck's journaled TinyDB storage, and the same save with
TinyDB's default JSONStorage on the same data, as a ratio. Sessions are the
realistic ones of `callcheck.demo` (about 3 KB each, Chinese text).

    python benchmarks/store.py            # 100, 1,000 and 10,000
    python benchmarks/store.py 100 1000   # chosen sizes

Targets on a 2-core machine: save ≤ 50 ms median at 10,000 sessions; a live
mark ≤ 5 ms whatever the history size; export of 10,000 ≤ 1 s.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tinydb import TinyDB

from callcheck.demo import realistic_sessions
from callcheck.export import Selection, export_json, select
from callcheck.rubric import load_rubrics
from callcheck.session import Session
from callcheck.store import Store
from callcheck.timing import Mark


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def fresh(template: Session, n: int) -> Session:
    doc = template.to_doc()
    doc["id"] = f"00000000-0000-4000-8000-{n:012d}"
    return Session.from_doc(doc)


def bench(size: int, pool: list[Session], work: Path) -> dict[str, float]:
    db = work / f"db{size}" / "callcheck.json"
    with Store(db) as store:
        store.insert_many(pool[:size])
    extra = pool[size:size + 40]

    out: dict[str, float] = {}
    out["load all"] = median_ms(lambda: Store(db, readonly=True).all(), 5)

    store = Store(db)
    it = iter(extra)
    out["save"] = median_ms(lambda: store.save(next(it)), 30)

    live = fresh(pool[0], 999_999)
    live.status = "draft"
    marks = live.attempts[0].marks if live.attempts else []

    def mark() -> None:
        marks.append(Mark(len(marks) * 0.5, "ring", "unit"))
        store.save_draft(live)

    out["live mark"] = median_ms(mark, 200)
    docs = store.docs()
    out["export all"] = median_ms(lambda: export_json(select(docs, Selection())), 3)
    store.close()

    plain = work / f"plain{size}.json"
    tdb = TinyDB(str(plain), ensure_ascii=False)
    tdb.table("sessions").insert_multiple(s.to_doc() for s in pool[:size])
    it2 = iter(extra)
    runs = 5 if size >= 10_000 else 15
    out["save, default JSONStorage"] = median_ms(
        lambda: tdb.table("sessions").insert(next(it2).to_doc()), runs)
    tdb.close()
    out["file MB"] = db.stat().st_size / 1e6
    return out


def main(argv: list[str]) -> None:
    sizes = [int(a.replace(",", "")) for a in argv] or [100, 1_000, 10_000]
    rubrics = load_rubrics()
    print(f"generating {max(sizes) + 40:,} realistic sessions…", file=sys.stderr)
    pool = realistic_sessions(max(sizes) + 40, seed=7, rubrics=rubrics)
    avg = statistics.mean(len(json.dumps(s.to_doc(), ensure_ascii=False).encode())
                          for s in pool[:500])
    work = Path(tempfile.mkdtemp(prefix="callcheck-bench-"))
    try:
        print(f"sessions of {avg / 1000:.1f} KB on average; medians in ms\n")
        head = f"{'sessions':>9} {'save':>8} {'live mark':>10} {'load all':>9} " \
               f"{'export all':>11} {'default save':>13} {'ratio':>7} {'file MB':>8}"
        print(head)
        print("-" * len(head))
        for size in sizes:
            r = bench(size, pool, work)
            ratio = r["save, default JSONStorage"] / r["save"]
            print(f"{size:>9,} {r['save']:>8.2f} {r['live mark']:>10.2f} {r['load all']:>9.1f} "
                  f"{r['export all']:>11.1f} {r['save, default JSONStorage']:>13.1f} "
                  f"{ratio:>6.0f}× {r['file MB']:>8.1f}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
