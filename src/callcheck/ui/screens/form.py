"""One generic form screen for the forms scored without a call (registration, petition).

Everything on it comes from the rubric file: the header fields, the groups and
their items, each item's kind. A yes/no item is answered with one key (y / n);
any item takes a note (m) or is marked not applicable with a reason (x); a
reply-speed item (`measure = "days"`) takes sampled cases and shows the days,
the band and the points allowed as they are typed. The running total comes
from the scoring engine. Finishing stores the session like a telephone one.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Select

from ...dates import iso, now, parse_datetime
from ...errors import InputError
from ...history import parse_day
from ...i18n import Lang
from ...rubric import HeaderField, Item
from ...session import Session, finish, score_session
from ...words import tr
from ..bindings import bind, localize
from ..storage import WorkFailed
from ..widgets.answer_input import AnswerInput, CasesEditor, answer_choices
from ..widgets.keys_footer import KeysFooter
from .base import CSS_DIR, CallcheckScreen

TESTER_SETTING = "tester"
"""The setting remembering the last tester's name."""


def answer_text(item: Item, answer: Any, lang: Lang) -> str:
    """How an answer reads on the form: 是（10）, the option's label, 13 分."""
    if answer is None:
        return tr("form.unanswered", lang)
    for label, value in answer_choices(item, lang):
        if value == answer:
            return label
    if isinstance(answer, dict) and "points" in answer:
        return tr("form.points_given", lang, points=answer["points"])
    return str(answer)


class ItemRow(Vertical, can_focus=True):
    """One item of the form: its wording, answer, note and not-applicable reason."""

    DEFAULT_CSS = """
    ItemRow {
        height: auto;
        padding: 0 1;
        margin-bottom: 1;
        border-left: outer $panel;
    }
    ItemRow:focus, ItemRow:focus-within {
        border-left: outer $primary;
        background: $boost;
    }
    ItemRow .item-label {
        width: 1fr;
    }
    ItemRow .item-state {
        color: $text-muted;
    }
    ItemRow.-yes .item-state {
        color: $text-success;
        text-style: bold;
    }
    ItemRow.-no .item-state {
        color: $text-error;
        text-style: bold;
    }
    ItemRow.-na .item-state {
        color: $text-warning;
    }
    ItemRow .item-note {
        color: $text-secondary;
        display: none;
    }
    ItemRow.-has-note .item-note {
        display: block;
    }
    ItemRow.-na CasesEditor, ItemRow.-na AnswerInput {
        display: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("yes", "answer(True)"), bind("no", "answer(False)"), bind("note"),
        bind("na", "not_applicable"), bind("clear_answer", "clear"),
        bind("item_up", "move(-1)", show=False), bind("item_down", "move(1)", show=False),
    ]

    @dataclass(eq=False)
    class Changed(Message):
        """The tester changed this item's answer, note or not-applicable reason."""

        row: ItemRow

    def __init__(self, item: Item, lang: Lang, answer: Any = None, note: str = "",
                 na: str | None = None) -> None:
        super().__init__(id=f"item-{item.id.replace('.', '_')}")
        self.item = item
        self.lang: Lang = lang
        self.answer: Any = answer
        self.note = note
        self.na = na
        localize(self, lang)

    def compose(self) -> ComposeResult:
        item = self.item
        yield Label(Text(f"{item.id}　{item.label.get(self.lang)}（{item.points}）"),
                    classes="item-label")
        yield Label("", classes="item-state", markup=False)
        yield Label("", classes="item-note", markup=False)
        if item.kind == "band" and item.measure == "days":
            yield CasesEditor(item, self.lang, self.answer if isinstance(self.answer, dict)
                              else None)
        elif item.kind != "yesno":
            yield AnswerInput(item, self.lang, self.answer, compact=True)

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        lang = self.lang
        if self.na is not None:
            state = tr("form.na", lang, reason=self.na)
        else:
            state = answer_text(self.item, self.answer, lang)
        self.query_one(".item-state", Label).update(state)
        self.query_one(".item-note", Label).update(tr("form.note", lang, note=self.note))
        self.set_class(self.note != "", "-has-note")
        self.set_class(self.na is not None, "-na")
        self.set_class(self.na is None and self.answer is True, "-yes")
        self.set_class(self.na is None and self.answer is False, "-no")

    def _changed(self) -> None:
        self._show()
        self.post_message(self.Changed(self))

    def action_answer(self, value: bool) -> None:
        if self.item.kind != "yesno":
            return
        self.answer = value
        self.na = None
        self._changed()
        self.action_move(1)

    def action_clear(self) -> None:
        if self.item.kind == "yesno":
            self.answer = None
        self.na = None
        self._changed()

    def action_move(self, step: int) -> None:
        rows = list(self.screen.query(ItemRow))
        n = rows.index(self)
        target = rows[max(0, min(len(rows) - 1, n + step))]
        target.focus()
        target.scroll_visible()

    def action_note(self) -> None:
        from ..widgets.dialogs import TextPrompt

        def done(text: str | None) -> None:
            if text is not None:
                self.note = text
                self._changed()

        self.app.push_screen(TextPrompt(tr("form.note_prompt", self.lang, item=self.item.id),
                                        self.note), done)

    def action_not_applicable(self) -> None:
        from ..widgets.dialogs import TextPrompt

        def done(text: str | None) -> None:
            if text is None:
                return
            self.na = text or None
            self._changed()

        self.app.push_screen(TextPrompt(tr("form.na_prompt", self.lang, item=self.item.id),
                                        self.na or ""), done)

    @on(CasesEditor.Changed)
    def _cases(self, event: CasesEditor.Changed) -> None:
        event.stop()
        self.answer = event.answer
        self._changed()

    @on(Select.Changed)
    def _picked(self, event: Select.Changed) -> None:
        if isinstance(event.select, AnswerInput):
            event.stop()
            self.answer = event.select.answer
            self._changed()


