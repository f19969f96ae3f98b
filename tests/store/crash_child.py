"""A child process for the crash-safety test: saves sessions in a loop until killed.

It prints "<index> <version>" after each save has returned, so the parent knows
which saves it may rely on. Run: python crash_child.py DB START
"""

from __future__ import annotations

import sys
import uuid

from callcheck.session import Attempt, Session
from callcheck.store import Store
from callcheck.timing import Mark


def make(index: int, version: int) -> Session:
    """The session for (index, version): content fixed by its two numbers."""
    s = Session(rubric="telephone", rubric_version="105.1", rubric_sha256="0" * 64,
                id=str(uuid.UUID(int=index + 1)))
    s.header = {"agency": f"基隆市選舉委員會 {index}", "unit": "第一組", "tester": "王小明",
                "number": "02-2424-0000", "at": "2026-11-26T10:00:00+08:00"}
    s.notes = {"2.3": f"第 {version} 版：承辦人說明清楚。" * 20}
    s.attempts = [Attempt("2026-11-26T10:00:00+08:00",
                          [Mark(float(k), "ring", "ivr") for k in range(version % 5 + 1)])]
    s.status = "finished"
    s.created_at = "2026-11-26T10:00:00+08:00"
    s.seal()  # finished: sealed as callcheck seals it
    return s


def main() -> None:
    db, start = sys.argv[1], int(sys.argv[2])
    store = Store(db)
    index = start
    while True:
        for version in (1, 2):
            s = make(index, version)
            s.rev = version - 1
            store.save(s)
            print(index, version, flush=True)
        index += 1


if __name__ == "__main__":
    main()
