"""Bad input is a clear error naming the field, never a traceback; nothing is written
(issue 9 §3). Regressions for each input found, then a hypothesis fuzz per entry point."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callcheck.errors import RubricError
from callcheck.rubric import parse_rubric
from callcheck.store import Store

from .conftest import RUBRICS, examples, perfect_call
from .test_cli import run

FUZZ = settings(max_examples=examples(120), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def score_stdin(text: str, db: Path) -> tuple[int, str, str]:
    return run(["--db", str(db), "score", "-", "--save"], text)


def with_field(path: list[Any], value: Any) -> dict[str, Any]:
    data = perfect_call()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def assert_refused(code: int, out: str, err: str, db: Path, field: str) -> None:
    assert code == 1 and out == "", err
    assert err.startswith("callcheck score: error: ") and field in err, err
    assert "Traceback" not in err and len(err) < 600
    assert not db.exists()


@pytest.mark.parametrize("path, value, field", [
    (["phases", "ivr", "seconds"], "NaN", "phases.ivr.seconds: <stdin>: NaN is not a number"),
    (["phases", "ivr", "seconds"], "Infinity", "phases.ivr.seconds"),
    (["phases", "ivr", "seconds"], "1e308", "phases.ivr.seconds: must be a number of seconds "
                                            "from 0 to 3600"),
    (["phases", "ivr", "rings"], "1" + "0" * 30, "phases.ivr.rings: must be a whole number of "
                                                 "rings from 0 to 1200"),
    (["phases", "ivr", "rings"], "9" * 5000, "not usable JSON"),
    (["meta", "at"], '"0001-01-01T00:00:00+14:00"', "meta.at"),
    (["meta", "at"], '"9999-12-31T23:59:59-12:00"', "the year must be from 1912 to 2999"),
    (["meta", "at"], '"10:00"', "meta.at: \"10:00\" is not an ISO 8601 date and time"),
    (["meta", "agency"], '"\\ud800"', "meta.agency: <stdin>: not valid Unicode text"),
])
def test_numbers_and_texts_out_of_bounds_are_refused(tmp_path: Path, path: list[Any], value: str,
                                                     field: str) -> None:
    text = json.dumps(with_field(path, "@@"), ensure_ascii=False).replace('"@@"', value)
    assert_refused(*score_stdin(text, tmp_path / "db.json"), tmp_path / "db.json", field)


def test_days_that_are_not_finite_are_refused(tmp_path: Path) -> None:
    data = {"rubric": "petition", "answers": {"3": {"days": "@@", "points": 5}}}
    for value in ("NaN", "1e308", "-1"):
        text = json.dumps(data).replace('"@@"', value)
        code, out, err = score_stdin(text, tmp_path / "db.json")
        assert code == 1 and "Traceback" not in err and not (tmp_path / "db.json").exists()
        assert ("answers.3.days" in err) or ("NaN is not a number" in err)


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path: Path) -> None:
    text = "[" * 100_000 + "]" * 100_000
    assert_refused(*score_stdin(text, tmp_path / "db.json"), tmp_path / "db.json",
                   "nested too deeply")


def test_non_utf8_stdin_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    proc = subprocess.run([sys.executable, "-m", "callcheck", "--db", str(db), "score", "-",
                           "--save"], input=b'{"rubric": "telephone", "meta": {"agency": "\xff"}}',
                          capture_output=True, timeout=120)
    assert proc.returncode == 1 and b"not UTF-8 text" in proc.stderr
    assert b"Traceback" not in proc.stderr and not db.exists()


def test_messages_name_the_file_and_show_json_not_python(tmp_path: Path) -> None:
    f = tmp_path / "list.json"
    f.write_text("[1, 2]", encoding="utf-8")
    code, _, err = run(["score", str(f)])
    assert code == 1 and f"{f}: the observations must be a JSON object, got a list" in err
    code, _, err = run(["score", "-"], '{"rubric": 5}')
    assert code == 1 and "rubric: must be the form's name as a string" in err
    assert "missing" not in err
    bad = with_field(["phases", "ivr", "rings"], None)
    bad["phases"]["ivr"]["outcome"] = True
    code, _, err = run(["score", "-"], json.dumps(bad))
    assert code == 1 and "got true" in err and "True" not in err
    huge = with_field(["phases", "ivr", "outcome"], {"x": "y" * 9000})
    code, _, err = run(["score", "-"], json.dumps(huge))
    assert code == 1 and len(err) < 300
    long_key = with_field(["meta", "k" * 9000], "x")
    code, _, err = run(["score", "-"], json.dumps(long_key))
    assert code == 1 and "unknown field" in err and len(err) < 300


ANSWERED_RETEST = [
    (["2026-11-26T10:00:00+08:00", "2026-11-26T10:01:00+08:00"], "came too soon"),
    (["2026-11-26T10:20:00+08:00", "2026-11-26T10:00:00+08:00"], "in the order"),
    (["2026-11-26T10:00:00+08:00"] * 4, "lists two attempts"),
]


@pytest.mark.parametrize("attempts, problem", ANSWERED_RETEST)
def test_an_answered_retest_follows_the_retest_rules(tmp_path: Path, attempts: list[str],
                                                     problem: str) -> None:
    data = with_field(["phases", "ivr", "attempts"], attempts)
    code, out, err = score_stdin(json.dumps(data), tmp_path / "db.json")
    assert_refused(code, out, err, tmp_path / "db.json", "phases.ivr.attempts")
    assert problem in err


def test_retest_times_are_said_in_taipei_time(tmp_path: Path) -> None:
    data = with_field(["phases", "ivr", "attempts"], ["2026-11-26T02:00:00Z",
                                                       "2026-11-26T02:01:00Z"])
    code, _, err = run(["score", "-"], json.dumps(data))
    assert code == 1 and "2026-11-26T10:01:00+08:00" in err and "02:01:00" not in err


def test_a_valid_answered_retest_still_scores(tmp_path: Path) -> None:
    data = with_field(["phases", "ivr", "attempts"], ["2026-11-26T10:00:00+08:00",
                                                       "2026-11-26T10:10:00+08:00"])
    code, out, err = run(["score", "-"], json.dumps(data))
    assert code == 0, err


@pytest.fixture
def one_session(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "db.json"
    code, _, err = run(["--db", str(db), "score", "-", "--save"], json.dumps(perfect_call()))
    assert code == 0, err
    sid = err.split("saved as session ")[1].split()[0]
    return db, sid


@pytest.mark.parametrize("change, problem", [
    ("header.at=garbage", "header.at: \"garbage\" is not an ISO 8601 date and time"),
    ("header.__class__=x", "header.__class__: unknown header field"),
    ("answers.9.9=true", "answers.9.9: telephone has no item"),
])
def test_edit_refuses_fields_that_would_break_the_session(one_session: tuple[Path, str],
                                                          change: str, problem: str) -> None:
    db, sid = one_session
    before = (db.read_bytes(), json.loads(run(["--db", str(db), "show", sid])[1]))
    code, out, err = run(["--db", str(db), "edit", sid, "--set", change, "--reason", "x"])
    assert code == 1 and problem in err, err
    assert json.loads(run(["--db", str(db), "show", sid])[1]) == before[1]
    code, _, err = run(["--db", str(db), "export", "--since", "2026-01-01"])
    assert code == 0 and "Traceback" not in err


def test_edit_header_at_is_stored_in_taipei_time(one_session: tuple[Path, str]) -> None:
    db, sid = one_session
    code, _, err = run(["--db", str(db), "edit", sid, "--set", "header.at=2026-11-27T01:00Z",
                        "--reason", "重聽錄音"])
    assert code == 0, err
    assert json.loads(run(["--db", str(db), "show", sid])[1])["header"]["at"] == \
        "2026-11-27T09:00:00+08:00"


@pytest.fixture(scope="module")
def thirty_sessions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of 30 sessions, made once: the closed-pipe commands only read it."""
    db = tmp_path_factory.mktemp("pipe") / "db.json"
    for _ in range(30):
        run(["--db", str(db), "score", "-", "--save"], json.dumps(perfect_call()))
    return db