class FormScreen(CallcheckScreen[Session | None]):
    """A registration or petition assessment, filled in from its rubric file."""

    CSS_PATH = CSS_DIR / "form.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("finish", "save", priority=True), bind("back"),
        bind("discard", priority=True),
    ]

    def __init__(self, rubric_id: str, draft: Session | None = None) -> None:
        super().__init__()
        self.rubric = self.rubrics[rubric_id]
        if self.rubric.uses_calls:
            raise ValueError(f"{rubric_id} is scored from a call: use the live screen")
        self.session = draft or Session.new(self.rubric)
        self._saving = False
        self._drafted = draft is not None
        """A draft of this form is in the store (kept on every change, as a call's is)."""
        self._blank: dict[str, str] = {}
        """The header as the empty form shows it: typing only these is not worth a draft."""

    # -- building ---------------------------------------------------------------------------
    def _header_value(self, field: HeaderField) -> str:
        value = self.session.header.get(field.key, "")
        if field.type in ("date", "datetime") and value:
            try:
                local = parse_datetime(value)
            except ValueError:  # a draft keeps a date as it was typed, even a wrong one
                return value
            return local.date().isoformat() if field.type == "date" else \
                local.strftime("%Y-%m-%d %H:%M")
        if field.type == "date":
            return now().date().isoformat()
        if field.type == "datetime":
            return now().strftime("%Y-%m-%d %H:%M")
        return value

    def compose(self) -> ComposeResult:
        lang = self.lang
        rubric = self.rubric
        yield Label(Text(tr("form.title", lang, form=rubric.title.get(lang))),
                    classes="screen-title")
        with Horizontal(id="form-header"):
            for field in rubric.header:
                with Vertical(classes="header-field"):
                    mark = " *" if field.required else ""
                    yield Label(Text(field.label.get(lang) + mark))
                    yield Input(self._header_value(field), id=f"header-{field.key}",
                                compact=True)
        with VerticalScroll(id="form-items", can_focus=False):
            groups = {g.id: g for g in rubric.groups}
            shown: set[str] = set()
            for item in rubric.items:
                if not item.answered:
                    continue
                group_id = item.id.rpartition(".")[0]
                if group_id in groups and group_id not in shown:
                    shown.add(group_id)
                    g = groups[group_id]
                    yield Label(Text(f"{g.id}　{g.label.get(lang)}（{g.points}）"),
                                classes="group-title")
                yield ItemRow(item, lang, self.session.answers.get(item.id),
                              self.session.notes.get(item.id, ""), self.session.na.get(item.id))
        yield Label("", id="form-total", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        tester = self.query_one("#header-tester", Input) if self.rubric.header_field(
            "tester") else None
        if tester is not None and not tester.value:
            tester.value = str(self.store.get_setting(TESTER_SETTING, "") or "")
        first = self.query_one(ItemRow)
        agency = self.query("#header-agency").results(Input)
        box = next(iter(agency), None)
        (box if box is not None and not box.value else first).focus()
        self._update_total()
        self._blank = {} if self._drafted else self._typed_header()

    def _typed_header(self) -> dict[str, str]:
        """The header as typed (dates converted when they can be), for the draft."""
        header: dict[str, str] = {}
        for field in self.rubric.header:
            text = self.query_one(f"#header-{field.key}", Input).value.strip()
            if text and field.type in ("date", "datetime"):
                with contextlib.suppress(ValueError):
                    text = iso(parse_datetime(parse_day(text).isoformat())
                               if field.type == "date" else
                               parse_datetime(text.replace(" ", "T")))
            if text:
                header[field.key] = text
        return header

    def _keep_draft(self) -> None:
        """Save the form as it stands as a draft: quitting mid-form loses nothing."""
        if self._saving or not self.is_mounted:
            return
        self._collect()
        s = self.session
        header = self._typed_header()
        if not (self._drafted or s.answers or s.notes or s.na or header != self._blank):
            return
        s.header = header
        s.status = "draft"
        self._drafted = True
        self.cc.save_draft(s)

    @on(Input.Changed, "#form-header Input")
    def _header_changed(self) -> None:
        self._keep_draft()

    # -- state ------------------------------------------------------------------------------
    def _collect(self) -> None:
        """Copy what is on screen into the session."""
        s = self.session
        for row in self.query(ItemRow):
            item_id = row.item.id
            for target, value in ((s.answers, row.answer if row.na is None else None),
                                  (s.notes, row.note or None), (s.na, row.na)):
                if value is None:
                    target.pop(item_id, None)
                else:
                    target[item_id] = value

    def _header(self) -> tuple[dict[str, str], str | None]:
        """The header fields typed, and the first problem with them (or None)."""
        header: dict[str, str] = {}
        for field in self.rubric.header:
            text = self.query_one(f"#header-{field.key}", Input).value.strip()
            label = field.label.get(self.lang)
            if not text:
                if field.required:
                    return header, tr("form.header_missing", self.lang, label=label)
                continue
            if field.type in ("date", "datetime"):
                try:
                    if field.type == "date":
                        day = parse_day(text)
                        text = iso(parse_datetime(day.isoformat()))
                    else:
                        text = iso(parse_datetime(text.replace(" ", "T")))
                except ValueError:
                    return header, f"{label}：" + tr("form.case_bad_date", self.lang, text=text)
            header[field.key] = text
        return header, None

    def _update_total(self) -> str | None:
        """Score what is there; returns the first thing missing, or None when complete."""
        self._collect()
        total = self.query_one("#form-total", Label)
        missing = [row.item.id for row in self.query(ItemRow)
                   if row.na is None and row.answer is None]
        try:
            result = score_session(self.rubric, self.session)
        except InputError as exc:
            problem = exc.message if not missing else ", ".join(missing)
            total.update(tr("form.missing", self.lang, message=problem))
            total.add_class("-incomplete")
            return problem
        t = result.total
        total.update(tr("form.total", self.lang, points=t.points, max=t.max,
                        score="—" if t.score is None else f"{t.score:.1f}"))
        total.remove_class("-incomplete")
        return None

    @on(ItemRow.Changed)
    def _item_changed(self) -> None:
        self._update_total()
        self._keep_draft()

    # -- saving -----------------------------------------------------------------------------
    def action_save(self) -> None:
        if self._saving:
            return
        header, problem = self._header()
        if problem is None:
            problem = self._update_total()
        if problem is not None:
            self.notify(problem, severity="warning", markup=False)
            return
        self.session.header = header
        try:
            finish(self.rubric, self.session)
        except InputError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.session.created_at = iso(now())
        self._saving = True
        self._store_session(Session.from_doc(self.session.to_doc()))

    @work(thread=True, exclusive=True, group="form-save", exit_on_error=False)
    def _store_session(self, session: Session) -> None:
        try:
            self.store.commit(session)
            if session.header.get("tester"):
                self.store.set_setting(TESTER_SETTING, session.header["tester"])
        except Exception as exc:  # shown to the tester; the form stays as it was
            self.post_message(WorkFailed(exc))
            return
        self.call_later(self._saved, session)  # on the screen's own loop

    def _saved(self, s: Session) -> None:
        """The finished session is in the store."""
        total = s.total or {}
        what = f"{self.rubric.title.get(self.lang)} {s.header.get('agency', '')} " \
               f"{total.get('score')}"
        self.notify(tr("saved", self.lang, what=what), markup=False)
        self.dismiss(s)

    @on(WorkFailed)
    def _save_failed(self, message: WorkFailed) -> None:
        self._saving = False
        self.session.status = "draft"
        self.notify(tr("error", self.lang, message=message.error), severity="error",
                    markup=False, timeout=15)

    def action_back(self) -> None:
        """Leave the form: what was entered stays as a draft, resumed from the home screen."""
        self._keep_draft()
        if self._drafted:
            self.notify(tr("form.kept", self.lang), markup=False)
        self.dismiss(None)

    def action_discard(self) -> None:
        """Throw the form away, after asking: its draft goes, nothing else changes."""
        from ..widgets.dialogs import ConfirmDialog

        def done(yes: bool | None) -> None:
            if yes:
                if self._drafted:
                    self.cc.discard_draft(self.session.id)
                self._drafted = False
                self._saving = True  # nothing more is kept
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog(tr("form.discard_title", self.lang),
                                           tr("form.discard_body", self.lang),
                                           tr("form.discard", self.lang)), done)
