"""The callcheck Textual app."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

from ..i18n import Lang
from ..rubric import Rubric
from ..store import Store


class CallcheckApp(App[int]):
    """Lists the forms callcheck can score."""

    TITLE = "callcheck"
    BINDINGS = [Binding("q", "quit", "Quit")]

    def __init__(self, store: Store, rubrics: dict[str, Rubric], lang: Lang = "zh") -> None:
        super().__init__()
        self.store = store
        self.rubrics = rubrics
        self.lang: Lang = lang

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="rubrics", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("id", "form", "version", "items", "points")
        for r in self.rubrics.values():
            table.add_row(Text(r.id), Text(r.title.get(self.lang)), Text(r.version),
                          str(len(r.items)), str(r.max))