@pytest.mark.parametrize("command", [["list"], ["export"], ["score", "docs/examples/call.json"]])
def test_a_closed_pipe_ends_quietly(thirty_sessions: Path, command: list[str]) -> None:
    """The reader has gone before callcheck writes (`callcheck list | head`, head done):
    exit 141, nothing on stderr. The pipe's reading end is closed before callcheck starts,
    so every command's first write fails, however small its output (a reader that read a
    byte and left could let a short output fit in the pipe's buffer, never breaking it)."""
    root = Path(__file__).resolve().parents[1]
    read_end, write_end = os.pipe()
    os.close(read_end)  # no reader, ever: a write to the pipe raises BrokenPipeError
    try:
        proc = subprocess.run([sys.executable, "-m", "callcheck", "--db", str(thirty_sessions),
                               *command], stdout=write_end, stderr=subprocess.PIPE, cwd=root,
                              text=True, timeout=120)
    finally:
        os.close(write_end)
    assert proc.stderr == ""
    assert proc.returncode == 141


# --- fuzz: arbitrary JSON and strings into each entry point ----------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12)


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths_of(v, (*prefix, k))
    elif isinstance(value, list):
        for n, v in enumerate(value):
            out += paths_of(v, (*prefix, n))
    return out


def mutate(data: Any, draw: Any) -> Any:
    """`data` with one value anywhere in it replaced by arbitrary JSON."""
    data = copy.deepcopy(data)
    paths = paths_of(data)
    path = draw(st.sampled_from(paths))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = draw(JSON)
    return data


