"""Where the database lives: the same one from whatever folder callcheck is started in.

In order: `--db PATH`, else `$CALLCHECK_DB`, else the project's own
`sessions/callcheck.json` when callcheck runs from its source tree (an editable
install, as the README's first command makes), else the per-user data folder
(`platformdirs`: `~/.local/share/callcheck/` on Linux) for an installed wheel.
The working directory never decides: before this rule it did, so a database
may still sit at `./sessions/callcheck.json` where callcheck was started;
`legacy_db` finds it so that it can be offered.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import platformdirs

DB_ENV = "CALLCHECK_DB"
DB_NAME = "callcheck.json"
LEGACY_DB = Path("sessions") / DB_NAME
"""Where callcheck looked before: relative to the working directory."""


@dataclass(frozen=True, slots=True)
class DbLocation:
    """The database to open, and which rule chose it (`--db`, `env`, `project`, `user`)."""

    path: Path
    rule: str


def project_root(package_dir: Path | None = None) -> Path | None:
    """The source tree callcheck runs from (`src/callcheck` under a callcheck pyproject), if any.

    An editable install imports the package from its source tree, so the tree
    is found from the package itself, not from the working directory. An
    installed wheel sits in site-packages: no tree, None.
    """
    pkg = (package_dir or Path(__file__).parent).resolve()
    if pkg.parent.name != "src":
        return None
    root = pkg.parent.parent
    try:
        meta = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return root if meta.get("project", {}).get("name") == "callcheck" else None


def user_db() -> Path:
    """The per-user data folder's database (for an install with no project tree)."""
    return platformdirs.user_data_path("callcheck", appauthor=False) / DB_NAME


def locate_db(given: str | os.PathLike[str] | None = None, *,
              package_dir: Path | None = None) -> DbLocation:
    """The database to open: `given` (`--db`), `$CALLCHECK_DB`, the project's, the user's."""
    if given:
        return DbLocation(Path(given), "--db")
    env = os.environ.get(DB_ENV)
    if env:
        return DbLocation(Path(env), "env")
    root = project_root(package_dir)
    if root is not None:
        return DbLocation(root / "sessions" / DB_NAME, "project")
    return DbLocation(user_db(), "user")


def legacy_db(chosen: Path, cwd: Path | None = None) -> Path | None:
    """A database where the old rule looked (`./sessions/callcheck.json`) that is not `chosen`."""
    old = (cwd or Path.cwd()) / LEGACY_DB
    try:
        if not old.is_file() or old.resolve() == chosen.resolve():
            return None
    except OSError:
        return None
    return old
