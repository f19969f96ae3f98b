"""The store at 1k, 10k and 100k sessions, beside stdlib sqlite3 and the orjson floor.

Realistic sessions of `callcheck.demo` over ten years (1k ⊂ 10k ⊂ 100k),
from the fixture databases of `benchmarks/fixtures.py` (built once under
$CALLCHECK_BENCH_DIR, default /tmp/callcheck-bench, and reused). Each size is
converted once from the single-file layout (the conversion is timed), then:

- callcheck: the commands as a person runs them (`callcheck list`, `export -o`,
  `import` of a 10k export into a copy: new processes, wall time, CPU time
  (user + system) and peak memory from /usr/bin/time), and in-process the row
  index read at open, a save (median of 30) and the close after one change
  (quit);
- sqlite3 (stdlib, WAL, synchronous=FULL): the same sessions in one table
  with the row's columns beside the document, the same operations in-process
  (wall and CPU time);
- orjson floor: only parsing/serialising the same JSON with orjson, no store
  at all (what any JSON-file design pays at least).

    pip install orjson               # for the floor column only
    python benchmarks/fixtures.py    # once (a few minutes for 100k)
    python benchmarks/archive.py [1000 10000 100000]
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from callcheck.store import Store
from fixtures import BENCH_DIR, SIZES, build, import_file, label, legacy_db

ROW_COLUMNS = ("id", "at", "rubric", "status", "agency", "unit", "tester", "number", "score",
               "due_at")


def parts_db(size: int) -> Path:
    return BENCH_DIR / f"parts-{label(size)}" / "callcheck.json"


def sqlite_db(size: int) -> Path:
    return BENCH_DIR / f"sqlite-{label(size)}.db"


def convert(size: int) -> float | None:
    """The converted database of `size` (made once); the conversion's seconds if made now."""
    db = parts_db(size)
    if db.exists():
        return None
    shutil.rmtree(db.parent, ignore_errors=True)
    db.parent.mkdir(parents=True)
    shutil.copy(legacy_db(size), db)
    start = time.perf_counter()
    Store(db).close()
    return time.perf_counter() - start


def run_timed(args: list[str]) -> str:
    """Wall seconds, CPU seconds (user + system) and peak MB of a command in a new process."""
    with tempfile.NamedTemporaryFile("r") as out:
        cmd = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", out.name, *args]
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              check=False)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
        wall, user, system, kb = out.read().split()[-4:]
    return f"{float(wall):.2f} s (CPU {float(user) + float(system):.2f} s), {int(kb) / 1024:.0f} MB"


def load() -> str:
    """The machine's load average over the last minute (timings under load are noisy)."""
    return f"{os.getloadavg()[0]:.1f}"


def callcheck_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "callcheck", *args]


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


# -- callcheck -----------------------------------------------------------------------------

def bench_callcheck(size: int, work: Path) -> dict[str, str]:
    db = parts_db(size)
    out: dict[str, str] = {}
    start = time.perf_counter()
    store = Store(db)
    opened = time.perf_counter() - start
    start = time.perf_counter()
    store.load()
    index = time.perf_counter() - start
    out["open (no loading) / row index"] = f"{opened * 1000:.0f} ms / {index * 1000:.0f} ms"
    rows = sorted(store.rows(), key=lambda r: r.at)
    target = store.get(rows[-1].id)

    def save() -> None:
        target.notes["bench"] = f"{time.perf_counter()}"
        store.save(target)

    out["save"] = f"{median_ms(save, 30):.1f} ms"
    start = time.perf_counter()
    store.close()  # folds 30 saves into the year they touched
    out["quit after 30 saves"] = f"{(time.perf_counter() - start) * 1000:.0f} ms"
    store = Store(db)
    store.load()
    save_one = store.get(rows[-1].id)
    save_one.notes["bench"] = "quit"
    store.save(save_one)
    start = time.perf_counter()
    store.close()
    out["quit after one change"] = f"{(time.perf_counter() - start) * 1000:.0f} ms"

    out["`list`"] = run_timed(callcheck_cmd("--db", str(db), "list"))
    export = work / "export.json"
    out["`export -o` (JSON)"] = run_timed(callcheck_cmd("--db", str(db), "export", "-o",
                                                        str(export)))
    out["`export -o` (CSV)"] = run_timed(callcheck_cmd("--db", str(db), "export", "-o",
                                                       str(work / "e.csv")))
    copy = work / "copy"
    shutil.copytree(db.parent, copy)
    out["`import` of 10k"] = run_timed(callcheck_cmd("--db", str(copy / db.name), "import",
                                                     str(import_file())))
    shutil.rmtree(copy)
    return out


# -- sqlite3 -------------------------------------------------------------------------------

def _row(doc: dict) -> tuple:
    h = doc.get("header") or {}
    total = (doc.get("result") or {}).get("total") or {}
    return (doc["id"], h.get("at") or doc.get("created_at"), doc.get("rubric"),
            doc.get("status"), h.get("agency"), h.get("unit"), h.get("tester"), h.get("number"),
            total.get("score"), doc.get("due_at"), json.dumps(doc, ensure_ascii=False))


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    return con


def make_sqlite(size: int) -> None:
    path = sqlite_db(size)
    if path.exists():
        return
    docs = json.loads(legacy_db(size).read_text(encoding="utf-8"))["sessions"].values()
    con = _connect(path)
    con.execute(f"CREATE TABLE sessions ({', '.join(ROW_COLUMNS)}, doc, PRIMARY KEY (id))")
    con.execute("CREATE INDEX by_at ON sessions (at)")
    with con:
        con.executemany(f"INSERT INTO sessions VALUES ({', '.join('?' * 11)})",
                        (_row(d) for d in docs))
    con.close()


