"""Drafts (calls and forms in progress) show in `callcheck list` and can be deleted there."""

from __future__ import annotations

from pathlib import Path

import pytest

from callcheck.session import Attempt, Session
from callcheck.store import Store
from callcheck.timing import Mark

from .test_cli import run
from .test_cli_store import EXAMPLE


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "sessions" / "callcheck.json"


def a_draft(db: Path, agency: str = "基隆市政府") -> Session:
    s = Session(rubric="telephone", rubric_version="105.1", rubric_sha256="",
                header={"agency": agency, "unit": "民政處"})
    s.attempts = [Attempt("2026-11-26T10:00:00+08:00", [Mark(0, "dial", "ivr")])]
    with Store(db) as store:
        store.save_draft(s)
    return s


def test_list_shows_drafts_with_their_status_and_filters_by_it(db: Path) -> None:
    run(["--db", str(db), "score", str(EXAMPLE), "--save"])
    draft = a_draft(db)
    code, out, _ = run(["--db", str(db), "list"])
    assert code == 0 and len(out.splitlines()) == 2
    [line] = run(["--lang", "en", "--db", str(db), "list", "--status", "draft"])[1].splitlines()
    assert line.startswith(draft.id[:8]) and " draft " in line and "基隆市政府 / 民政處" in line


def test_delete_a_draft_by_its_id_leaves_the_stored_sessions(db: Path) -> None:
    run(["--db", str(db), "score", str(EXAMPLE), "--save"])
    draft = a_draft(db)
    code, _, err = run(["--lang", "en", "--db", str(db), "delete", draft.id[:8]])
    assert code == 1 and "draft" in err and "--yes" in err
    code, out, _ = run(["--lang", "en", "--db", str(db), "delete", draft.id[:8], "--yes"])
    assert code == 0 and "deleted" in out and "draft" in out
    with Store(db) as store:
        assert store.drafts() == [] and store.count() == 1
