"""The history: every stored session in one table, sorted and filtered as the tester likes."""

from __future__ import annotations

import datetime as dt
import heapq
import threading
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import AwaitMount
from textual.widgets import Input, Label, Select

from ...archive import index_row
from ...dates import now
from ...errors import CallcheckError
from ...history import (
    COLUMNS,
    DAMAGED,
    History,
    HistoryFilter,
    HistoryRow,
    apply_filter,
    parse_day,
    row_from_damaged,
    row_from_index,
    sort_rows,
)
from ...i18n import Lang
from ...session import STATUSES
from ...text import printable
from ...words import tr
from ..bindings import bind
from ..widgets.dialogs import ConfirmDialog
from ..widgets.keys_footer import KeysFooter
from ..widgets.lazy_table import Column, LazyTable
from .base import CSS_DIR, CallcheckScreen

if TYPE_CHECKING:
    from ...archive import Row
    from ...session import Session


_STORED_TIME = attrgetter("at")
"""A row's test time as stored (ISO 8601): sorts as time does."""


def _draft_row(draft: Session) -> Row:
    return index_row({**draft.to_doc(), "status": "draft"})


def status_text(row: HistoryRow, lang: Lang) -> str:
    """The status as the table shows it; a pending retest says when it is due."""
    if row.damaged:
        return tr("status.damaged", lang)
    if row.pending:
        if row.due_now(now()):
            return tr("history.due_now", lang)
        if row.due_at:
            return tr("history.due_at", lang, time=row.due_at[11:16])
    return tr(f"status.{row.status}", lang) if row.status in STATUSES else row.status


def score_text(row: HistoryRow) -> str:
    return "—" if row.score is None else f"{row.score:.1f}"


