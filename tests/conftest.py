from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from callcheck.observations import parse_observations
from callcheck.rubric import Rubric, load_rubrics
from callcheck.scoring import ScoreResult, score

ROOT = Path(__file__).resolve().parents[1]
RUBRICS = ROOT / "rubrics"
APPENDIX = ROOT / "docs" / "appendix.txt"
"""The source document's appendix (附表), kept in the repository: the forms' own text."""

settings.register_profile("deep")
"""`--hypothesis-profile=deep` (`.ci/run`'s second run): every property at its full count."""


def examples(deep: int) -> int:
    """How many examples a property gets: `deep` under the deep profile, a third of it in the
    README's quick run (the same properties, each over fewer generated inputs)."""
    return deep if settings.get_current_profile_name() == "deep" else deep // 3


PERFECT_CALL: dict[str, Any] = {
    "rubric": "telephone",
    "meta": {"agency": "基隆市選舉委員會", "unit": "第一組", "number": "02-2424-0000",
             "tester": "王小明", "at": "2026-11-26T10:00:00+08:00"},
    "context": {"route": "switchboard", "has_ivr": True, "has_operator": True},
    "phases": {
        "ivr": {"outcome": "answered", "rings": 2, "seconds": 4.1},
        "operator": {"outcome": "answered", "rings": 3, "seconds": 7.0},
        "unit": {"outcome": "answered", "rings": 1, "seconds": 1.5},
    },
    "answers": {
        "1.1.2": 5, "1.3.1": True, "1.3.2": True, "1.3.3": True, "1.3.4": True,
        "1.3.5": 3, "1.3.6": True, "1.3.7": 2, "1.3.8": 2,
        "2.2.1": 10, "2.2.2": True, "2.2.3": 10, "2.3": {"branch": "甲", "points": 20},
    },
}


@pytest.fixture(autouse=True)
def own_database(tmp_path_factory: pytest.TempPathFactory,
                 monkeypatch: pytest.MonkeyPatch) -> None:
    """No test opens the project's own database: without --db, each test has its own."""
    monkeypatch.setenv("CALLCHECK_DB", str(tmp_path_factory.mktemp("db") / "callcheck.json"))


@pytest.fixture(scope="session")
def rubrics() -> dict[str, Rubric]:
    return load_rubrics(RUBRICS)


@pytest.fixture(scope="session")
def telephone(rubrics: dict[str, Rubric]) -> Rubric:
    return rubrics["telephone"]


def perfect_call() -> dict[str, Any]:
    """A fresh copy of an observations file that scores 100."""
    return copy.deepcopy(PERFECT_CALL)


def score_data(rubrics: dict[str, Rubric], data: dict[str, Any]) -> ScoreResult:
    obs = parse_observations(data)
    return score(rubrics[obs.rubric], obs)
