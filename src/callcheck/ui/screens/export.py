"""Export the sessions in the history's current filter to JSON or CSV, in a worker."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, ProgressBar, RadioButton, RadioSet

from ...export import Selection, atomic_output, default_export_name, export_rows
from ...history import HistoryFilter
from ...store import is_database_file
from ...words import tr
from ..bindings import bind
from ..storage import WorkFailed
from .base import CSS_DIR, CallcheckModal

FORMATS = ("json", "csv")


def selection_for(flt: HistoryFilter) -> Selection:
    """The part of a history filter an export file can record (the free text is not)."""
    return Selection(rubric=flt.form, since=flt.since, until=flt.until, status=flt.status)


class ExportScreen(CallcheckModal[Path | None]):
    """Where to, and in which format; dismisses with the file written (or None)."""

    CSS_PATH = [CSS_DIR / "dialog.tcss", CSS_DIR / "export.tcss"]

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("cancel"),
    ]

    def __init__(self, session_ids: Sequence[str], flt: HistoryFilter | None = None,
                 folder: Path | None = None) -> None:
        super().__init__()
        self.session_ids = list(session_ids)
        self.filter = flt or HistoryFilter()
        self.folder = folder or Path.cwd()
        self._confirm_overwrite: Path | None = None
        self._exporting = False

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(classes="dialog"):
            yield Label(tr("export.title", lang, n=len(self.session_ids)),
                        classes="dialog-title", markup=False)
            yield Label(tr("export.format", lang), markup=False)
            with RadioSet(id="export-format"):
                yield RadioButton("JSON", value=True, id="format-json")
                yield RadioButton("CSV（Excel）", id="format-csv")
            yield Label(tr("export.path", lang), markup=False)
            yield Input(str(self.folder / default_export_name("json")), id="export-path")
            yield ProgressBar(total=max(1, len(self.session_ids)), id="export-progress",
                              show_eta=False)
            yield Label("", classes="error-line", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(tr("key.cancel", lang), id="cancel")
                yield Button(tr("export.go", lang), id="go", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @property
    def format(self) -> str:
        return "csv" if self.query_one("#format-csv", RadioButton).value else "json"

    @on(RadioSet.Changed)
    def _format_changed(self) -> None:
        box = self.query_one("#export-path", Input)
        path = Path(box.value)
        if path.suffix.lower() in (".json", ".csv"):
            box.value = str(path.with_suffix("." + self.format))

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#go")
    def start(self) -> None:
        if self._exporting:
            return
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            return
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        if is_database_file(self.store.path, path):
            self.query_one(".error-line", Label).update(tr("export.is_database", self.lang))
            return
        if path.exists() and self._confirm_overwrite != path:
            self._confirm_overwrite = path
            self.query_one(".error-line", Label).update(tr("export.exists", self.lang))
            return
        self._exporting = True
        self.query_one("#go", Button).disabled = True
        self.run_export(path, self.format)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def run_export(self, path: Path, fmt: str) -> None:
        """Gather the chosen sessions, format them and write the file atomically."""
        try:
            wanted = set(self.session_ids)
            rows = sorted((r for r in self.store.rows() if r.id in wanted),
                          key=lambda r: (r.at, r.id))

            def progress(done: int, total: int) -> None:
                self.call_later(self._progress, done, total)  # on the screen's own loop

            with atomic_output(path) as out:  # streamed: one session in memory at a time
                count = export_rows(self.store, rows, out, fmt, dict(self.rubrics),
                                    selection_for(self.filter), progress=progress)
        except Exception as exc:  # disk full, permissions: said to the tester
            self.post_message(WorkFailed(exc))
            return
        self.call_later(self._done, path, count)

    def _progress(self, done: int, total: int) -> None:
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=max(1, total), progress=done)

    def _done(self, path: Path, count: int) -> None:
        self.app.notify(tr("export.done", self.lang, n=count, path=path),
                        markup=False, timeout=10)
        self.dismiss(path)

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self._exporting = False
        self.query_one("#go", Button).disabled = False
        error = getattr(message.error, "strerror", None) or str(message.error)
        self.query_one(".error-line", Label).update(tr("export.failed", self.lang,
                                                       message=error))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not self._exporting:
            self.dismiss(None)
