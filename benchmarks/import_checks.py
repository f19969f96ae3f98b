"""What `callcheck import` of a small file costs in a new process, for source trees side by side.

    python benchmarks/import_checks.py [--runs 15] [--sessions 3] [SRC ...]

Each SRC is a `src` folder holding a `callcheck` package (default: this tree's); to compare
with an earlier commit, unpack its sources first, e.g.
`mkdir -p /tmp/before && git archive c548985 src rubrics | tar -x -C /tmp/before`, then
`python benchmarks/import_checks.py /tmp/before/src src`.

Writes an export of `--sessions` demo sessions once, then imports it `--runs` times into a
fresh database with each tree in turn (alternating, so that a busy machine weighs on all
alike) and prints the median wall time and CPU time (user + system) of the process, and
whether the import loaded jsonschema.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """import sys
sys.path.insert(0, sys.argv[1])
from callcheck.cli import main
code = main(['--db', sys.argv[2], 'import', sys.argv[3]])
sys.stderr.write('jsonschema=%s\\n' % ('jsonschema' in sys.modules))
sys.exit(code)
"""


def one_run(src: Path, export: Path, folder: Path) -> tuple[float, float, bool]:
    """Wall seconds, CPU seconds and whether jsonschema was imported, for one import."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", PROBE, str(src), str(folder / "db.json"),
                           str(export)], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"{src}: the import failed:\n{proc.stderr}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, "jsonschema=True" in proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("src", nargs="*", type=Path, default=[ROOT / "src"])
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from callcheck.demo import realistic_sessions
    from callcheck.export import export_json

    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "in.json"
        export.write_text(export_json([s.to_doc() for s in
                                       realistic_sessions(args.sessions, seed=7)]),
                          encoding="utf-8")
        results: dict[Path, list[tuple[float, float, bool]]] = {s: [] for s in args.src}
        for n in range(args.runs):
            for src in args.src:
                folder = Path(tmp) / f"{n}-{len(results[src])}-{abs(hash(src))}"
                folder.mkdir()
                results[src].append(one_run(src.resolve(), export, folder))
    print(f"callcheck import of {args.sessions} sessions, new process, median of {args.runs}:")
    for src, runs in results.items():
        wall = statistics.median(r[0] for r in runs) * 1000
        cpu = statistics.median(r[1] for r in runs) * 1000
        print(f"  {str(src):<40} wall {wall:6.0f} ms  CPU {cpu:6.0f} ms  "
              f"jsonschema imported: {'yes' if all(r[2] for r in runs) else 'no'}")


if __name__ == "__main__":
    main()