def bench_sqlite(size: int, work: Path) -> dict[str, str]:
    make_sqlite(size)
    copy = work / "s.db"
    shutil.copy(sqlite_db(size), copy)
    out: dict[str, str] = {}
    start = time.perf_counter()
    con = _connect(copy)
    rows = con.execute(f"SELECT {', '.join(ROW_COLUMNS)} FROM sessions").fetchall()
    out["open (no loading) / row index"] = f"– / {(time.perf_counter() - start) * 1000:.0f} ms"
    sid = max(rows, key=lambda r: r[1])[0]
    doc = json.loads(con.execute("SELECT doc FROM sessions WHERE id=?", (sid,)).fetchone()[0])

    def save() -> None:
        doc.setdefault("notes", {})["bench"] = f"{time.perf_counter()}"
        with con:
            con.execute("INSERT OR REPLACE INTO sessions VALUES "
                        f"({', '.join('?' * 11)})", _row(doc))

    out["save"] = f"{median_ms(save, 30):.1f} ms"
    start = time.perf_counter()
    con.close()
    out["quit after 30 saves"] = f"{(time.perf_counter() - start) * 1000:.0f} ms"
    con = _connect(copy)
    start, cpu = time.perf_counter(), time.process_time()
    with open(os.devnull, "w", encoding="utf-8") as null:
        for r in con.execute(f"SELECT {', '.join(ROW_COLUMNS)} FROM sessions ORDER BY at, id"):
            null.write(f"{r[0][:8]}  {(r[1] or '')[:16]}  {r[2]:<12} {r[3]:<14} {r[8]}  "
                       f"{r[4]} / {r[5]}  {r[6]}\n")
    out["`list`"] = f"{time.perf_counter() - start:.2f} s (CPU {time.process_time() - cpu:.2f} s)"
    start, cpu = time.perf_counter(), time.process_time()
    with open(work / "s-export.json", "w", encoding="utf-8") as f:
        f.write('{"sessions": [\n')
        for n, (text,) in enumerate(con.execute("SELECT doc FROM sessions ORDER BY at, id")):
            f.write(text if n == 0 else ",\n" + text)
        f.write("\n]}\n")
    out["`export -o` (JSON)"] = (f"{time.perf_counter() - start:.2f} s "
                                 f"(CPU {time.process_time() - cpu:.2f} s)")
    start, cpu = time.perf_counter(), time.process_time()
    incoming = json.loads(import_file().read_text(encoding="utf-8"))["sessions"]
    with con:
        con.executemany(f"INSERT OR IGNORE INTO sessions VALUES ({', '.join('?' * 11)})",
                        (_row(d) for d in incoming))
    out["`import` of 10k"] = (f"{time.perf_counter() - start:.2f} s (CPU "
                              f"{time.process_time() - cpu:.2f} s; no checks)")
    con.close()
    return out


# -- orjson floor --------------------------------------------------------------------------

def bench_orjson(size: int, work: Path) -> dict[str, str]:
    try:
        import orjson
    except ImportError:
        return {}
    parts = parts_db(size).with_name(parts_db(size).name + ".parts")
    out: dict[str, str] = {}
    start = time.perf_counter()
    for f in parts.glob("*.rows"):
        orjson.loads(f.read_bytes())
    out["open (no loading) / row index"] = f"– / {(time.perf_counter() - start) * 1000:.0f} ms"
    years = sorted(p for p in parts.glob("*.json") if p.name != "damaged.json")
    start = time.perf_counter()
    with open(work / "o-export.json", "wb") as f:
        for year in years:
            docs = orjson.loads(year.read_bytes())["sessions"]
            for doc in docs.values():
                f.write(orjson.dumps(doc) + b",\n")
    out["`export -o` (JSON)"] = f"{time.perf_counter() - start:.2f} s (parse + write)"
    start = time.perf_counter()
    orjson.loads(import_file().read_bytes())
    out["`import` of 10k"] = f"{time.perf_counter() - start:.2f} s (parse only)"
    return out


def main(argv: list[str]) -> None:
    sizes = tuple(int(a) for a in argv) or SIZES
    build(sizes)
    started, load_before = time.perf_counter(), load()
    results: dict[int, list[dict[str, str]]] = {}
    for size in sizes:
        converted = convert(size)
        if converted is not None:
            print(f"{label(size)}: converted from the single-file layout in {converted:.1f} s",
                  file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="callcheck-archive-") as tmp:
            work = Path(tmp)
            results[size] = [bench_callcheck(size, work), bench_sqlite(size, work),
                             bench_orjson(size, work)]
        print(f"{label(size)} done", file=sys.stderr)
    print(f"\n{' '.join(sys.argv)}: {time.perf_counter() - started:.0f} s; load average "
          f"{load_before} before, {load()} after (nproc {os.cpu_count()})")
    for size, (ours, lite, floor) in results.items():
        print(f"\n{label(size)} sessions "
              f"({sum(f.stat().st_size for f in parts_db(size).parent.rglob('*.json')) / 1e6:.0f}"
              " MB of year files)")
        print("| measure | callcheck | sqlite3 | orjson floor |\n|---|---|---|---|")
        for key, value in ours.items():
            print(f"| {key} | {value} | {lite.get(key, '–')} | {floor.get(key, '–')} |")


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main(sys.argv[1:])
