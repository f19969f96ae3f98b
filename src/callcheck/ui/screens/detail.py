"""One stored session in full: header, context, timelines, items, revisions; edit and delete.

Every change to an answer, a note, a not-applicable reason or the header goes
through `session.revise` with a required reason (the audit trail keeps the old
value) and is saved in a worker; deleting asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label

from ...dates import iso, parse_datetime, roc_date, roc_datetime
from ...errors import CallcheckError, InputError
from ...i18n import Lang
from ...rubric import Item, Rubric
from ...session import Session, replay_attempt, revise, shown_problem
from ...store import StoreError
from ...text import printable
from ...words import WORDS, tr
from ..bindings import bind
from ..storage import WorkFailed
from ..widgets.answer_input import AnswerInput, CasesEditor
from ..widgets.dialogs import ConfirmDialog, ReviseDialog
from ..widgets.keys_footer import KeysFooter
from .base import CSS_DIR, CallcheckScreen
from .form import TESTER_SETTING, answer_text


def when_text(value: str, lang: Lang, with_time: bool = True) -> str:
    """ROC and ISO side by side: 民國 115 年 11 月 26 日 10 時 05 分（2026-11-26 10:05）."""
    try:
        local = parse_datetime(value)
    except ValueError:
        return value
    if with_time:
        return f"{roc_datetime(local, lang)}（{local.strftime('%Y-%m-%d %H:%M')}）"
    return f"{roc_date(local, lang)}（{local.date().isoformat()}）"


def value_text(value: Any, lang: Lang) -> str:
    if value is None or value == "":
        return tr("detail.empty_value", lang)
    if value is True:
        return tr("yes", lang)
    if value is False:
        return tr("no", lang)
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


class HeaderEditor(Vertical):
    """Every header field of the form, to correct any of them."""

    DEFAULT_CSS = """
    HeaderEditor {
        height: auto;
    }
    """

    def __init__(self, rubric: Rubric, session: Session, lang: Lang) -> None:
        super().__init__()
        self.rubric, self.session, self.lang = rubric, session, lang
        keys = [f.key for f in rubric.header]
        self.keys = keys + [k for k in ("question",) if rubric.uses_calls]

    def compose(self) -> ComposeResult:
        for key in self.keys:
            field = self.rubric.header_field(key)
            label = field.label.get(self.lang) if field else tr(f"detail.{key}", self.lang)
            yield Label(Text(label))
            yield Input(self.session.header.get(key, ""), id=f"edit-header-{key}", compact=True)

    def focus(self, scroll_visible: bool = True) -> HeaderEditor:
        self.query_one(Input).focus(scroll_visible)
        return self

    def changes(self) -> dict[str, Any] | None:
        """The header fields that differ from the session's ({"header.unit": "…"})."""
        out: dict[str, Any] = {}
        for key in self.keys:
            value = self.query_one(f"#edit-header-{key}", Input).value.strip()
            if value == self.session.header.get(key, ""):
                continue
            field = self.rubric.header_field(key)
            if field is not None and field.type in ("date", "datetime") and value:
                try:
                    value = iso(parse_datetime(value))
                except ValueError:
                    raise InputError(f"header.{key}", tr("form.case_bad_date", self.lang,
                                                         text=value)) from None
            out[f"header.{key}"] = value or None
        return out or None


