"""The `callcheck` command line: score, rubrics, --help and --version."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from callcheck import __version__
from callcheck.cli import main

from .conftest import ROOT, RUBRICS, perfect_call

EXAMPLE = ROOT / "docs" / "examples" / "call.json"


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out=out, err=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_score_prints_the_result_as_json(tmp_path: Path) -> None:
    f = tmp_path / "call.json"
    f.write_text(json.dumps(perfect_call(), ensure_ascii=False), encoding="utf-8")
    code, out, err = run(["score", str(f)])
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["rubric"] == "telephone" and result["rubric_version"] == "105.1"
    assert result["total"] == {"points": 100, "max": 100, "score": 100.0}
    assert set(result["items"]["1.2"]) == {"points", "max", "status", "note"}


def test_score_reads_standard_input() -> None:
    code, out, _ = run(["score", "-"], json.dumps(perfect_call()))
    assert code == 0 and json.loads(out)["total"]["points"] == 100


def test_score_notes_follow_the_language() -> None:
    data = perfect_call()
    data["phases"]["operator"] = {"outcome": "answered", "rings": 6, "seconds": 16.2}
    _, zh, _ = run(["score", "-"], json.dumps(data))
    _, en, _ = run(["--lang", "en", "score", "-"], json.dumps(data))
    assert json.loads(zh)["items"]["1.2"]["note"] == "6 聲 / 16.2 秒：−2"
    assert json.loads(en)["items"]["1.2"]["note"] == "6 rings / 16.2 s: −2"


def test_output_keeps_chinese_unescaped() -> None:
    _, out, _ = run(["score", "-"], json.dumps(perfect_call()))
    assert "滿分" in out and "\\u" not in out


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda d: d["answers"].pop("2.2.2"), "answers.2.2.2"),
    (lambda d: d.update(rubric="tele"), "rubric"),
    (lambda d: d["phases"]["unit"].update(outcome="maybe"), "phases.unit.outcome"),
])
def test_bad_input_exits_nonzero_with_nothing_on_stdout(mutate: Any, field: str) -> None:
    data = perfect_call()
    mutate(data)
    code, out, err = run(["score", "-"], json.dumps(data))
    assert code == 1
    assert out == ""
    assert field in err


def test_invalid_json_names_the_position() -> None:
    code, out, err = run(["score", "-"], '{"rubric": ')
    assert code == 1 and out == ""
    assert "not valid JSON: line 1" in err


def test_missing_file_is_reported(tmp_path: Path) -> None:
    code, out, err = run(["score", str(tmp_path / "nope.json")])
    assert code == 1 and out == "" and "cannot read" in err


def test_documented_example_scores(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["score", str(EXAMPLE)])
    assert code == 0, err
    assert json.loads(out)["total"] == {"points": 92, "max": 100, "score": 92.0}


def test_rubrics_lists_the_forms_with_totals() -> None:
    code, out, _ = run(["rubrics"])
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["telephone", "registration", "petition"]
    assert all("100 points" in line for line in lines)
    assert "電話禮貌" in out


def test_rubrics_check_passes_the_bundled_files() -> None:
    code, out, err = run(["rubrics", "check"])
    assert code == 0 and err == ""
    assert out.count("ok") == 3


def test_rubrics_check_fails_a_broken_file_naming_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "petition.toml"
    bad.write_text((RUBRICS / "petition.toml").read_text(encoding="utf-8")
                   .replace("points = 35", "points = 36", 1), encoding="utf-8")
    code, out, err = run(["rubrics", "check", str(bad), str(RUBRICS / "telephone.toml")])
    assert code == 1
    assert "FAIL" in err and "field 'max'" in err and str(bad) in err
    assert "ok" in out  # the good file is still reported


def test_help_and_version_behave_as_python_clis_do() -> None:
    help_ = subprocess.run([sys.executable, "-m", "callcheck", "--help"],
                           capture_output=True, text=True, check=False)
    assert help_.returncode == 0
    assert "usage: callcheck" in help_.stdout and "score" in help_.stdout
    version = subprocess.run([sys.executable, "-m", "callcheck", "--version"],
                             capture_output=True, text=True, check=False)
    assert (version.returncode, version.stdout.splitlines()[0]) == (0, f"callcheck {__version__}")
    assert version.stdout.splitlines()[1].startswith("database: ")
    wrong = subprocess.run([sys.executable, "-m", "callcheck", "frobnicate"],
                           capture_output=True, text=True, check=False)
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr
