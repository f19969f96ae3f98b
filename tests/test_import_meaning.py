"""Nothing imported can hurt: every session's meaning is checked and its score re-derived,
an invalid one refuses the whole import (or is skipped with --skip-invalid), an id given
twice with different content is refused, a deletion survives a re-import (issue 9 §2)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from callcheck.digest import content_digest, needs_digest
from callcheck.export import ImportRefused, Selection, export_json, import_files, select
from callcheck.rubric import Rubric
from callcheck.store import Store

from .test_cli import run
from .test_export import registration, sample


@pytest.fixture
def export(tmp_path: Path, rubrics: dict[str, Rubric]) -> dict[str, Any]:
    db = tmp_path / "source.json"
    with Store(db) as store:
        store.save(sample(rubrics, at="2026-10-01T10:00:00+08:00", unit="第一組"))
        store.save(sample(rubrics, at="2026-11-20T10:00:00+08:00", unit="第二組", points23=12))
        store.save(registration(rubrics))
        docs = select(store.docs(), Selection())
    return json.loads(export_json(docs))


def write(tmp_path: Path, data: dict[str, Any], name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def reseal(doc: dict[str, Any]) -> None:
    """What a forger does: the digest is a checksum, anyone can compute it again."""
    if needs_digest(doc):
        doc["digest"] = content_digest(doc)


def forged(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def apply(doc: dict[str, Any]) -> None:
        change(doc)
        reseal(doc)
    return apply


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        target = doc
        keys = path.split("/")
        for k in keys[:-1]:
            target = target[int(k)] if isinstance(target, list) else target[k]
        last = keys[-1]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return change


BAD_SESSIONS = {
    "a forged total of 77 (the answers give 100)": (_set("result/total/points", 77), "result"),
    "5000 of 100": (_set("result/total/points", 5000), "result.total.points"),
    "a forged item's points": (_set("result/items/1.2/points", 3), "result.items.1.2"),
    "a due time that is no time": (_set("due_at", "2026-13-45T25:61Z"), "due_at"),
    "a test time that is no time": (_set("header/at", "2026-02-30T10:00:00+08:00"),
                                    "header.at"),
    "a test time before 民國 1, written as callcheck writes times":
        (_set("header/at", "1911-12-31T10:00:00+08:00"), "header.at"),
    "an attempt start that is no time": (_set("attempts/0/started_at", "2026-11-26T24:61Z"),
                                         "attempts[0].started_at"),
    "a rubric that callcheck does not have": (_set("rubric", "../../../../etc/passwd"),
                                              "rubric"),
    "another rubric version": (_set("rubric_version", "104.9"), "rubric_version"),
    "another rubric file": (_set("rubric_sha256", "0" * 64), "rubric_sha256"),
    "an answer of the wrong kind": (_set("answers/1.3.1", "yes"), "answers.1.3.1"),
    "an answer to no item": (_set("answers/9.9", True), "answers.9.9"),
    "a mark that does not replay": (_set("attempts/0/marks/1/kind", "hang_up"), "attempts[0]"),
    "a mark a year after dialling": (_set("attempts/0/marks/2/t", 40_000_000), "marks[2].t"),
    "finished without a result": (_set("result", None), "result"),
}


@pytest.mark.parametrize("name", list(BAD_SESSIONS))
def test_an_invalid_session_refuses_the_whole_import(name: str, export: dict[str, Any],
                                                     tmp_path: Path) -> None:
    change, field = BAD_SESSIONS[name]
    data = copy.deepcopy(export)
    forged(change)(data["sessions"][0])
    path = write(tmp_path, data)
    with Store(tmp_path / "db.json") as store:
        with pytest.raises(ImportRefused) as info:
            import_files(store, [path])
        assert store.count() == 0
    message = str(info.value)
    assert "nothing was imported" in message and field in message
    assert data["sessions"][0]["id"] in message and "in.json: session 0" in message


def test_nan_in_a_result_is_refused_as_json_not_stored(export: dict[str, Any],
                                                        tmp_path: Path) -> None:
    text = json.dumps(export, ensure_ascii=False).replace('"score": 92.0', '"score": NaN', 1)
    assert "NaN" in text
    path = tmp_path / "nan.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(["--lang", "en", "--db", str(tmp_path / "db.json"), "import", str(path)])
    assert code == 1 and "NaN is not a number JSON allows" in err
    assert "Traceback" not in err and not (tmp_path / "db.json").exists() or \
        run(["--db", str(tmp_path / "db.json"), "list"])[1] == ""


def test_skip_invalid_imports_the_valid_sessions_and_lists_the_rest(
        export: dict[str, Any], tmp_path: Path) -> None:
    data = copy.deepcopy(export)
    forged(_set("result/total/points", 77))(data["sessions"][1])
    path = write(tmp_path, data)
    db = tmp_path / "db.json"
    code, out, err = run(["--lang", "en", "--db", str(db), "import", str(path)])
    assert code == 1 and "--skip-invalid" in err
    code, out, err = run(["--lang", "en", "--db", str(db), "import", "--skip-invalid", str(path)])
    assert code == 0 and "2 added" in out and "1 invalid (skipped)" in out
    assert f"invalid: {path}: session 1 ({data['sessions'][1]['id']})" in err
    with Store(db) as store:
        assert store.count() == 2 and data["sessions"][1]["id"] not in store


def test_one_id_twice_with_different_content_is_refused_naming_both_files(
        export: dict[str, Any], tmp_path: Path) -> None:
    """Into a database without it: neither is imported, and no stored copy is claimed."""
    other = copy.deepcopy(export)
    other["sessions"][0]["notes"] = {"1.2": "另一份"}
    reseal(other["sessions"][0])
    a, b = write(tmp_path, export, "a.json"), write(tmp_path, other, "b.json")
    sid = export["sessions"][0]["id"]
    db = tmp_path / "db.json"
    code, out, err = run(["--lang", "en", "--db", str(db), "import", str(a), str(b)])
    assert code == 1 and f"session {sid} is given twice with different content" in err
    assert "a.json" in err and "b.json" in err and "stored copy" not in err
    code, out, err = run(["--lang", "en", "--db", str(db), "import", "--skip-invalid", str(a), str(b)])
    assert code == 0 and "neither copy was imported" in err and "stored copy" not in err
    with Store(db) as store:
        assert sid not in store and store.count() == 2


def test_a_deleted_session_stays_deleted_when_an_older_export_comes_back(
        export: dict[str, Any], tmp_path: Path) -> None:
    path = write(tmp_path, export)
    db = tmp_path / "db.json"
    sid = export["sessions"][0]["id"]
    assert run(["--lang", "en", "--db", str(db), "import", str(path)])[0] == 0
    assert run(["--db", str(db), "delete", sid, "--yes"])[0] == 0
    code, out, err = run(["--lang", "en", "--db", str(db), "import", str(path)])
    assert code == 0 and "1 deleted here earlier (not brought back)" in out
    assert f"deleted: session {sid} was deleted from this database earlier" in err
    with Store(db) as store:
        assert sid not in store
    code, out, err = run(["--lang", "en", "--db", str(db), "import", "--restore-deleted", str(path)])
    assert code == 0 and "1 added" in out
    with Store(db) as store:
        assert sid in store and sid not in store.deleted_ids()


def test_a_valid_export_still_imports_whole(export: dict[str, Any], tmp_path: Path) -> None:
    with Store(tmp_path / "db.json") as store:
        report = import_files(store, [write(tmp_path, export)])
        assert len(report.added) == 3 and not report.invalid
