"""A stored document that fails validation is listed as damaged with its id and the reason,
never a crash; a database of the wrong shape is a clear error (issue 9 §2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from callcheck.store import SessionNotFound, Store, StoreCorrupt, StoreError, dump_tables

from ..test_cli import run
from .crash_child import make

DAMAGE = {
    "due_at": ("due_at", "2026-13-45T25:61Z"),
    "header.at": ("header", {"at": "9999-12-31T23:59:59-12:00", "agency": "x"}),
    "context": ("context", {"route": "direct", "evil": 1}),
    "result.total.score": ("result", {"items": {}, "total": {"points": 1, "max": 1,
                                                             "score": 1e999}}),
    "attempts[0].marks": ("attempts", [{"started_at": "2026-11-26T10:00:00+08:00",
                                        "marks": [{"t": "soon", "kind": "ring", "phase": "x"}]}]),
}


@pytest.fixture
def damaged_db(tmp_path: Path) -> Path:
    """A single-file database (the layout before year files) edited by hand: converted on
    first open, its damaged documents set aside as they are."""
    db = tmp_path / "callcheck.json"
    sessions: dict[str, Any] = {}
    for n in range(len(DAMAGE) + 1):
        s = make(n, 1)
        s.status, s.due_at = "pending_retest", "2026-11-26T10:20:00+08:00"
        doc = s.to_doc()
        if n:
            key, value = list(DAMAGE.values())[n - 1]
            doc[key] = value
        sessions[str(n + 1)] = doc
    sessions["99"] = {"header": {}, "status": "finished"}  # no id at all
    db.write_bytes(dump_tables({"sessions": sessions}))
    return db


def test_damaged_documents_are_set_aside_and_named(damaged_db: Path) -> None:
    with Store(damaged_db, readonly=True) as store:
        assert store.count() == 1 and len(store.docs()) == 1 and len(store.pending()) == 1
        listed = dict(store.damaged())
    assert len(listed) == len(DAMAGE) + 1 and listed["#99"] == "id: missing"
    reasons = " | ".join(listed.values())
    for field in DAMAGE:
        assert field in reasons


@pytest.mark.parametrize("command", [["list"], ["pending"], ["export"],
                                     ["export", "--since", "2026-01-01"]])
def test_every_listing_command_survives_and_names_the_damaged(damaged_db: Path,
                                                              command: list[str]) -> None:
    code, out, err = run(["--db", str(damaged_db), *command])
    assert code == 0 and "Traceback" not in err
    assert err.count("damaged: session ") == len(DAMAGE) + 1
    assert f"damaged: session {make(1, 1).id}: due_at:" in err
    assert make(0, 1).id[:8] in out


def test_a_damaged_session_can_be_deleted_by_its_id(damaged_db: Path) -> None:
    sid = make(1, 1).id
    code, _, err = run(["--db", str(damaged_db), "show", sid])
    assert code == 1 and f"session {sid} is damaged and cannot be shown (due_at:" in err
    with Store(damaged_db) as store:
        store.delete(sid)
        assert sid not in dict(store.damaged())
        with pytest.raises(SessionNotFound):
            store.delete(sid)
    with Store(damaged_db, readonly=True) as store:
        assert len(store.damaged()) == len(DAMAGE)


async def test_the_app_starts_on_a_damaged_database_and_says_so(damaged_db: Path) -> None:
    from callcheck.rubric import load_rubrics
    from callcheck.ui.app import CallcheckApp

    with Store(damaged_db) as store:
        app = CallcheckApp(store=store, rubrics=load_rubrics(), lang="en")
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            texts = [str(n.message) for n in app._notifications]
            assert any(f"{len(DAMAGE) + 1} stored session(s) are damaged" in t for t in texts)
            await pilot.press("h")  # the history screen lists the good one
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()


@pytest.mark.parametrize("content, problem", [
    ('[]', "expected an object of tables"),
    ('{"sessions": []}', "table 'sessions' is not an object"),
    ('{"sessions": {"1": 5}}', "sessions/1: expected a numbered document"),
    ('{"sessions": {"one": {"id": "x"}}}', "sessions/one: expected a numbered document"),
])
def test_a_database_of_the_wrong_shape_is_a_clear_error(tmp_path: Path, content: str,
                                                        problem: str) -> None:
    db = tmp_path / "callcheck.json"
    db.write_text(content, encoding="utf-8")
    for readonly in (False, True):
        with pytest.raises(StoreCorrupt, match=problem):
            Store(db, readonly=readonly)
    code, _, err = run(["--db", str(db), "list"])
    assert code == 1 and problem in err and "Traceback" not in err


def test_a_damaged_session_opened_by_id_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "callcheck.json"
    doc = make(1, 1).to_doc()
    doc["schema"] = "one"
    db.write_bytes(dump_tables({"sessions": {"1": doc}}))
    with Store(db, readonly=True) as store:
        assert store.damaged() and store.count() == 0
        with pytest.raises(StoreError):
            store.get(make(1, 1).id)


def test_a_session_damaged_in_its_year_file_is_a_clear_error_when_opened(
        tmp_path: Path) -> None:
    db = tmp_path / "callcheck.json"
    with Store(db) as store:
        store.save(make(1, 1))
        store.save(make(2, 1))
    year = db.with_name(db.name + ".parts") / "2026.json"
    text = year.read_text(encoding="utf-8")
    year.write_text(text.replace('"schema": 1', '"schema": "one"', 1), encoding="utf-8")
    with Store(db, readonly=True) as store:
        assert store.count() == 2
        damaged, kept = sorted((make(1, 1).id, make(2, 1).id),
                               key=lambda sid: text.index(sid))
        with pytest.raises(StoreError, match="damaged and cannot be opened"):
            store.get(damaged)
        assert store.get(kept).id == kept
