"""Fixture databases for the archive benchmarks, built once and reused.

1k ⊂ 10k ⊂ 100k realistic sessions of `callcheck.demo` over ten years, each
written as a single-file database of the layout before partitions (what an
existing installation has on disk), plus a 10k JSON export of other sessions
to import. Generating 100k sessions takes a few minutes; the files are kept
under $CALLCHECK_BENCH_DIR (default /tmp/callcheck-bench) and reused.

    python benchmarks/fixtures.py          # builds what is missing
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from callcheck.demo import iter_realistic_sessions
from callcheck.export import export_json
from callcheck.rubric import load_rubrics

BENCH_DIR = Path(os.environ.get("CALLCHECK_BENCH_DIR", "/tmp/callcheck-bench"))
SIZES = (1_000, 10_000, 100_000)
IMPORT_SIZE = 10_000
NOW = "2026-11-20T12:00:00+08:00"


def label(size: int) -> str:
    return f"{size // 1000}k"


def legacy_db(size: int) -> Path:
    """The single-file database of `size` sessions (as before partitions)."""
    return BENCH_DIR / f"legacy-{label(size)}" / "callcheck.json"


def import_file() -> Path:
    return BENCH_DIR / f"import-{label(IMPORT_SIZE)}.json"


def _write_legacy(path: Path, docs: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ",\n".join(f'"{n}": {d}' for n, d in enumerate(docs, 1))
    tmp = path.with_suffix(".tmp")
    tmp.write_text('{\n"sessions": {\n' + body + '\n},\n"settings": {}\n}\n', encoding="utf-8")
    os.replace(tmp, path)


def build(sizes: tuple[int, ...] = SIZES) -> None:
    import pendulum

    rubrics = load_rubrics()
    now = pendulum.parse(NOW)
    missing = [s for s in sizes if not legacy_db(s).exists()]
    if missing:
        t = time.perf_counter()
        docs: list[str] = []
        for n, s in enumerate(iter_realistic_sessions(max(missing), seed=105, rubrics=rubrics,
                                                      now=now, days=3650), 1):
            docs.append(json.dumps(s.to_doc(), ensure_ascii=False, sort_keys=True))
            if n in missing:
                _write_legacy(legacy_db(n), docs)
                print(f"{legacy_db(n)}: {n} sessions "
                      f"({time.perf_counter() - t:.0f} s)", file=sys.stderr)
    if not import_file().exists():
        other = [s.to_doc() for s in iter_realistic_sessions(
            IMPORT_SIZE, seed=2026, rubrics=rubrics, now=now, days=3650)]
        import_file().write_text(export_json(other), encoding="utf-8")
        print(f"{import_file()}: {IMPORT_SIZE} sessions", file=sys.stderr)


if __name__ == "__main__":
    build()