class DetailScreen(CallcheckScreen[str | None]):
    """A stored session as evidence: dismisses with "deleted", "revised" or None."""

    CSS_PATH = CSS_DIR / "detail.tcss"
    NOTICES_BELOW = "detail-body"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back"), bind("change", "edit_answer"), bind("note", "edit_note"),
        bind("na", "not_applicable"), bind("header", "edit_header"), bind("delete"),
        bind("print", "print_form"), bind("timeline"), bind("revisions"),
        bind("page_down", "page(1)", show=False), bind("page_up", "page(-1)", show=False),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.session: Session | None = None
        self.tester = ""
        self._revised = False
        self._pending: Session | None = None

    @property
    def rubric(self) -> Rubric:
        assert self.session is not None
        return self.rubrics[self.session.rubric]

    def compose(self) -> ComposeResult:
        yield Label(tr("detail.title", self.lang), id="detail-title", classes="screen-title")
        with VerticalScroll(id="detail-body", can_focus=False):
            yield Label(tr("history.loading", self.lang))
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="detail-load", exit_on_error=False)
    def load(self) -> None:
        try:
            session = self.store.get(self.session_id)
            problem = shown_problem(session, dict(self.rubrics))
            if problem:
                raise StoreError(f"session {session.id} is damaged and cannot be shown: "
                                 f"{problem}")
            tester = str(self.store.get_setting(TESTER_SETTING, "") or "")
        except CallcheckError as exc:
            self.post_message(WorkFailed(exc))
            return
        self.call_later(self._loaded, session, tester)  # on the screen's own loop

    async def _loaded(self, session: Session, tester: str) -> None:
        self.session = session
        self.tester = tester or session.header.get("tester", "")
        await self.rebuild()

    # -- showing ----------------------------------------------------------------------------
    async def rebuild(self) -> None:
        body = self.query_one("#detail-body", VerticalScroll)
        cursor = 0
        old = self.query("#detail-items").results(DataTable)
        for table in old:
            cursor = table.cursor_row
        await body.remove_children()
        await body.mount_all(self._sections())
        items = self.query_one("#detail-items", DataTable)
        items.move_cursor(row=min(cursor, items.row_count - 1), scroll=False)
        items.focus(scroll_visible=False)
        self._show_item()

    def _line(self, label: str, value: str, classes: str = "field-line") -> Label:
        text = Text(f"{label}：", style="bold")
        text.append(printable(value, lines=True))  # stored text: escapes shown, not obeyed
        return Label(text, classes=classes)

    def _sections(self) -> list[Widget]:
        s = self.session
        assert s is not None
        lang, rubric = self.lang, self.rubric
        out: list[Widget] = []
        title = Text(rubric.title.get(lang), style="bold")
        total = s.total
        if total:
            score = "—" if total.get("score") is None else f"{total['score']:.1f}"
            title.append("　" + tr("detail.total", lang, points=total.get("points"),
                                   max=total.get("max"), score=score))
        else:
            title.append("　" + tr("detail.no_result", lang))
        out.append(Label(title, classes="total-line", id="detail-total"))
        out.append(Label(tr("detail.header", lang), classes="section-title"))
        for field in rubric.header:
            value = s.header.get(field.key, "")
            if field.type in ("date", "datetime") and value:
                value = when_text(value, lang, with_time=field.type == "datetime")
            out.append(self._line(field.label.get(lang), value))
        if s.header.get("question"):
            out.append(self._line(tr("detail.question", lang), s.header["question"]))
        status = tr(f"status.{s.status}", lang)
        if s.due_at:
            status += "　" + tr("due_at", lang, time=when_text(s.due_at, lang))
        out.append(self._line(tr("detail.status", lang), status))
        out.append(self._line(tr("detail.id", lang), s.id))
        out.append(Label(tr("detail.items", lang), classes="section-title"))
        out.append(self._items_table())
        out.append(Label("", id="item-detail", markup=False))
        if s.context is not None and rubric.uses_calls:
            out.append(Label(tr("detail.context", lang), classes="section-title"))
            ctx = s.context
            out.append(self._line(tr("detail.route", lang), tr(f"detail.route.{ctx.route}",
                                                                  lang)))
            if ctx.route == "switchboard":
                out.append(self._line(tr("detail.has_ivr", lang),
                                      tr("yes" if ctx.has_ivr else "no", lang)))
                out.append(self._line(tr("detail.has_operator", lang),
                                      tr("yes" if ctx.has_operator else "no", lang)))
            for n, attempt in enumerate(s.attempts, 1):
                out.append(Label(tr("detail.attempt", lang, n=n,
                                    when=when_text(attempt.started_at, lang)),
                                 classes="section-title"))
                out.append(self._marks_table(attempt, n))
        out.append(Label(tr("detail.revisions", lang), classes="section-title",
                         id="detail-revisions"))
        if not s.revisions:
            out.append(Label(tr("detail.no_revisions", lang)))
        for r in s.revisions:
            lines = [tr("detail.revision", lang, when=when_text(r.at, lang), by=r.by or "—",
                        reason=r.reason)]
            for c in r.changes:
                lines.append(tr("detail.change", lang, field=c.get("field", ""),
                                old=value_text(c.get("old"), lang),
                                new=value_text(c.get("new"), lang)))
            out.append(Label(printable("\n".join(lines), lines=True), classes="field-line",
                             markup=False))
        return out

    # -- moving about the evidence ------------------------------------------------------------
    def _bring_to_top(self, widget: Widget) -> None:
        body = self.query_one("#detail-body", VerticalScroll)
        body.scroll_to_widget(widget, top=True, animate=False)

    def action_timeline(self) -> None:
        """Show an attempt's timeline at the top; pressed again, the next attempt's."""
        tables = list(self.query(".marks-table"))
        if not tables:
            self.app.bell()
            return
        self._timeline_at = (getattr(self, "_timeline_at", -1) + 1) % len(tables)
        table = tables[self._timeline_at]
        title = table.parent.children[table.parent.children.index(table) - 1] \
            if table.parent is not None else table
        self._bring_to_top(title)

    def action_revisions(self) -> None:
        found = self.query("#detail-revisions")
        if found:
            self._bring_to_top(found.first())

    def action_page(self, step: int) -> None:
        body = self.query_one("#detail-body", VerticalScroll)
        if step > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)

    def _marks_table(self, attempt: Any, n: int) -> DataTable:
        lang = self.lang
        assert self.session is not None
        table: DataTable = DataTable(cursor_type="none", zebra_stripes=True,
                                     classes="marks-table", id=f"marks-{n}")
        table.can_focus = False
        table.add_columns(tr("detail.mark.t", lang), tr("detail.mark.clock", lang),
                          tr("detail.mark.phase", lang), tr("detail.mark.what", lang))
        try:
            effective = {id(m) for m in replay_attempt(self.rubric, self.session,
                                                       attempt).effective}
        except ValueError:
            effective = {id(m) for m in attempt.marks}
        start = attempt.start
        for m in attempt.marks:
            phase = self.rubric.phase(m.phase)
            what = tr(f"mark.{m.kind}", lang) if f"mark.{m.kind}" in WORDS else m.kind
            if m.value is not None:
                what += f" {m.value:g} " + tr("live.seconds", lang)
            style = "" if id(m) in effective or m.kind == "undo" else "dim strike"
            clock = start.add(microseconds=int(m.t * 1_000_000)).strftime("%H:%M:%S")
            table.add_row(Text(f"{m.t:7.1f}", style=style), Text(clock, style=style),
                          Text(phase.label.get(lang) if phase else m.phase, style=style),
                          Text(what, style=style))
        if not attempt.marks:
            table.add_row(Text(tr("detail.no_marks", lang)), "", "", "")
        return table

    def _items_table(self) -> DataTable:
        lang = self.lang
        s = self.session
        assert s is not None
        table: DataTable = DataTable(cursor_type="row", zebra_stripes=True, id="detail-items")
        table.add_column(tr("detail.item.id", lang), key="id")
        table.add_column(tr("detail.item.label", lang), key="label", width=30)
        table.add_column(tr("detail.item.points", lang), key="points")
        table.add_column(tr("detail.item.reason", lang), key="reason", width=28)
        table.add_column(tr("detail.item.note", lang), key="note", width=24)
        items = (s.result or {}).get("items", {})
        for item in self.rubric.items:
            r = items.get(item.id, {})
            if r.get("status") == "na":
                points = tr("detail.item_status.na", lang)
            elif r:
                points = f"{r.get('points')} / {r.get('max')}"
            else:
                points = answer_text(item, s.answers.get(item.id), lang)
            reason = r.get("note_en" if lang == "en" else "note", "") or ""
            if item.id in s.na:
                reason = s.na[item.id]
            style = "bold" if r.get("status") == "scored" and r.get("points") != r.get("max") \
                else ""
            table.add_row(Text(item.id), Text(item.label.get(lang)), Text(points, style=style),
                          Text(printable(reason)), Text(printable(s.notes.get(item.id, ""))),
                          key=item.id)
        return table

    def _current_item(self) -> Item | None:
        tables = list(self.query("#detail-items").results(DataTable))
        if not tables or self.session is None:
            return None
        table = tables[0]
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rubric.item(str(key)) if key else None

    @on(DataTable.RowHighlighted, "#detail-items")
    def _show_item(self) -> None:
        item = self._current_item()
        s = self.session
        if item is None or s is None:
            return
        lang = self.lang
        r = (s.result or {}).get("items", {}).get(item.id, {})
        lines = [f"{item.id}　{item.label.get(lang)}（{item.points}）"]
        if item.answered:
            lines.append(f"{tr('detail.item.answer', lang)}："
                         f"{answer_text(item, s.answers.get(item.id), lang)}")
        if r:
            status = tr(f"detail.item_status.{r.get('status')}", lang)
            points = "—" if r.get("points") is None else f"{r.get('points')} / {r.get('max')}"
            lines.append(f"{tr('detail.item.points', lang)}：{points}（{status}）")
            lines.append(f"{tr('detail.item.reason', lang)}："
                         f"{r.get('note_en' if lang == 'en' else 'note', '')}")
        if item.id in s.na:
            lines.append(tr("form.na", lang, reason=s.na[item.id]))
        if s.notes.get(item.id):
            lines.append(tr("form.note", lang, note=s.notes[item.id]))
        self.query_one("#item-detail", Label).update(printable("\n".join(lines), lines=True))

    # -- editing ----------------------------------------------------------------------------
    def _check(self, make_changes: Callable[[Any], dict[str, Any] | None]) -> Any:
        """A ReviseDialog check: run `revise` (pure) and keep the result, or say why not."""
        def check(value: Any, reason: str, by: str) -> str | None:
            assert self.session is not None
            try:
                changes = make_changes(value)
                if not changes:
                    raise InputError("changes", tr("revise.value", self.lang))
                self._pending = revise(self.rubric, self.session, changes, reason, by)
            except InputError as exc:
                return str(exc)
            return None
        return check

    def _ask(self, what: str, editor: Widget, read: Callable[[], Any],
             make_changes: Callable[[Any], dict[str, Any] | None],
             allow_empty: bool = False) -> None:
        def done(result: tuple[Any, str, str] | None) -> None:
            if result is not None and self._pending is not None:
                self._save(self._pending)
            self._pending = None

        self._pending = None
        self.app.push_screen(ReviseDialog(what, editor, read, by=self.tester,
                                          allow_empty=allow_empty,
                                          check=self._check(make_changes)), done)

    def action_edit_answer(self) -> None:
        item = self._current_item()
        if item is None or self.session is None:
            return
        if not item.answered:
            self.notify(tr("detail.not_editable", self.lang), severity="warning", markup=False)
            return
        current = self.session.answers.get(item.id)
        editor: Widget
        if item.kind == "band" and item.measure == "days":
            cases = CasesEditor(item, self.lang, current if isinstance(current, dict) else None)
            editor, read = cases, (lambda: cases.answer)
        else:
            pick = AnswerInput(item, self.lang, current)
            editor, read = pick, (lambda: pick.answer)

        def changes(value: Any) -> dict[str, Any]:
            out: dict[str, Any] = {f"answers.{item.id}": value}
            if item.id in (self.session.na if self.session else {}):
                out[f"na.{item.id}"] = None
            return out

        self._ask(f"{item.id} {item.label.get(self.lang)}", editor, read, changes)

    def action_edit_note(self) -> None:
        item = self._current_item()
        if item is None or self.session is None:
            return
        box = Input(self.session.notes.get(item.id, ""), id="edit-note")
        self._ask(f"{item.id} {tr('detail.item.note', self.lang)}", box,
                  lambda: box.value.strip(),
                  lambda v: {f"notes.{item.id}": v or None}, allow_empty=True)

    def action_not_applicable(self) -> None:
        item = self._current_item()
        if item is None or self.session is None:
            return
        box = Input(self.session.na.get(item.id, ""), id="edit-na",
                    placeholder=tr("revise.na_reason", self.lang))

        def changes(value: str) -> dict[str, Any] | None:
            assert self.session is not None
            if not value:
                return {f"na.{item.id}": None} if item.id in self.session.na else None
            out: dict[str, Any] = {f"na.{item.id}": value}
            if item.id in self.session.answers:
                out[f"answers.{item.id}"] = None
            return out

        self._ask(f"{item.id} {tr('key.na', self.lang)}", box, lambda: box.value.strip(),
                  changes, allow_empty=True)

    def action_edit_header(self) -> None:
        if self.session is None:
            return
        editor = HeaderEditor(self.rubric, self.session, self.lang)

        def read() -> Any:
            try:
                return editor.changes()
            except InputError as exc:
                return exc

        def changes(value: Any) -> dict[str, Any] | None:
            if isinstance(value, InputError):
                raise value
            return value

        self._ask(tr("detail.header", self.lang), editor, read, changes, allow_empty=True)

    def action_print_form(self) -> None:
        """Write this session's form (the appendix's layout) as HTML; a notice says where."""
        if self.session is None:
            return
        from ..print_form import print_form

        print_form(self.app, self.rubrics, self.session, self.lang)

    def action_delete(self) -> None:
        s = self.session
        if s is None:
            return
        what = printable(f"{self.rubric.title.get(self.lang)}　{s.header.get('agency', '')} "
                         f"{s.header.get('unit', '')}　{when_text(s.at, self.lang)}")

        def done(yes: bool | None) -> None:
            if yes:
                self._delete(s.id)

        self.app.push_screen(ConfirmDialog(tr("delete.title", self.lang),
                                           tr("delete.body", self.lang, what=what),
                                           tr("delete.confirm", self.lang)), done)

    # -- storing ----------------------------------------------------------------------------
    def _save(self, session: Session) -> None:
        self._store(lambda: self.store.save(session), session)

    def _delete(self, session_id: str) -> None:
        self._store(lambda: self.store.delete(session_id), None)

    @work(thread=True, exclusive=True, group="detail-save", exit_on_error=False)
    def _store(self, change: Callable[[], object], revised: Session | None) -> None:
        """Make the change in the store (a worker thread), then show it or why it failed."""
        try:
            change()
        except CallcheckError as exc:
            self.post_message(WorkFailed(exc))
            return
        self.call_later(self._saved, revised)

    async def _saved(self, revised: Session | None) -> None:
        """The revision reached the store (`revised`), or the deletion did (None)."""
        what = self._what()
        if revised is None:
            self.notify(tr("detail.deleted", self.lang, what=what), markup=False)
            self.dismiss("deleted")
            return
        self.session = revised
        self._revised = True
        self.notify(tr("detail.revised", self.lang, what=what), markup=False)
        await self.rebuild()

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self.notify(tr("error", self.lang, message=printable(message.error)), severity="error",
                    markup=False, timeout=15)

    def _what(self) -> str:
        s = self.session
        if s is None:
            return self.session_id
        return printable(f"{s.header.get('agency', '')} {s.header.get('unit', '')}".strip())

    def action_back(self) -> None:
        self.dismiss("revised" if self._revised else None)