@FUZZ
@given(st.data())
def test_fuzz_score_stdin(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    """Only exit 0 (a valid call) or exit 1 naming the problem; nothing saved on 1."""
    db = tmp_path_factory.mktemp("score") / "db.json"
    value = data.draw(JSON) if data.draw(st.booleans()) else mutate(perfect_call(), data.draw)
    code, out, err = score_stdin(json.dumps(value), db)
    assert code in (0, 1)
    if code == 1:
        assert out == "" and err.startswith("callcheck score: error: ")
        assert len(err) < 1000 and not db.exists()


@pytest.fixture(scope="module")
def export_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = tmp_path_factory.mktemp("export") / "db.json"
    run(["--db", str(db), "score", "-", "--save"], json.dumps(perfect_call()))
    return run(["--db", str(db), "export"])[1]


@FUZZ
@given(st.data())
def test_fuzz_import(tmp_path_factory: pytest.TempPathFactory, export_text: str,
                     data: st.DataObject) -> None:
    """A mutated export is imported whole or refused naming the problem; nothing written."""
    folder = tmp_path_factory.mktemp("import")
    db, f = folder / "db.json", folder / "in.json"
    value = data.draw(JSON) if data.draw(st.integers(0, 4)) == 0 else \
        mutate(json.loads(export_text), data.draw)
    f.write_text(json.dumps(value), encoding="utf-8")
    code, out, err = run(["--db", str(db), "import", str(f)])
    assert code in (0, 1)
    if code == 1:
        assert err.startswith("callcheck import: error: ") and "Traceback" not in err
        with Store(db) as store:
            assert store.count() == 0


@FUZZ
@given(st.data())
def test_fuzz_rubric_loader(data: st.DataObject) -> None:
    """A mutated rubric is read or refused with a RubricError naming file and field."""
    raw = tomllib.loads((RUBRICS / "telephone.toml").read_text(encoding="utf-8"))
    value = mutate(raw, data.draw)
    try:
        parse_rubric(value, "fuzz.toml")
    except RubricError as exc:
        assert str(exc).startswith("fuzz.toml")


@FUZZ
@given(st.binary(max_size=200))
def test_fuzz_rubric_files(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    f = tmp_path_factory.mktemp("rubric") / "r.toml"
    f.write_bytes(raw)
    code, out, err = run(["rubrics", "check", str(f)])
    assert code == 1 and err.startswith("FAIL ") and "Traceback" not in err


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("saved") / "db.json"
    code, _, err = run(["--db", str(db), "score", "-", "--save"], json.dumps(perfect_call()))
    return db, err.split("saved as session ")[1].split()[0]


@FUZZ
@given(st.text(max_size=30), st.text(max_size=30) | JSON.map(json.dumps))
def test_fuzz_edit_set(tmp_path_factory: pytest.TempPathFactory, saved: tuple[Path, str],
                       field: str, value: str) -> None:
    """Any FIELD=VALUE: revised, or refused naming it with the database unchanged."""
    db = tmp_path_factory.mktemp("edit") / "db.json"
    shutil.copy(saved[0], db)
    before = db.read_bytes()
    code, out, err = run(["--db", str(db), "edit", saved[1], f"--set={field}={value}",
                          "--reason", "fuzz"])
    assert code in (0, 1)
    if code == 1:
        assert err.startswith("callcheck edit: error: ") and len(err) < 1000
        assert db.read_bytes() == before
    code, _, err = run(["--db", str(db), "export", "--since", "2026-01-01"])
    assert code == 0 and "Traceback" not in err
