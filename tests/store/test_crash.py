"""A kill at any moment leaves every save that returned, intact (SIGKILL trials)."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from callcheck.store import Store

from .crash_child import make

CHILD = Path(__file__).with_name("crash_child.py")
TRIALS = int(os.environ.get("CALLCHECK_CRASH_TRIALS", "30"))
CHAINS = 3
"""The trials run as three chains of TRIALS/3, each on its own database: pytest-xdist runs the
chains side by side (a trial mostly waits for its child), each chain as before."""
FIRST_SAVE_TIMEOUT = 120.0
"""How long a trial may wait for the child's first save: generous, for a loaded machine."""


def confirmed_saves(out: str) -> list[tuple[int, int]]:
    """The (index, version) pairs of whole lines only: a line cut by the kill is not a save
    the child reported, so it proves nothing and is dropped."""
    lines = out.split("\n")[:-1]  # the text after the last newline is unfinished
    found = []
    for line in lines:
        parts = line.split()
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            found.append((int(parts[0]), int(parts[1])))
    return found


def first_line(fd: int, timeout: float) -> bytes:
    """Bytes from `fd` up to and including the first newline, or what came by `timeout`."""
    got = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in got:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        got += chunk
    return got


def test_confirmed_saves_reads_whole_lines_only() -> None:
    """A torn last line (the child killed mid-print) is ignored, not unpacked."""
    assert confirmed_saves("3 1\n3 2\n4") == [(3, 1), (3, 2)]
    assert confirmed_saves("3 1\n3 2\n") == [(3, 1), (3, 2)]
    assert confirmed_saves("") == []
    assert confirmed_saves("12") == []


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
@pytest.mark.parametrize("chain", range(CHAINS))
def test_sigkill_mid_save_loses_no_returned_save(tmp_path: Path, chain: int) -> None:
    db = tmp_path / "callcheck.json"
    rng = random.Random(20261126 + chain)
    trials = -(-TRIALS // CHAINS)
    env = dict(os.environ, CALLCHECK_COMPACT_ENTRIES="7")  # kills land in compactions too
    confirmed: dict[int, int] = {}
    start = 0
    waited_trials = 0
    for trial in range(trials):
        child = subprocess.Popen([sys.executable, str(CHILD), str(db), str(start)],
                                 stdout=subprocess.PIPE, env=env)
        assert child.stdout is not None
        head = b""
        # Every other trial waits for the child's first reported save before the random
        # wait, so the trials save something however slow the machine; the others may be
        # killed anywhere, even while the child starts up and opens the database.
        if trial % 2 == 0:
            head = first_line(child.stdout.fileno(), FIRST_SAVE_TIMEOUT)
            assert head.endswith(b"\n"), \
                f"the child saved nothing (trial {trial}, exit {child.poll()})"
            waited_trials += 1
        time.sleep(rng.uniform(0.05, 0.4))
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate()
        saves = confirmed_saves((head + rest).decode("ascii", "replace"))
        if trial % 2 == 0:
            assert saves, "a waited trial reports at least its first save"
        for index, version in saves:
            confirmed[index] = max(confirmed.get(index, 0), version)
        start = max(confirmed, default=-1) + 1 + 1000 * (trial + 1)
        with Store(db) as store:  # opens: never corrupt
            for index, version in confirmed.items():
                got = store.get(make(index, 1).id).to_doc()
                want_versions = [v for v in (1, 2) if v >= version]
                wanted = []
                for v in want_versions:
                    doc = make(index, v).to_doc()
                    doc.pop("updated_at"), doc.pop("rev")
                    wanted.append(doc)
                got.pop("updated_at"), got.pop("rev")
                assert got in wanted, f"session {index} is not intact"
    # Each waited trial starts at a fresh index and reported at least one save of it.
    assert len(confirmed) >= waited_trials == (trials + 1) // 2
