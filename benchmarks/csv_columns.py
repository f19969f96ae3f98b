"""What the CSV export's rings/seconds, notes and not-applicable columns cost a session.

    .venv/bin/python benchmarks/csv_columns.py [N]

Prints, side by side: replaying only the scored attempt from the stored document (what
the export does), against `Session.from_doc` + `phases_from_attempts` (every attempt
replayed), and a whole CSV row.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import perfect_call  # noqa: E402

from callcheck.export import export_csv, scored_measures  # noqa: E402
from callcheck.observations import parse_observations  # noqa: E402
from callcheck.rubric import load_rubrics  # noqa: E402
from callcheck.scoring import score  # noqa: E402
from callcheck.session import (  # noqa: E402
    Session,
    phases_from_attempts,
    session_from_observations,
)


def main(n: int = 3000) -> None:
    rubrics = load_rubrics(ROOT / "rubrics")
    telephone = rubrics["telephone"]
    data = perfect_call()
    data["notes"] = {"1.2": "總機說明清楚"}
    obs = parse_observations(data)
    doc = session_from_observations(telephone, obs, score(telephone, obs)).to_doc()
    a = time.perf_counter()
    for _ in range(n):
        scored_measures(telephone, doc)
    b = time.perf_counter()
    for _ in range(n):
        phases_from_attempts(telephone, Session.from_doc(doc))
    c = time.perf_counter()
    export_csv([doc] * n, rubrics)
    d = time.perf_counter()
    print(f"{n} telephone sessions, ms a session")
    print(f"scored attempt replayed from the document  {(b - a) / n * 1e3:.3f}")
    print(f"Session.from_doc + phases_from_attempts    {(c - b) / n * 1e3:.3f}")
    print(f"whole CSV row (all columns)                {(d - c) / n * 1e3:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
