"""Printing a session's form from the app: the core renders it, a worker thread writes it.

The file goes to the working folder as `callcheck-form-<id>.html` (the same
page `callcheck print` writes); a notice says where. A session not finished
yet prints marked 草稿.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from textual.app import App

from ..errors import CallcheckError
from ..i18n import Lang
from ..printing import render_forms
from ..rubric import Rubric
from ..session import Session
from ..store import atomic_write
from ..words import tr


def form_path(session: Session, folder: Path | None = None) -> Path:
    return (folder or Path.cwd()) / f"callcheck-form-{session.id[:8]}.html"


def print_form(app: App[object], rubrics: Mapping[str, Rubric], session: Session, lang: Lang,
               folder: Path | None = None) -> Path:
    """Write the session's form in a worker thread; a notice says where, or why not."""
    path = form_path(session, folder)

    def write() -> None:
        try:
            page, _ = render_forms([session], rubrics, lang, draft=not session.finished)
            atomic_write(path, page.encode("utf-8"))
        except (CallcheckError, OSError) as exc:
            error = getattr(exc, "strerror", None) or str(exc)
            app.call_from_thread(app.notify, tr("print.failed", lang, path=str(path),
                                                error=error),
                                 severity="error", markup=False)
            return
        app.call_from_thread(app.notify, tr("print.done", lang, path=str(path)), markup=False)

    app.run_worker(write, thread=True, group="print-form", exit_on_error=False)
    return path
