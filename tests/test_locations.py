"""The same database from any folder: where callcheck finds it, and what it says about it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import callcheck
from callcheck import cli, locations
from callcheck.locations import DbLocation, legacy_db, locate_db, project_root

from .conftest import ROOT, perfect_call


def fake_tree(tmp_path: Path, name: str = "callcheck") -> Path:
    """A source tree laid out as this one: pyproject.toml beside src/callcheck/."""
    root = tmp_path / "tree"
    (root / "src" / "callcheck").mkdir(parents=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "{name}"\n', encoding="utf-8")
    return root


def test_an_editable_install_finds_its_own_source_tree() -> None:
    """The tests run from this checkout's src/: its root is the project."""
    assert project_root() == ROOT
    assert Path(callcheck.__file__).resolve().parent == ROOT / "src" / "callcheck"


def test_a_package_outside_a_callcheck_tree_has_no_project(tmp_path: Path) -> None:
    site = tmp_path / "lib" / "python3.11" / "site-packages" / "callcheck"
    site.mkdir(parents=True)
    assert project_root(site) is None
    other = fake_tree(tmp_path, name="something-else")
    assert project_root(other / "src" / "callcheck") is None
    assert project_root(fake_tree(tmp_path / "x") / "src" / "callcheck") == tmp_path / "x" / "tree"


def test_db_is_chosen_by_option_then_environment_then_project_then_user_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = fake_tree(tmp_path)
    pkg = tree / "src" / "callcheck"
    wheel = tmp_path / "site-packages" / "callcheck"
    wheel.mkdir(parents=True)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("CALLCHECK_DB", str(tmp_path / "env.json"))
    assert locate_db("given.json", package_dir=pkg) == DbLocation(Path("given.json"), "--db")
    assert locate_db(package_dir=pkg) == DbLocation(tmp_path / "env.json", "env")
    monkeypatch.delenv("CALLCHECK_DB")
    assert locate_db(package_dir=pkg) == DbLocation(tree / "sessions" / "callcheck.json",
                                                    "project")
    assert locate_db(package_dir=wheel) == DbLocation(
        tmp_path / "data" / "callcheck" / "callcheck.json", "user")


def test_the_working_folder_does_not_decide(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALLCHECK_DB")
    found = []
    for folder in (tmp_path, tmp_path / "a" / "b", ROOT):
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.chdir(folder)
        found.append(locate_db())
    assert found == [DbLocation(ROOT / "sessions" / "callcheck.json", "project")] * 3


def test_a_database_where_the_old_rule_looked_is_found_unless_it_is_the_same(
        tmp_path: Path) -> None:
    old = tmp_path / "sessions" / "callcheck.json"
    assert legacy_db(tmp_path / "new.json", cwd=tmp_path) is None  # nothing there
    old.parent.mkdir()
    old.write_text("{}", encoding="utf-8")
    assert legacy_db(tmp_path / "new.json", cwd=tmp_path) == old
    assert legacy_db(old, cwd=tmp_path) is None


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err, stdin=io.StringIO())
    return code, out.getvalue(), err.getvalue()


def test_version_names_the_database_it_would_open(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALLCHECK_DB")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    printed = capsys.readouterr().out
    assert printed == (f"callcheck {callcheck.__version__}\n"
                       f"database: {ROOT / 'sessions' / 'callcheck.json'} "
                       "(the project's sessions/ folder)\n")
    with pytest.raises(SystemExit):
        cli.main(["--db", "x.json", "--version"])
    assert "database: x.json (given with --db)" in capsys.readouterr().out


def test_making_a_new_database_is_said_once(tmp_path: Path) -> None:
    obs = tmp_path / "call.json"
    obs.write_text(json.dumps(perfect_call(), ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "fresh" / "callcheck.json"
    code, _, err = run("--db", str(db), "score", str(obs), "--save")
    assert code == 0 and f"note: created a new database at {db}" in err
    code, _, err = run("--db", str(db), "score", str(obs), "--save")
    assert code == 0 and "created" not in err


def test_a_database_left_where_the_old_rule_looked_is_offered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Started in a folder holding ./sessions/callcheck.json: list says where it is and how."""
    monkeypatch.delenv("CALLCHECK_DB")
    tree = fake_tree(tmp_path)
    monkeypatch.setattr(locations, "project_root", lambda package_dir=None: tree)
    work = tmp_path / "work"
    (work / "sessions").mkdir(parents=True)
    (work / "sessions" / "callcheck.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(work)
    code, out, err = run("list")
    assert code == 0 and out == ""
    old = work / "sessions" / "callcheck.json"
    assert f"note: a database is also at {old}" in err
    assert f"callcheck --db {old}" in err
    code, _, err = run("--db", str(old), "list")
    assert "note:" not in err  # named: nothing to offer
