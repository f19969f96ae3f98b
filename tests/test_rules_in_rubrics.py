"""Rules stay in the rubric files: no code names an item id or writes a rule's reason."""

from __future__ import annotations

import ast
from pathlib import Path

from callcheck.rubric import Rubric

from .conftest import ROOT

SRC = ROOT / "src" / "callcheck"


def _string_constants(path: Path) -> list[tuple[int, str]]:
    """Every string literal of a module that is not a docstring (or attribute doc), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree)  # module, class, attribute docs
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings]


def test_no_code_names_an_item_or_group_id(rubrics: dict[str, Rubric]) -> None:
    """An id like "1.3.7" or "2.3" in code would be a rule of the form outside its rubric."""
    ids = {i.id for r in rubrics.values() for i in r.items} | {
        g.id for r in rubrics.values() for g in r.groups}
    dotted = {i for i in ids if "." in i}
    assert {"1.3.7", "2.3", "1.2", "2.1.1"} <= dotted  # the test looks for real ids
    found = []
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 20
    for path in files:
        for line, text in _string_constants(path):
            words = text.replace("（", " ").replace("(", " ").split()
            if text in dotted or any(w.strip("，,:：") in dotted for w in words):
                found.append(f"{path.relative_to(ROOT)}:{line}: {text!r}")
    assert found == []


def test_no_code_writes_a_rule_s_reason(rubrics: dict[str, Rubric]) -> None:
    """A rule's reason (無語音系統…, 無總機人員…) comes from the rubric, never from code."""
    phrases = {"無語音系統", "無總機人員", "no voice system", "乘以 2", "×2", "未經總機"}
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for line, text in _string_constants(path):
            if any(p in text for p in phrases):
                found.append(f"{path.relative_to(ROOT)}:{line}: {text!r}")
    assert found == []
