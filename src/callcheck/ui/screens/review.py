"""Review: every item with its points, the engine's reason and the tester's note; finish."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Label, Static

from ...answers import adjust, clear_na, cycle, describe_answer, set_na, set_note
from ...errors import InputError
from ...i18n import Msg
from ...live import LiveCall
from ...preview import Preview, drop_unreached, preview
from ...scoring import ItemResult
from ...session import finish, revise, ring_disagreements
from ...timing import fmt_tenths
from ...words import tr
from ..bindings import bind
from ..widgets.call_header import CallHeader
from ..widgets.keys_footer import KeysFooter
from ..widgets.phase_strip import PhaseStrip
from .base import CSS_DIR, CallcheckScreen, ChangesAnswers

COLUMNS = ("id", "label", "answer", "points", "reason", "note")
SHARES = {"label": 34, "answer": 24, "reason": 26, "note": 16}
"""How the flexible columns share the width left after id and points (in percent)."""


class ReviewScreen(ChangesAnswers, CallcheckScreen):
    """Fix any answer, note any item, mark one not applicable (with a reason), finish."""

    CSS_PATH = [CSS_DIR / "call.tcss", CSS_DIR / "review.tcss"]

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("change"), bind("more", "adjust(1)"), bind("less", "adjust(-1)"), bind("note"),
        bind("na", "not_applicable"), bind("na_part", "part_not_applicable", show=False),
        bind("rings", "correct_rings", show=False), bind("finish"),
        bind("finish_print", "finish(True)", show=False), bind("back"),
    ]

    def __init__(self, call: LiveCall) -> None:
        super().__init__()
        self.call = call
        self.rubric = call.rubric
        self.session = call.session
        self.scores: Preview = preview(self.rubric, self.session)
        self.disagree = ring_disagreements(self.rubric, self.session)

    def compose(self) -> ComposeResult:
        yield CallHeader(id="call-header")
        yield PhaseStrip(id="phase-strip")
        yield DataTable(id="items", cursor_type="row", zebra_stripes=True)
        yield Static(id="review-detail")
        yield Label("", id="review-total", markup=False)
        yield Label("", id="review-missing", markup=False)
        yield Label("", id="review-status", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(CallHeader).show(self.session, self.lang, self.call.attempt_number)
        self.query_one(PhaseStrip).show(self.call, self.lang)
        self.query_one(DataTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        self.rebuild(columns=True)

    @property
    def current_item(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    # -- the table -----------------------------------------------------------------------------
    def rebuild(self, columns: bool = False) -> None:
        """Score again and redraw every row, keeping the cursor where it was."""
        lang = self.lang
        self.scores = preview(self.rubric, self.session)
        self.disagree = ring_disagreements(self.rubric, self.session)
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=columns)
        if columns or not table.columns:
            fixed = {"id": 6, "points": 7}
            spare = max(40, self.size.width - sum(fixed.values()) - 2 * len(COLUMNS) - 3)
            for key in COLUMNS:
                width = fixed.get(key) or spare * SHARES[key] // 100
                table.add_column(tr(f"review.col.{key}", lang), key=key, width=width)
        result = self.scores.result
        for item in self.rubric.items:
            r = result.items.get(item.id) if result is not None else None
            table.add_row(*self._cells(item.id, r), key=item.id)
        if row >= 0:
            table.move_cursor(row=min(row, table.row_count - 1))
        self._totals()
        self.show_detail()

    def _cells(self, item_id: str, r: ItemResult | None) -> list[Text]:
        lang = self.lang
        item = self.rubric.item(item_id)
        answer = describe_answer(item, self.session.answers.get(item_id), lang)
        points = reason = ""
        style = ""
        if item_id in self.scores.missing:
            answer, style = tr("review.missing_answer", lang), "bold yellow"
        elif r is not None:
            reason = r.note.get(lang)
            if r.status == "na":
                answer = tr("review.na_label", lang) + (self.session.na.get(item_id) or reason)
                style = "dim"
                reason = "" if item_id in self.session.na else reason
            else:
                points = f"{r.points}/{r.max}"
                if item.phase in self.disagree and item.kind == "timed":
                    style = "bold yellow"
                if r.status == "rule":
                    answer = tr("review.rule", lang)
                elif r.status == "unreached":
                    style = "red"
                elif not item.answered:
                    answer = ""
        flag = "⚠ " if item.phase in self.disagree and item.kind == "timed" else ""
        return [Text(item.id), Text(item.label.get(lang), overflow="ellipsis", no_wrap=True),
                Text(answer, style=style, overflow="ellipsis", no_wrap=True),
                Text(points, justify="right", style=style),
                Text(flag + reason, style=style, overflow="ellipsis", no_wrap=True),
                Text(self.session.notes.get(item_id, ""), overflow="ellipsis", no_wrap=True)]

    def _totals(self) -> None:
        lang = self.lang
        result = self.scores.result
        total = ""
        if result is not None and self.scores.missing:
            total = tr("review.total_so_far", lang, points=result.total.points,
                       max=result.total.max, n=len(self.scores.missing))
        elif result is not None:
            score = "—" if result.total.score is None else f"{result.total.score:.1f}"
            total = tr("review.total", lang, points=result.total.points, max=result.total.max,
                       score=score)
        self.query_one("#review-total", Label).update(total)
        lines = []
        if self.scores.missing:
            lines.append(tr("review.missing", lang, n=len(self.scores.missing),
                            ids=", ".join(self.scores.missing)))
        if self.scores.dropped:
            lines.append(tr("review.dropped", lang, ids=", ".join(self.scores.dropped)))
        if self.scores.error is not None:
            lines.append(str(self.scores.error))
        if not lines:
            lines.append(tr("review.complete", lang))
        missing = self.query_one("#review-missing", Label)
        missing.update("\n".join(lines))
        missing.set_class(not self.scores.complete, "-incomplete")

    # -- changing answers ----------------------------------------------------------------------
    def _answerable(self, item_id: str) -> bool:
        item = self.rubric.item(item_id)
        if not item.answered:
            self.refuse(Msg(tr("review.measured", "zh", id=item_id),
                            tr("review.measured", "en", id=item_id)))
            return False
        if self.call.scored_by_rule(item_id):
            self.refuse(Msg(tr("review.by_rule", "zh", id=item_id),
                            tr("review.by_rule", "en", id=item_id)))
            return False
        return True

    def changed(self) -> None:
        self.cc.save_draft(self.session)
        self.status("")
        self.rebuild()

    @on(DataTable.RowHighlighted, "#items")
    def _row_highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        """The highlighted item in full: the form's words, the answer, the reason, the note."""
        item_id = self.current_item
        detail = self.query_one("#review-detail", Static)
        if item_id is None:
            detail.update("")
            return
        lang = self.lang
        item = self.rubric.item(item_id)
        text = Text(f"{item.id} ", style="bold") + Text(item.label.get(lang))
        row = self.query_one(DataTable).get_row(item_id)
        for cell, style in ((row[2], "bold"), (row[4], "dim")):
            if cell.plain:
                text.append("\n→ " if style == "bold" else "\n", style=style)
                text.append_text(cell)
        count = self.disagree.get(item.phase or "") if item.kind == "timed" else None
        if count is not None:
            tenths = self._phase_tenths(item.phase or "")
            text.append("\n" + tr("review.rings_disagree", lang, marked=count.marked,
                                   implied=count.implied, seconds=tenths), style="bold yellow")
        if self.session.notes.get(item_id):
            text.append("\n" + tr("live.note", lang), style="dim")
            text.append(self.session.notes[item_id])
        detail.update(text)

    def _phase_tenths(self, phase: str) -> str:
        ph = self.call.state.get(phase)
        tenths = ph.elapsed_tenths(0.0) if ph is not None else None
        return fmt_tenths(tenths) if tenths is not None else "—"

    def action_correct_rings(self) -> None:
        """A tester sure of the rings marked corrects them: a revision with a reason."""
        item_id = self.current_item
        if item_id is None:
            return
        item = self.rubric.item(item_id)
        count = self.disagree.get(item.phase or "") if item.kind == "timed" else None
        if count is None or item.phase is None:
            self.refuse(Msg(tr("review.rings_none", "zh", id=item_id),
                            tr("review.rings_none", "en", id=item_id)))
            return
        phase = item.phase
        from ..widgets.dialogs import TextPrompt

        def got_reason(rings: int, reason: str | None) -> None:
            if reason is None:
                return
            try:
                revised = revise(self.rubric, self.session, {f"rings.{phase}": rings}, reason,
                                 self.session.header.get("tester", ""))
            except InputError as exc:
                self.refuse(Msg(str(exc), str(exc)))
                return
            self.call.session = self.session = revised
            self.notify(tr("review.rings_done", self.lang, rings=rings), markup=False)
            self.changed()

        def got_rings(text: str | None) -> None:
            if text is None:
                return
            if not text.strip().isdigit() or int(text) < 1:
                self.refuse(Msg(tr("review.rings_bad", "zh"), tr("review.rings_bad", "en")))
                return
            rings = int(text)
            self.app.push_screen(TextPrompt(tr("review.rings_reason", self.lang, rings=rings),
                                            "", required=True),
                                 lambda reason: got_reason(rings, reason))

        self.app.push_screen(TextPrompt(
            tr("review.rings_prompt", self.lang,
               phase=self.call.phase_label(phase).get(self.lang), marked=count.marked,
               implied=count.implied), str(count.marked), required=True), got_rings)

    @on(DataTable.RowSelected, "#items")
    def _row_chosen(self) -> None:
        self.action_change()

    def action_change(self) -> None:
        item_id = self.current_item
        if item_id is not None and self._answerable(item_id):
            self._apply(lambda: cycle(self.rubric, self.session, item_id))

    def action_adjust(self, delta: int) -> None:
        item_id = self.current_item
        if item_id is not None and self._answerable(item_id):
            self._apply(lambda: adjust(self.rubric, self.session, item_id, delta))

    def action_note(self) -> None:
        item_id = self.current_item
        if item_id is None:
            return
        from ..widgets.dialogs import TextPrompt

        item = self.rubric.item(item_id)

        def done(text: str | None) -> None:
            if text is not None:
                set_note(self.session, item_id, text)
                self.changed()

        self.app.push_screen(TextPrompt(
            tr("review.note_prompt", self.lang, id=f"{item.id} {item.label.get(self.lang)}"),
            self.session.notes.get(item_id, "")), done)

    def action_not_applicable(self) -> None:
        """Mark the item not applicable, with a required reason; again to undo it."""
        item_id = self.current_item
        if item_id is None:
            return
        if self.call.scored_by_rule(item_id):
            self.refuse(Msg(tr("review.by_rule", "zh", id=item_id),
                            tr("review.by_rule", "en", id=item_id)))
            return
        if item_id in self.session.na:
            clear_na(self.session, item_id)
            self.notify(tr("review.na_cleared", self.lang, id=item_id), markup=False)
            self.changed()
            return
        from ..widgets.dialogs import TextPrompt

        item = self.rubric.item(item_id)

        def done(reason: str | None) -> None:
            if reason is not None:
                self._apply(lambda: set_na(self.session, item_id, reason))

        self.app.push_screen(TextPrompt(
            tr("review.na_reason", self.lang, id=f"{item.id} {item.label.get(self.lang)}"),
            required=True), done)

    def action_part_not_applicable(self) -> None:
        """Mark the item's whole part (e.g. 二、業務單位接聽電話) not applicable, one reason.

        For a call the operator answered in full without a transfer, the unit
        part was never needed; again on a part already excluded undoes it.
        """
        item_id = self.current_item
        if item_id is None:
            return
        group = self.rubric.part_of(item_id)
        part = group.id if group is not None else item_id
        items = [i.id for i in self.rubric.covered(part)
                 if not self.call.scored_by_rule(i.id)] if group else [item_id]
        label = f"{part} {group.label.get(self.lang)}" if group else item_id
        if items and all(i in self.session.na for i in items):
            for i in items:
                clear_na(self.session, i)
            self.notify(tr("review.na_part_cleared", self.lang, id=label), markup=False)
            self.changed()
            return
        from ..widgets.dialogs import TextPrompt

        def exclude(reason: str) -> None:
            for i in items:
                set_na(self.session, i, reason)

        def done(reason: str | None) -> None:
            if reason is not None:
                self._apply(lambda: exclude(reason))

        self.app.push_screen(TextPrompt(tr("review.na_part_reason", self.lang, id=label),
                                        required=True), done)

    def action_finish(self, print_it: bool = False) -> None:
        """Score from the evidence, store the session for good, go home (`p`: print its form)."""
        lang = self.lang
        dropped = drop_unreached(self.rubric, self.session)
        if dropped:
            self.notify(tr("review.dropped_done", lang, ids=", ".join(dropped)), markup=False)
        self.scores = preview(self.rubric, self.session)
        if self.scores.missing:
            self.rebuild()
            self.refuse(Msg(tr("review.missing", "zh", n=len(self.scores.missing),
                               ids=", ".join(self.scores.missing)),
                            tr("review.missing", "en", n=len(self.scores.missing),
                               ids=", ".join(self.scores.missing))))
            return
        try:
            finish(self.rubric, self.session)
        except InputError as exc:
            self.refuse(Msg(tr("review.cannot_finish", "zh", error=exc),
                            tr("review.cannot_finish", "en", error=exc)))
            return
        self.cc.commit(self.session)
        total = (self.session.result or {}).get("total", {})
        self.notify(tr("review.finished", lang, score=total.get("score")), markup=False)
        if print_it:
            from ..print_form import print_form

            print_form(self.app, self.rubrics, self.session, lang)
        self.app.pop_screen()

    def action_back(self) -> None:
        self.app.pop_screen()

    def refuse(self, reason: Msg) -> None:
        self.app.bell()
        self.status(reason.get(self.lang))

    def status(self, text: str) -> None:
        self.query_one("#review-status", Label).update(text)
