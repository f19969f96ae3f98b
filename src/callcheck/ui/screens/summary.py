"""Results by unit for the sessions in the history's filter: count, average, latest, change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Label

from ...history import HistoryRow, local_time, roc_short, summary_by_unit
from ..strings import tr
from .base import CSS_DIR, CallcheckScreen


def change_text(change: float | None) -> Text:
    if change is None:
        return Text("—", style="dim")
    if change > 0:
        return Text(f"▲ +{change:.1f}", style="bold green")
    if change < 0:
        return Text(f"▼ {change:.1f}", style="bold red")
    return Text("＝ 0.0")


class SummaryScreen(CallcheckScreen[None]):
    """Each unit's count, average score, latest score and change since the test before."""

    CSS_PATH = CSS_DIR / "summary.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back", id="back")]

    def __init__(self, rows: Sequence[HistoryRow]) -> None:
        super().__init__()
        self.rows = rows
        self.summary = summary_by_unit(rows)

    def compose(self) -> ComposeResult:
        yield Label(tr("summary.title", self.lang), classes="screen-title")
        yield Label(tr("summary.count", self.lang, units=len(self.summary),
                       sessions=sum(s.count for s in self.summary)), id="summary-count")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="summary-table")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        lang = self.lang
        table = self.query_one("#summary-table", DataTable)
        table.add_column(tr("history.col.form", lang), key="form")
        table.add_column(tr("history.col.agency", lang), key="agency")
        table.add_column(tr("history.col.unit", lang), key="unit")
        table.add_column(tr("summary.col.count", lang), key="count")
        table.add_column(tr("summary.col.average", lang), key="average")
        table.add_column(tr("summary.col.latest", lang), key="latest")
        table.add_column(tr("summary.col.latest_at", lang), key="latest_at")
        table.add_column(tr("summary.col.change", lang), key="change")
        for s in self.summary:
            rubric = self.rubrics.get(s.rubric)
            form = rubric.title.get(lang) if rubric else s.rubric
            local = local_time(s.latest_at)
            latest_at = f"{roc_short(local.date())}（{local.date().isoformat()}）" if local \
                else ""
            table.add_row(Text(form), Text(s.agency), Text(s.unit),
                          Text(str(s.count), justify="right"),
                          Text("—" if s.average is None else f"{s.average:.1f}",
                               justify="right"),
                          Text("—" if s.latest is None else f"{s.latest:.1f}", justify="right"),
                          Text(latest_at), change_text(s.change))
        if not self.summary:
            table.add_row(Text(tr("summary.empty", lang)), "", "", "", "", "", "", "")
        table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()