class HistoryScreen(CallcheckScreen[None]):
    """All stored sessions: filter by form, status, dates and text; sort by any column."""

    CSS_PATH = CSS_DIR / "history.tcss"
    NOTICES_BELOW = "history-table"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back"), bind("open"),
        # `/` from the table; Ctrl+F from anywhere, a filter box included
        Binding("slash", "focus_search", "Search", key_display="/", id="search", show=False),
        Binding("ctrl+f", "focus_search", "Search", id="search", show=False, priority=True),
        bind("sort", "next_sort"), bind("reverse"), bind("export"), bind("summary"),
        bind("clear", "clear_filter", show=False), bind("delete"),
    ]

    FIRST_PAGE: ClassVar[int] = 200
    """Rows built and shown first, before the whole history is ready."""

    @dataclass(eq=False)
    class FirstRows(Message):
        """The newest sessions, to paint while the rest are read (in a worker)."""

        rows: list[HistoryRow]

    @dataclass(eq=False)
    class Loaded(Message):
        """The store's sessions were read into history rows (in a worker)."""

        history: History

    def __init__(self) -> None:
        super().__init__()
        self.history = History()
        self._loaded = False
        self._keep_id: str | None = None
        self._bad_dates: set[str] = set()
        self._first_painted = threading.Event()
        self._filters: AwaitMount | None = None
        """The filter boxes' mounting, once started (see `compose`)."""
        self._draft_ids: set[str] = set()
        """Rows that are drafts only (nothing stored yet): opening one resumes it."""

    # -- building --------------------------------------------------------------------------
    def _form_title(self, rubric_id: str) -> str:
        rubric = self.rubrics.get(rubric_id)
        return rubric.title.get(self.lang) if rubric else rubric_id

    def _columns(self) -> list[Column]:
        lang = self.lang
        form_w = min(18, max([cell_len(tr("history.col.form", lang))]
                             + [cell_len(self._form_title(r)) for r in self.rubrics]))
        status_w = max(cell_len(tr(f"status.{s}", lang)) for s in (*STATUSES, DAMAGED))
        status_w = max(status_w, cell_len(tr("history.due_now", lang)),
                       cell_len(tr("history.due_at", lang, time="00:00")),
                       cell_len(tr("history.col.status", lang)))
        return [
            Column("roc", tr("history.col.roc", lang), 9, hide_order=3),
            Column("at", tr("history.col.at", lang), 16),
            Column("form", tr("history.col.form", lang), form_w, hide_order=2),
            Column("agency", tr("history.col.agency", lang), 0, min_width=12),
            Column("unit", tr("history.col.unit", lang), 12),
            Column("tester", tr("history.col.tester", lang), 8, hide_order=1),
            Column("status", tr("history.col.status", lang), status_w),
            Column("score", tr("history.col.score", lang), 6, align="right"),
        ]

    def _cells(self, row: HistoryRow) -> list[str | Text]:
        if row.damaged:  # only its id (short, as lists write it; whole when opened) and why
            return ["", Text(printable(row.id[:8])), "", Text(row.reason), "", "",
                    status_text(row, self.lang), score_text(row)]
        return [row.roc, row.when, self._form_title(row.rubric), Text(row.agency),
                Text(row.unit), Text(row.tester), status_text(row, self.lang), score_text(row)]

    @staticmethod
    def _row_class(row: HistoryRow) -> str | None:
        if row.pending or row.damaged:
            return "highlight"
        if row.status == "draft":
            return "muted"
        return None

    def compose(self) -> ComposeResult:
        self.load()  # reading starts while the widgets are built
        lang = self.lang
        yield Label(tr("history.title", lang), id="history-title", classes="screen-title")
        # The filter boxes are mounted once the first rows are on screen (`_mount_filters`):
        # two Selects and three Inputs cost more to build and style than the rest together.
        yield Horizontal(id="history-filters")
        yield Label(tr("history.loading", lang), id="history-count", markup=False)
        yield LazyTable(self._columns(), self._cells, row_class=self._row_class,
                        empty=tr("history.empty", lang), id="history-table")
        yield KeysFooter()

    def _filter_boxes(self) -> list[Select[str] | Input]:
        lang = self.lang
        all_ = tr("all", lang)
        return [
            Select([(all_, "")] + [(r.title.get(lang), r.id) for r in self.rubrics.values()],
                   allow_blank=False, value="", id="filter-form", compact=True),
            Select([(all_, "")] + [(tr(f"status.{s}", lang), s) for s in (*STATUSES, DAMAGED)],
                   allow_blank=False, value="", id="filter-status", compact=True),
            Input(placeholder=tr("history.since", lang), id="filter-since", compact=True,
                  tooltip=tr("history.date_hint", lang)),
            Input(placeholder=tr("history.until", lang), id="filter-until", compact=True,
                  tooltip=tr("history.date_hint", lang)),
            Input(placeholder=tr("history.search", lang), id="filter-text", compact=True),
        ]

    def _mount_filters(self) -> AwaitMount | None:
        """Mount the filter boxes (once): after the first rows are painted, or when wanted."""
        if self._filters is not None:
            return None
        self._filters = self.query_one("#history-filters", Horizontal).mount_all(
            self._filter_boxes())
        return self._filters

    @property
    def table(self) -> LazyTable[HistoryRow]:
        return self.query_one("#history-table", LazyTable)

    def on_mount(self) -> None:
        self.table.focus()

    def on_screen_resume(self) -> None:
        if self._loaded:
            row = self.table.current
            self._keep_id = row.id if row else None
            self.load()

    # -- loading ----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="history-load")
    def load(self) -> None:
        """Read the row index and the drafts and build the rows, off the event loop."""
        index = self.store.rows()  # the row index: no document is read
        found = self.store.drafts()  # calls and forms in progress
        if not self._loaded and len(index) + len(found) > self.FIRST_PAGE:
            # The index comes mostly in time order: read from its end, the newest come
            # first and every older row is passed over after one comparison.
            newest = heapq.nlargest(self.FIRST_PAGE, reversed(index), key=_STORED_TIME)
            # A draft of a stored session is shown by its stored row (as in the full list),
            # even when that row is older than the first page.
            drafts = [_draft_row(d) for d in found if d.id not in self.store]
            self._draft_ids = {r.id for r in drafts}
            first = heapq.nlargest(self.FIRST_PAGE, [*newest, *drafts], key=_STORED_TIME)
            self.post_message(self.FirstRows(sort_rows([row_from_index(r) for r in first], "at",
                                                       descending=True)))
            # Let the first rows be painted before the rest competes for the interpreter.
            self._first_painted.wait(timeout=0.5)
        stored = {r.id for r in index} if found else set()
        drafts = [_draft_row(d) for d in found if d.id not in stored]  # not stored yet
        self._draft_ids = {r.id for r in drafts}
        history = History([*map(row_from_index, index), *map(row_from_index, drafts),
                           *(row_from_damaged(label, why) for label, why in self.store.damaged())])
        self.post_message(self.Loaded(history))

    @on(FirstRows)
    def _on_first_rows(self, message: FirstRows) -> None:
        if not self._loaded:
            self.table.set_rows(apply_filter(message.rows, self._filter()), cursor=0)
        self.call_after_refresh(self._first_painted.set)
        self.call_after_refresh(self._mount_filters)

    @on(Loaded)
    def _on_loaded(self, message: Loaded) -> None:
        history = message.history
        if (history.column, history.descending) != (self.history.column,
                                                    self.history.descending):
            history.sort(self.history.column, self.history.descending)
        history.set_filter(self._filter())
        self.history = history
        self._loaded = True
        self._show(keep=self._keep_id)
        self._keep_id = None
        self.call_after_refresh(self._mount_filters)

    def reload(self) -> None:
        """Read the store again (after a change made elsewhere), keeping the cursor's row."""
        row = self.table.current
        self._keep_id = row.id if row else None
        self.load()

    # -- showing ----------------------------------------------------------------------------
    def _show(self, keep: str | None = None) -> None:
        rows = self.history.rows
        cursor = 0
        if keep is not None:
            cursor = next((n for n, r in enumerate(rows) if r.id == keep), 0)
        arrow = "▼" if self.history.descending else "▲"
        self.table.set_header_marks({self._sort_key(): arrow})
        self.table.set_rows(rows, cursor=cursor)
        label = next(c.label for c in self.table.columns if c.key == self._sort_key())
        self.query_one("#history-count", Label).update(tr(
            "history.count", self.lang, shown=len(rows), total=self.history.total,
            column=label, arrow=arrow, pending=len(self.history.pending())))

    def _sort_key(self) -> str:
        """The table column showing the history's sort column ("at" sorts both dates)."""
        return self.history.column

    def _filter(self) -> HistoryFilter:
        if self._filters is None:  # the boxes are not there yet: nothing typed in them
            return HistoryFilter()
        form = self.query_one("#filter-form", Select).value
        status = self.query_one("#filter-status", Select).value
        dates: dict[str, dt.date | None] = {}
        self._bad_dates = set()
        for key in ("since", "until"):
            box = self.query_one(f"#filter-{key}", Input)
            text = box.value.strip()
            dates[key] = None
            box.set_class(False, "-bad-date")
            if text:
                try:
                    dates[key] = parse_day(text)
                except ValueError:
                    box.set_class(True, "-bad-date")
                    self._bad_dates.add(text)
        return HistoryFilter(form=form if isinstance(form, str) and form else None,
                             status=status if isinstance(status, str) and status else None,
                             since=dates["since"], until=dates["until"],
                             text=self.query_one("#filter-text", Input).value)

    def apply_filter(self) -> None:
        current = self.table.current
        self.history.set_filter(self._filter())
        self._show(keep=current.id if current else None)

    @on(Input.Changed, "#history-filters Input")
    @on(Select.Changed, "#history-filters Select")
    def _filter_changed(self) -> None:
        # A box just mounted says so too, with nothing changed: no need to filter again.
        if self._loaded and self._filter() != self.history.filter:
            self.apply_filter()

    @on(Input.Submitted, "#history-filters Input")
    def _filter_submitted(self) -> None:
        if self._bad_dates:
            self.notify(tr("history.bad_date", self.lang, text=", ".join(sorted(self._bad_dates))),
                        severity="warning", markup=False)
            return
        self.table.focus()

    # -- sorting ----------------------------------------------------------------------------
    def sort_by(self, column: str, descending: bool | None = None) -> None:
        if column == "roc":
            column = "at"
        self.history.sort(column, descending)
        self._show()  # a new order starts at its top: the cursor and the view go there

    @on(LazyTable.HeaderClicked, "#history-table")
    def _header_clicked(self, event: LazyTable.HeaderClicked) -> None:
        self.sort_by(event.column)

    def action_next_sort(self) -> None:
        n = COLUMNS.index(self.history.column)
        self.sort_by(COLUMNS[(n + 1) % len(COLUMNS)])

    def action_reverse(self) -> None:
        self.sort_by(self.history.column, not self.history.descending)

    # -- actions ----------------------------------------------------------------------------
    def action_back(self) -> None:
        """Esc in a filter box goes back to the table; in the table, leaves the history."""
        if isinstance(self.focused, Input | Select):
            self.table.focus()
            return
        self.app.pop_screen()

    async def action_focus_search(self) -> None:
        await self._filters_ready()
        self.query_one("#filter-text", Input).focus()

    async def _filters_ready(self) -> None:
        """Wait until the filter boxes are mounted (mounting them now if not yet begun)."""
        self._mount_filters()
        assert self._filters is not None
        await self._filters

    async def action_clear_filter(self) -> None:
        await self._filters_ready()
        with self.prevent(Input.Changed, Select.Changed):
            for box in self.query("#history-filters Input").results(Input):
                box.value = ""
            self.query_one("#filter-form", Select).value = ""
            self.query_one("#filter-status", Select).value = ""
        self.apply_filter()

    @on(LazyTable.RowChosen, "#history-table")
    def _chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        from .detail import DetailScreen

        row = self.table.current
        if row is None:
            return
        if row.damaged:
            self.open_damaged(row)
            return
        if row.id in self._draft_ids:
            self._resume(row.id)
            return
        self.app.push_screen(DetailScreen(row.id))

    @work(thread=True, group="history-resume", exit_on_error=False)
    def _resume(self, session_id: str) -> None:
        """A draft opens where it was left: back on the home screen, resumed from there.

        The drafts folder is read here, off the event loop."""
        draft = next((d for d in self.store.drafts() if d.id == session_id), None)
        self.app.call_from_thread(self._resume_draft, draft)

    def _resume_draft(self, draft: Session | None) -> None:
        from .home import HomeScreen

        home = next((s for s in self.app.screen_stack if isinstance(s, HomeScreen)), None)
        if draft is None or home is None or self not in self.app.screen_stack:
            self.notify(tr("history.draft_from_home", self.lang), markup=False)
            return
        while self.app.screen is not home:
            self.app.pop_screen()
        home.resume(draft)

    def action_delete(self) -> None:
        """Delete the row's session (a draft, a pending retest, a finished test), after asking."""
        from ..widgets.dialogs import ConfirmDialog

        row = self.table.current
        if row is None:
            return
        what = f"{self._form_title(row.rubric)}　{row.agency} {row.unit}　{row.when}　" \
               f"{status_text(row, self.lang)}"

        def done(yes: bool | None) -> None:
            if yes:
                self._delete(row.id, row.id in self._draft_ids)

        self.app.push_screen(ConfirmDialog(tr("delete.title", self.lang),
                                           tr("delete.body", self.lang, what=what),
                                           tr("delete.confirm", self.lang)), done)

    @work(thread=True, exclusive=True, group="history-delete", exit_on_error=False)
    def _delete(self, session_id: str, draft_only: bool) -> None:
        try:
            if draft_only:
                self.store.discard_draft(session_id)
            else:
                self.store.delete(session_id)  # its draft goes with it
        except CallcheckError as exc:
            self.app.call_from_thread(self.notify, tr("error", self.lang, message=exc),
                                      severity="error", markup=False)
            return
        self.app.call_from_thread(self.reload)

    def open_damaged(self, row: HistoryRow) -> None:
        """A damaged session shows its id and why; it can be deleted (confirmed) or left."""
        def done(yes: bool | None) -> None:
            if yes:
                self._delete_damaged(row.id)

        self.app.push_screen(ConfirmDialog(
            tr("history.damaged.title", self.lang),
            tr("history.damaged.body", self.lang, id=printable(row.id), reason=row.reason),
            tr("delete.confirm", self.lang)), done)

    @work(thread=True, group="history-delete", exit_on_error=False)
    def _delete_damaged(self, label: str) -> None:
        try:
            self.store.delete(label)
        except CallcheckError as exc:
            self.app.call_from_thread(
                self.notify, tr("error", self.lang, message=printable(exc)),
                severity="error", markup=False, timeout=15)
            return
        self.app.call_from_thread(self._damaged_deleted, label)

    def _damaged_deleted(self, label: str) -> None:
        current = self.table.current
        self.history.remove(label)
        self._show(keep=current.id if current and current.id != label else None)
        self.notify(tr("detail.deleted", self.lang, what=printable(label)), markup=False)

    def action_export(self) -> None:
        from .export import ExportScreen

        ids = [r.id for r in self.history.rows if not r.damaged]
        self.app.push_screen(ExportScreen(ids,
                                          self.history.filter))

    def action_summary(self) -> None:
        from .summary import SummaryScreen

        self.app.push_screen(SummaryScreen(list(self.history.rows)))
