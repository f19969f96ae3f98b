"""The core knows nothing of the screen: no module outside callcheck.ui imports Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import callcheck

CORE = Path(callcheck.__file__).parent


def core_modules() -> list[Path]:
    return sorted(p for p in CORE.glob("*.py"))


def test_no_core_module_imports_textual_in_its_source() -> None:
    offenders = []
    for path in core_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif (isinstance(node, ast.ImportFrom) and node.module
                  and node.module.startswith("ui")
                  and (path.name != "cli.py" or node.col_offset == 0)):
                # cli.py may start the app lazily, inside its run function only.
                names = [f"callcheck.{node.module}"]
            offenders += [f"{path.name}: {n}" for n in names
                          if n.split(".")[0] in ("textual", "rich") or n.startswith("callcheck.ui")]
    assert not offenders


def test_importing_the_core_loads_no_textual() -> None:
    mods = ", ".join(f"callcheck.{p.stem}" for p in core_modules() if p.stem != "__main__")
    code = (f"import sys, importlib\n"
            f"for m in '{mods}'.split(', '): importlib.import_module(m)\n"
            f"bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
            f"print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_notice_shows_its_text_as_text_never_as_markup() -> None:
    """A notice often carries user text (an agency, a path, an error); Textual would read
    `[…]` in it as markup and could crash: every notify() passes markup=False."""
    calls, offenders = 0, []
    for path in sorted((CORE / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "notify":
                calls += 1
                markup = {k.arg: k.value for k in node.keywords}.get("markup")
                if not (isinstance(markup, ast.Constant) and markup.value is False):
                    offenders.append(f"{path.relative_to(CORE)}:{node.lineno}")
    assert calls > 0 and offenders == []
