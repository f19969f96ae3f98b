"""A kill at any moment leaves every save that returned, intact (SIGKILL trials)."""

from __future__ import annotations

import os
import random
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


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_sigkill_mid_save_loses_no_returned_save(tmp_path: Path) -> None:
    db = tmp_path / "callcheck.json"
    rng = random.Random(20261126)
    env = dict(os.environ, CALLCHECK_COMPACT_ENTRIES="7")  # kills land in compactions too
    confirmed: dict[int, int] = {}
    start = 0
    for _trial in range(TRIALS):
        child = subprocess.Popen([sys.executable, str(CHILD), str(db), str(start)],
                                 stdout=subprocess.PIPE, text=True, env=env)
        assert child.stdout is not None
        # Let it run a random while (some kills land before the first save).
        time.sleep(rng.uniform(0.05, 0.4))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        for line in out.splitlines():
            index, version = map(int, line.split())
            confirmed[index] = max(confirmed.get(index, 0), version)
        start = max(confirmed, default=-1) + 1 + 1000 * (_trial + 1)
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
    assert len(confirmed) > TRIALS  # the trials did save things
