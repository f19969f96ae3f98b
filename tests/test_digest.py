"""Content digests: sealed on finishing, re-sealed by callcheck's edits, checked by
`callcheck verify` and on import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callcheck.demo import demo_sessions
from callcheck.digest import DIGEST_FIELDS, content_digest, verify
from callcheck.export import (
    MODIFIED_BY,
    ImportRefused,
    Selection,
    export_json,
    import_files,
    select,
)
from callcheck.rubric import Rubric
from callcheck.session import Session
from callcheck.store import Store

from .conftest import examples
from .test_cli import run
from .test_cli_store import EXAMPLE

NOW = pendulum.datetime(2026, 11, 26, 15, 0, tz="Asia/Taipei")


@pytest.fixture(scope="module")
def demo(rubrics: dict[str, Rubric]) -> list[Session]:
    return demo_sessions(rubrics, now=NOW)


@pytest.fixture
def db(tmp_path: Path, demo: list[Session]) -> Path:
    path = tmp_path / "callcheck.json"
    with Store(path) as store:
        store.insert_many(Session.from_doc(s.to_doc()) for s in demo)
    return path


def test_every_finished_demo_session_is_sealed_and_drafts_are_not(demo: list[Session]) -> None:
    for s in demo:
        doc = s.to_doc()
        if s.finished:
            assert s.digest == content_digest(doc)
        else:
            assert s.digest is None


def test_digest_ignores_bookkeeping_of_a_copy(demo: list[Session]) -> None:
    doc = next(s for s in demo if s.finished).to_doc()
    copy = dict(doc, rev=doc["rev"] + 5, updated_at="2030-01-01T00:00:00+08:00", digest="x")
    assert content_digest(copy) == content_digest(doc)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))] or [path]
    return [path]


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


scalars = st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000),
                    st.floats(allow_nan=False, allow_infinity=False, width=32),
                    st.text(max_size=8))


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_change_to_evidence_answers_or_result_changes_the_digest(
        demo: list[Session], data: st.DataObject) -> None:
    """A changed mark, answer, note, not-applicable reason or result gives another digest."""
    session = data.draw(st.sampled_from([s for s in demo if s.finished]))
    doc = json.loads(json.dumps(session.to_doc()))
    section = data.draw(st.sampled_from(
        ["attempts", "answers", "result", "notes", "na", "header", "revisions"]))
    paths = [p for p in _leaves(doc[section], (section,)) if len(p) > 1]
    if not paths:  # an empty section: adding anything to it is the change
        key = data.draw(st.text(min_size=1, max_size=5))
        new_value = data.draw(scalars)
        doc[section] = {key: new_value} if isinstance(doc[section], dict) else [new_value]
    else:
        path = data.draw(st.sampled_from(paths))
        old = _get(doc, path)
        new_value = data.draw(scalars.filter(
            lambda v: json.dumps(v) != json.dumps(old)))
        _set(doc, path, new_value)
    assert content_digest(doc) != session.digest


def test_verify_is_silent_on_a_database_changed_only_through_callcheck(db: Path) -> None:
    code, out, _ = run(["--lang", "en", "--db", str(db), "verify"])
    assert code == 0 and "every one matches" in out
    sid = next(line.split()[0] for line in run(["--db", str(db), "list",
                                                "--status", "finished"])[1].splitlines())
    code, _, err = run(["--db", str(db), "edit", sid, "--set", f"notes.{_an_item(db, sid)}=複核",
                        "--reason", "補記", "--by", "李"])
    assert code == 0, err
    other = run(["--db", str(db), "list", "--status", "finished"])[1].splitlines()[-1].split()[0]
    assert run(["--db", str(db), "delete", other, "--yes"])[0] == 0
    run(["--db", str(db), "score", str(EXAMPLE), "--save"])
    code, out, _ = run(["--lang", "en", "--db", str(db), "verify"])
    assert code == 0 and "every one matches" in out, out


def _an_item(db: Path, prefix: str) -> str:
    with Store(db, readonly=True) as store:
        s = store.find(prefix)
    return next(iter(s.result["items"]))


def test_verify_names_a_session_changed_by_hand_in_the_database_file(db: Path) -> None:
    with Store(db, readonly=True) as store:
        victim = next(d for d in store.docs() if d["status"] == "finished"
                      and any(v is False for v in d["answers"].values()))
    item = next(k for k, v in victim["answers"].items() if v is False)
    year = next(f for f in db.with_name(db.name + ".parts").glob("*.json")
                if victim["id"] in f.read_text(encoding="utf-8"))  # the session's year file
    lines = year.read_text(encoding="utf-8").splitlines()
    hit = [n for n, line in enumerate(lines) if victim["id"] in line]
    assert len(hit) == 1
    entry = lines[hit[0]]
    before = json.dumps({item: False}, ensure_ascii=False)[1:-1]
    assert before in entry
    lines[hit[0]] = entry.replace(before, before.replace("false", "true"), 1)
    year.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run(["--lang", "en", "--db", str(db), "verify"])
    assert code == 1
    assert victim["id"] in out and "does not match its digest" in out
    assert out.count("session ") == 1


def _export(db: Path, path: Path) -> dict[str, Any]:
    with Store(db, readonly=True) as store:
        path.write_text(export_json(select(store.docs(), Selection())), encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


def test_export_carries_the_digest_and_import_keeps_it(db: Path, tmp_path: Path) -> None:
    data = _export(db, tmp_path / "e.json")
    finished = [d for d in data["sessions"] if d["status"] == "finished"]
    assert finished and all(d["digest"] == content_digest(d) for d in finished)
    with Store(tmp_path / "b.json") as store:
        report = import_files(store, [tmp_path / "e.json"])
        assert len(report.added) == len(data["sessions"]) and not report.modified
    with Store(tmp_path / "b.json", readonly=True) as store:
        assert verify(store.docs())[1] == []


def test_a_modified_session_in_an_import_is_refused_naming_it(db: Path, tmp_path: Path) -> None:
    data = _export(db, tmp_path / "e.json")
    victim = next(d for d in data["sessions"] if d["status"] == "finished")
    victim["result"]["total"]["points"] += 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "t.json"
    with Store(target) as store:
        with pytest.raises(ImportRefused) as info:
            import_files(store, [bad])
        assert victim["id"] in str(info.value) and "bad.json" in str(info.value)
        assert store.count() == 0
    code, out, err = run(["--db", str(target), "import", str(bad)])
    assert code == 1 and victim["id"] in err and "--accept-modified" in err


def test_accept_modified_imports_it_marked_by_a_revision(db: Path, tmp_path: Path) -> None:
    data = _export(db, tmp_path / "e.json")
    victim = next(d for d in data["sessions"] if d["status"] == "finished")
    claimed = victim["digest"]
    victim["notes"]["1"] = "事後補寫"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "t.json"
    code, out, err = run(["--lang", "en", "--db", str(target), "import", str(bad),
                          "--accept-modified"])
    assert code == 0 and victim["id"] in err and "1 accepted although modified" in out
    with Store(target, readonly=True) as store:
        s = store.get(victim["id"])
    mark = s.revisions[-1]
    assert mark.by == MODIFIED_BY and mark.changes[0]["old"] == claimed
    assert s.notes["1"] == "事後補寫"
    assert run(["--lang", "en", "--db", str(target), "verify"])[0] == 0


def test_digest_fields_cover_the_form_and_not_the_bookkeeping() -> None:
    assert {"attempts", "answers", "result", "revisions", "notes", "na"} <= set(DIGEST_FIELDS)
    assert not {"rev", "updated_at", "digest"} & set(DIGEST_FIELDS)


# --- a database written before digests existed -------------------------------------------

def _old_database(path: Path, demo: list[Session]) -> list[dict[str, Any]]:
    """A single-file database as callcheck wrote it before digests: TinyDB's layout, every
    session in the main file, documents without a `digest` field (not even null)."""
    docs = []
    for s in demo:
        doc = s.to_doc()
        del doc["digest"]
        docs.append(doc)
    tables = {"sessions": {str(n): d for n, d in enumerate(docs, 1)}, "settings": {}}
    path.write_text(json.dumps(tables, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return docs


def test_verify_counts_sessions_finished_before_digests_apart_and_exits_0(
        tmp_path: Path, demo: list[Session]) -> None:
    db = tmp_path / "old.json"
    docs = _old_database(db, demo)
    finished = [d for d in docs if d["status"] == "finished"]
    code, out, err = run(["--lang", "en", "--db", str(db), "verify"])
    assert code == 0, out + err
    assert f"{len(finished)} finished sessions were stored before content digests" in out
    assert "0 finished sessions checked: every one matches" in out
    assert "session " not in out  # none is named as changed


def test_an_old_database_changed_only_through_callcheck_verifies(
        tmp_path: Path, demo: list[Session]) -> None:
    """Opening it for writing (the conversion to year files), an edit and a delete through
    callcheck: the edited session is sealed by its edit, the others stay unsealed, exit 0."""
    db = tmp_path / "old.json"
    docs = _old_database(db, demo)
    finished = [d for d in docs if d["status"] == "finished"]
    edited, deleted = finished[0], finished[1]
    item = next(iter(edited["result"]["items"]))
    code, _, err = run(["--db", str(db), "edit", edited["id"], "--set", f"notes.{item}=複核",
                        "--reason", "補記", "--by", "李"])
    assert code == 0, err
    assert run(["--db", str(db), "delete", deleted["id"], "--yes"])[0] == 0
    code, out, _ = run(["--lang", "en", "--db", str(db), "verify"])
    assert code == 0, out
    assert f"{len(finished) - 2} finished sessions were stored before content digests" in out
    assert "1 finished sessions checked: every one matches" in out


def test_seal_seals_the_old_sessions_marked_by_a_revision_and_then_they_are_checked(
        tmp_path: Path, demo: list[Session]) -> None:
    from callcheck.cli import SEAL_BY

    db = tmp_path / "old.json"
    docs = _old_database(db, demo)
    finished = {d["id"]: d for d in docs if d["status"] == "finished"}
    code, out, err = run(["--lang", "en", "--db", str(db), "verify", "--seal"])
    assert code == 0, out + err
    assert f"{len(finished)} finished sessions stored before content digests existed are " \
           "sealed now" in out
    assert all(f"sealed: session {sid}" in out for sid in finished)
    with Store(db, readonly=True) as store:
        for sid, old in finished.items():
            s = store.get(sid)
            mark = s.revisions[-1]
            assert mark.by == SEAL_BY and len(s.revisions) == len(old["revisions"]) + 1
            # the revision keeps the digest of the content as it was found
            assert mark.changes == [{"field": "digest", "old": None,
                                     "new": content_digest(old)}]
            assert s.digest == content_digest(s.to_doc())
            assert (s.answers, s.result, s.notes) == (old["answers"], old["result"], old["notes"])
    code, out, _ = run(["--lang", "en", "--db", str(db), "verify"])
    assert code == 0 and "before content digests" not in out
    assert f"{len(finished)} finished sessions checked: every one matches" in out
    assert run(["--lang", "en", "--db", str(db), "verify", "--seal"])[0] == 0  # nothing left to seal


def test_after_sealing_a_change_by_hand_is_found(tmp_path: Path, demo: list[Session]) -> None:
    db = tmp_path / "old.json"
    _old_database(db, demo)
    assert run(["--lang", "en", "--db", str(db), "verify", "--seal"])[0] == 0
    year = next(db.with_name(db.name + ".parts").glob("*.json"))
    text = year.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if '"status": "finished"' in ln)
    changed = line.replace('"notes": {', '"notes": {"9": "後補", ', 1)
    assert changed != line
    year.write_text(text.replace(line, changed), encoding="utf-8")
    code, out, _ = run(["--lang", "en", "--db", str(db), "verify"])
    assert code == 1 and "does not match its digest" in out


def test_a_finished_session_whose_digest_was_emptied_is_not_taken_for_an_old_one(
        db: Path) -> None:
    """Today's documents always carry `digest`: null on a finished one is a change."""
    year = next(db.with_name(db.name + ".parts").glob("*.json"))
    text = year.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if '"status": "finished"' in ln)
    start = line.index('"digest": "')
    end = line.index('"', start + len('"digest": "'))
    year.write_text(text.replace(line, line[:start] + '"digest": null' + line[end + 1:]),
                    encoding="utf-8")
    code, out, _ = run(["--lang", "en", "--db", str(db), "verify"])
    assert code == 1 and "carries no content digest" in out


def test_verify_agrees_where_msgspec_spells_a_float_unlike_json(demo: list[Session]) -> None:
    """The fast check (msgspec writes 1e16 where json writes 1e+16) never calls a sealed
    session changed, and still finds a change."""
    from callcheck.digest import check, matches

    doc = next(s for s in demo if s.finished).to_doc()
    doc["answers"]["x"] = 1e16
    doc["digest"] = content_digest(doc)
    assert matches(doc, doc["digest"]) and check(doc) is None
    assert verify([doc]).bad == []
    doc["answers"]["x"] = 2e16
    assert check(doc) is not None and len(verify([doc]).bad) == 1
