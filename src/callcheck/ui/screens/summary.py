"""Results by unit for the sessions in the history's filter: count, average, latest, change.

Below them, the period report's ranking of the items by points lost and the
trend of the mean score per form (`callcheck.report`, as `callcheck report`
prints them), computed from the stored sessions in a worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from ...errors import CallcheckError
from ...history import HistoryRow, local_time, roc_short, summary_by_unit
from ...report import PeriodReport, build_report
from ...words import tr
from ..bindings import bind
from ..widgets.keys_footer import KeysFooter
from .base import CSS_DIR, CallcheckScreen

BLOCKS = " ▁▂▃▄▅▆▇█"


def score_bars(values: Sequence[float]) -> str:
    """A bar per period on a fixed 0–100 scale (a sparkline scaled to its own minimum and
    maximum would draw 73 after 75 as a fall to nothing)."""
    steps = len(BLOCKS) - 1
    return " ".join(BLOCKS[max(0, min(steps, round(v / 100 * steps)))] * 2 for v in values)


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

    BINDINGS: ClassVar[list[BindingType]] = [bind("back")]

    def __init__(self, rows: Sequence[HistoryRow]) -> None:
        super().__init__()
        self.rows = rows
        self.summary = summary_by_unit(rows)
        self.report: PeriodReport | None = None
        """The ranking and trend, once the worker has built them."""

    def compose(self) -> ComposeResult:
        yield Label(tr("summary.title", self.lang), classes="screen-title")
        yield Label(tr("summary.count", self.lang, units=len(self.summary),
                       sessions=sum(s.count for s in self.summary)), id="summary-count")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="summary-table")
        yield Label(tr("summary.losses", self.lang), id="summary-losses-title")
        yield DataTable(cursor_type="row", zebra_stripes=True, id="summary-losses")
        yield Vertical(id="summary-trend")
        yield KeysFooter()

    def on_mount(self) -> None:
        lang = self.lang
        table = self.query_one("#summary-table", DataTable)
        self.add_columns(table, "history.col.form", "history.col.agency", "history.col.unit",
                         "summary.col.count", "summary.col.average", "summary.col.latest",
                         "summary.col.latest_at", "summary.col.change")
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
        self.load_report()

    @work(thread=True, exclusive=True, group="summary-report", exit_on_error=False)
    def load_report(self) -> None:
        ids = {r.id for r in self.rows if r.status == "finished"}
        try:
            # Only the sessions summed up, read year by year (never the whole archive).
            order = sorted((r for r in self.store.rows() if r.id in ids),
                           key=lambda r: (r.at, r.id))
            docs = list(self.store.iter_docs([r.id for r in order]))
        except CallcheckError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        report = build_report(docs, self.rubrics)
        self.app.call_from_thread(self.show_report, report)

    def show_report(self, report: PeriodReport) -> None:
        """The items ranked by points lost, and bars of each form's mean score by period."""
        self.report = report
        lang = self.lang
        table = self.query_one("#summary-losses", DataTable)
        self.add_columns(table, "history.col.form", "summary.col.rank", "summary.col.lost",
                         "summary.col.share", "summary.col.losing", "detail.item.id")
        for rid, entries in report.losses.items():
            rubric = self.rubrics.get(rid)
            form = rubric.title.get(lang) if rubric else rid
            for n, e in enumerate(entries, 1):
                label = rubric.item(e.item).label.get(lang) if rubric and \
                    rubric.has_item(e.item) else ""
                table.add_row(Text(form), Text(str(n), justify="right"),
                              Text(str(e.lost), justify="right"),
                              Text(f"{e.share:.0%}", justify="right"),
                              Text(f"{e.tests_losing}/{e.tests}", justify="right"),
                              Text(f"{e.item} {label}"))
        trend = self.query_one("#summary-trend", Vertical)
        widgets = []
        for rid in report.rubrics_used:
            points = [(p, m) for p in report.periods if (m := p.mean(rid)) is not None]
            if not points:
                continue
            rubric = self.rubrics.get(rid)
            form = rubric.title.get(lang) if rubric else rid
            means = " ".join(f"{m:.0f}" for _, m in points)
            line = Text(tr("summary.trend", lang, form=form,
                           by=tr(f"summary.by.{report.by}", lang),
                           first=points[0][0].roc(), last=points[-1][0].roc()) + "  ")
            line.append(score_bars([m for _, m in points]), style="bold")
            line.append(f"  {means}")
            widgets.append(Label(line, classes="trend-line"))
        trend.mount_all(widgets)

    def add_columns(self, table: DataTable[object], *labels: str) -> None:
        """Columns titled by their strings, each keyed by its string's last part."""
        for label in labels:
            table.add_column(tr(label, self.lang), key=label.rsplit(".", 1)[-1])

    def action_back(self) -> None:
        self.app.pop_screen()
