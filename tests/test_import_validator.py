"""Import checks each session with the export schema compiled to Python, and says how far a
big file has come; the compiled check accepts and refuses exactly what jsonschema does."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from callcheck import cli
from callcheck.demo import realistic_sessions
from callcheck.export import _schema_problem, _session_validator, export_json, export_schema

from .test_cli import run

BROKEN: list[tuple[str, Any]] = [
    ("id", 5), ("status", "done"), ("header", []), ("attempts", {}), ("rev", -1),
    ("rubric", None), ("answers", "yes"), ("revisions", [{"at": 1}]),
]


@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    return [s.to_doc() for s in realistic_sessions(40, seed=7)]


def test_the_compiled_check_agrees_with_jsonschema(docs: list[dict[str, Any]]) -> None:
    schema = export_schema()
    reference = jsonschema.Draft202012Validator({"$ref": "#/$defs/session",
                                                 "$defs": schema["$defs"]})
    compiled = _session_validator()
    assert compiled.fast is not None  # the dependency is there: the fast path is what runs
    cases = list(docs)
    for field, value in BROKEN:
        doc = copy.deepcopy(docs[0])
        doc[field] = value
        cases.append(doc)
    missing = copy.deepcopy(docs[1])
    del missing["header"]
    cases.append(missing)
    verdicts = []
    for doc in cases:
        fast_ok = not list(compiled.iter_errors(doc))
        assert fast_ok == reference.is_valid(doc), doc.get("id")
        verdicts.append(fast_ok)
    assert verdicts.count(False) == len(BROKEN) + 1


def test_a_refused_session_still_names_its_field(docs: list[dict[str, Any]]) -> None:
    doc = copy.deepcopy(docs[0])
    doc["status"] = "done"
    problem = _schema_problem(_session_validator(), doc)
    assert problem is not None and "status" in problem and "done" in problem


def test_import_of_a_big_file_reports_its_progress(docs: list[dict[str, Any]], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "IMPORT_PROGRESS_FROM", 10)  # "big" for this test
    path = tmp_path / "in.json"
    path.write_text(export_json(docs), encoding="utf-8")
    code, out, err = run(["--lang", "en", "--db", str(tmp_path / "db.json"), "import", str(path)])
    assert code == 0 and "40 added" in out
    assert f"checking {path}: 0 of 40 sessions" in err
    small = tmp_path / "small.json"
    small.write_text(export_json(docs[:5]), encoding="utf-8")
    code, _, err = run(["--lang", "en", "--db", str(tmp_path / "db2.json"), "import", str(small)])
    assert code == 0 and "checking" not in err
    assert json.loads(path.read_text(encoding="utf-8"))["sessions"]


def test_the_session_check_is_compiled_once_per_process() -> None:
    assert _session_validator() is _session_validator()


def test_a_valid_import_compiles_its_checks_once_and_never_imports_jsonschema(
        docs: list[dict[str, Any]], tmp_path: Path) -> None:
    """jsonschema (~50 ms to import) is for naming the field of a refused session only;
    the compiled checks are made when an import needs them, once, never at start."""
    path = tmp_path / "in.json"
    path.write_text(export_json(docs[:3]), encoding="utf-8")
    probe = ("import sys, fastjsonschema\n"
             "from callcheck.cli import main\n"
             "compiled = []\n"
             "real = fastjsonschema.compile\n"
             "fastjsonschema.compile = lambda *a, **k: compiled.append(1) or real(*a, **k)\n"
             "db = sys.argv[1]\n"
             "main(['--db', db, 'list'])\n"
             "before = len(compiled)\n"
             "for _ in range(3):\n"
             "    assert main(['--db', db, 'import', sys.argv[2]]) == 0\n"
             "print(before, len(compiled), 'jsonschema' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "db.json"), str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    # nothing compiled for `list`; for three imports, the session check and the file's outer
    # shape once each
    assert proc.stdout.split()[-3:] == ["0", "2", "False"]


@pytest.mark.parametrize(("text", "named"), [
    ("[]", "at (top level): [] is not of type 'object'"),
    ('{"format": "callcheck-export", "format_version": 1,'
     ' "exported_at": "2026-11-27T10:00:00+08:00", "sessions": {}}',
     "at sessions: {} is not of type 'array'")])
def test_a_file_of_the_wrong_shape_is_refused_naming_the_place(tmp_path: Path, text: str,
                                                               named: str) -> None:
    path = tmp_path / "in.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(["--db", str(tmp_path / "db.json"), "import", str(path)])
    assert code == 1 and out == ""
    assert f"{path}: not a callcheck export: {named}" in err
