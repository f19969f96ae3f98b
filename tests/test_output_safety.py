"""Output that cannot be turned against the reader: terminal escapes shown visibly in
everything the CLI prints, CSV cells no spreadsheet evaluates (issue 9 §4)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from callcheck.store import Store
from callcheck.text import csv_cell, json_text, printable

from .conftest import perfect_call
from .test_cli import run

TITLE = "\x1b]0;pwned\x07"
WIPE = "\x1b[2J"
RED = "\x1b[31m"
C1_CSI = "\x9b31m"
HOSTILE = {"agency": f"基隆{TITLE}市", "unit": f"{WIPE}第一組", "tester": f"王{RED}小明\x7f",
           "number": f"02{C1_CSI}-2424"}
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_printable_shows_every_control_character_visibly() -> None:
    assert printable(TITLE) == "␛]0;pwned␇"
    assert printable("a\x7fb\x9bc") == "a␡b<U+009B>c"
    assert printable("行一\n行二\t完", lines=True) == "行一\n行二\t完"
    assert printable("行一\n行二\r") == "行一␊行二␍"
    assert not RAW.search(printable("".join(map(chr, range(0x00, 0xA0)))))


def test_json_text_escapes_what_a_terminal_obeys_and_reads_back_the_same() -> None:
    value = {"agency": "".join(HOSTILE.values()) + "\u2028"}
    text = json_text(value)
    assert not RAW.search(text) and "\u2028" not in text
    assert json.loads(text) == value


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    db = tmp_path / "db.json"
    data = perfect_call()
    data["meta"].update(HOSTILE)
    data["notes"] = {"1.2": f"{WIPE}備註\n第二行"}
    code, _, err = run(["--db", str(db), "score", "-", "--save"], json.dumps(data))
    assert code == 0, err
    data["rubric"] = "petition"
    return db


@pytest.mark.parametrize("command", [["list"], ["pending"], ["show", "0"], ["export"],
                                     ["export", "--format", "csv"], ["delete", "0"]])
def test_no_command_prints_a_control_character(hostile_db: Path, command: list[str]) -> None:
    if command[-1] == "0":
        sid = run(["--db", str(hostile_db), "list"])[1].split()[0]
        command = [*command[:-1], sid]
    code, out, err = run(["--db", str(hostile_db), *command])
    assert not RAW.search(out) and not RAW.search(err), (out, err)
    if command[0] == "list":
        assert "基隆␛]0;pwned␇市" in out and "␛[2J第一組" in out


def test_show_and_export_json_keep_the_data_exact(hostile_db: Path) -> None:
    sid = run(["--db", str(hostile_db), "list"])[1].split()[0]
    shown = json.loads(run(["--db", str(hostile_db), "show", sid])[1])
    assert shown["header"]["agency"] == HOSTILE["agency"]
    exported = json.loads(run(["--db", str(hostile_db), "export"])[1])
    assert exported["sessions"][0]["header"] == {**shown["header"]}


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+886-2-2424", "'+886-2-2424"), ("-第一組", "'-第一組"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\t=1+1", "'\t=1+1"), ("\r=1+1", "␍=1+1"),
    ("第一組", "第一組"), (5, 5), (-2, -2), (92.0, 92.0),
])
def test_csv_cells_are_neutralised_per_owasp_without_stripping(value: object,
                                                               cell: object) -> None:
    assert csv_cell(value) == cell


FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(1;2)", "\t=1+1", "\r=1+1", "=HYPERLINK(\"x\")",
            "=cmd|' /C calc'!A0"]


@pytest.mark.slow
def test_no_exported_cell_becomes_a_formula_in_libreoffice(tmp_path: Path) -> None:
    """LibreOffice imports the CSV with formula evaluation on: a control file with one raw
    formula proves it would show one; the export has none, and every text reads back."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed: `apt-get install libreoffice-calc-nogui` "
                    "(.ci/run installs it when missing)")
    db = tmp_path / "db.json"
    for n, formula in enumerate(FORMULAS):
        data = perfect_call()
        data["meta"].update(agency=formula, unit=f"{formula}組", tester=formula,
                            number=formula, at=f"2026-11-{n + 1:02d}T10:00:00+08:00")
        code, _, err = run(["--db", str(db), "score", "-", "--save"], json.dumps(data))
        assert code == 0, err
    with Store(db) as store:  # as stored by hand or an older import: nothing stripped
        for session in store.all():
            formula = FORMULAS[int(session.header["at"][8:10]) - 1]
            session.header.update(agency=formula, unit=f"{formula}組", tester=formula)
            store.save(session)
    export = tmp_path / "export.csv"
    assert run(["--db", str(db), "export", "-o", str(export), "--format", "csv"])[0] == 0
    control = tmp_path / "control.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([["a"], ["=1+1"]])
    control.write_text(buf.getvalue(), encoding="utf-8")
    sheets = {f.stem: _import_in_libreoffice(soffice, f, tmp_path) for f in (control, export)}
    assert 'table:formula="of:=1+1"' in sheets["control"]  # the parser evaluates formulas
    assert "table:formula" not in sheets["export"]
    cells = [html_unescape(c) for c in re.findall(r"<text:p>(.*?)</text:p>", sheets["export"])]
    for formula in FORMULAS:  # LibreOffice drops a tab inside a cell as it imports it
        shown = ("'" + printable(formula, lines=True)).replace("\t", "")
        if formula.startswith("\r"):
            shown = printable(formula)
        assert any(c.replace("<text:tab/>", "") == shown for c in cells), formula


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


def _import_in_libreoffice(soffice: str, csv_file: Path, tmp: Path) -> str:
    """The spreadsheet LibreOffice makes of a CSV file (UTF-8, comma, formulas evaluated),
    as flat OpenDocument XML."""
    out = tmp / "lo"
    options = "44,34,76,1,,0,false,true,false,false,false,,true"
    done = subprocess.run([soffice, "--headless", "--norestore",
                           f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
                           f"--infilter=CSV:{options}", "--convert-to", "fods",
                           "--outdir", str(out), str(csv_file)],
                          capture_output=True, text=True, timeout=300, check=False)
    result = out / f"{csv_file.stem}.fods"
    assert result.exists(), done.stderr[-2000:]
    return result.read_text(encoding="utf-8")
