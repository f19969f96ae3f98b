"""The live call: timing keys stamped with their own time, courtesy items answered any time.

Timing keys (ring, answer, transfer, unanswered, out of order, automatic
transfer, end of call, undo) are handled in `on_key`, stamped with the key
event's `event.time` (when the key was read, not when the handler runs),
with the keyboard's auto-repeat dropped (see `live.REPEAT_WINDOW`). They are
declared in BINDINGS too, so the footer and the help screen list them; the
binding's action only runs when the footer is clicked, stamped with the
clock then. Esc is not a timing key (a terminal holds it back 100 ms).

The interval timer only repaints: the elapsed time is always `clock() − first
ring`. Every mark and answer saves the draft (in the store's worker).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from ...answers import adjust, choice_index, choices, cycle, describe_answer, set_note
from ...dates import parse_datetime, roc_datetime
from ...errors import Refused
from ...i18n import Msg
from ...live import LiveCall, RepeatFilter, clock_time, countdown, stamp
from ...rubric import Item
from ...timing import MARK_KINDS, fmt_tenths
from ...words import tr
from ..bindings import KEYS, bind
from ..widgets.call_header import CallHeader
from ..widgets.keys_footer import KeysFooter
from ..widgets.phase_clock import PhaseClock
from ..widgets.phase_strip import PhaseStrip
from ..widgets.prompt_list import PromptList, PromptRow
from ..widgets.timeline import TimelineLog
from .base import CSS_DIR, CallcheckScreen, ChangesAnswers

TIMING: dict[str, str] = {
    "ring": "ring", "answer": "answer", "transfer": "transfer", "give_up": "give_up",
    "out_of_order": "out_of_order", "auto_transfer": "auto_transfer", "busy": "busy",
    "dropped": "dropped", "hang_up": "hang_up", "undo": "undo",
}
"""Binding id → the mark its key makes."""

ITEM_KEYS = "1234567890"
"""One key per courtesy item of the phase, in the form's order (ten at most on screen).

The prompt list shows each item's key beside it, so the footer leaves them out."""

class LiveScreen(ChangesAnswers, CallcheckScreen):
    """One attempt of a telephone test, from dial to the end of the call."""

    CSS_PATH = [CSS_DIR / "call.tcss", CSS_DIR / "live.tcss"]

    BINDINGS: ClassVar[list[BindingType]] = [
        *(bind(kind, f"mark('{kind}')", show=kind not in ("out_of_order", "auto_transfer"))
          for kind in ("ring", "answer", "transfer", "give_up", "out_of_order", "auto_transfer",
                       "busy", "dropped")),
        bind("cadence", show=False), bind("hang_up", "mark('hang_up')"),
        bind("undo", "mark('undo')"),
        *(Binding(k, f"item({n})", "Answer item", id=f"item{k}", show=False)
          for n, k in enumerate(ITEM_KEYS)),
        bind("more", "adjust(1)", show=False), bind("less", "adjust(-1)", show=False),
        bind("item_up", "select(-1)", show=False), bind("item_down", "select(1)", show=False),
        bind("answer_next", "step(1)", show=False), bind("answer_back", "step(-1)", show=False),
        bind("note"), bind("phase", "next_phase", show=False), bind("continue"), bind("discard"),
    ]

    def __init__(self, call: LiveCall) -> None:
        super().__init__()
        self.call = call
        self.selected: str | None = None
        self._prompt_phase: str | None = None
        self._repeats = RepeatFilter()
        self._timing_keys: dict[str, str] = {}
        self._alerted: set[tuple[int, int, str]] = set()
        self._footer_keys: tuple[bool, ...] = ()
        self._stored_pending = False
        """This screen stored the session as pending its retest (the switchboard rang out)."""

    def compose(self) -> ComposeResult:
        yield CallHeader(id="call-header")
        yield PhaseStrip(id="phase-strip")
        with Horizontal(id="live-main"):
            yield PhaseClock(id="clock")
            with Vertical(id="live-right"):
                yield PromptList(id="prompts")
                yield Static(id="prompt-detail")
                yield TimelineLog(id="timeline")
        yield Label("", id="live-status", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self._timing_keys = {
            key: TIMING[b.id] for key, bindings in self._bindings.key_to_bindings.items()
            for b in bindings if b.id in TIMING}
        self.app.clear_notifications()  # e.g. "retest due": said on home, not for this call
        self.set_interval(0.1, self.repaint)
        self.repaint_all()
        if self.call.ended:
            self._show_end()

    # -- timing keys ---------------------------------------------------------------------------
    async def on_key(self, event: events.Key) -> None:
        if event.key == KEYS["discard"]:  # works whether or not the footer has room to show it
            event.stop()
            event.prevent_default()
            self.action_discard()
            return
        kind = self._timing_keys.get(event.key)
        if kind is None:
            return
        event.stop()
        event.prevent_default()
        at = stamp(event.time, self.cc.clock())
        if self._repeats.accept(event.key, at):
            self.timing_key(kind, at)

    def action_mark(self, kind: str) -> None:
        """A timing key's binding, run when the footer is clicked: stamped with the clock."""
        self.timing_key(kind, self.cc.clock())

    def timing_key(self, kind: str, at: float) -> None:
        phase_before = (self.call.attempt_number, self.call.state.current)
        try:
            if kind == "undo":
                self.call.undo(at)
            else:
                self.call.mark(kind, at)
        except Refused as refused:
            self.refuse(refused.reason)
            return
        self.status("")
        if kind == "answer" and (count := self.call.under_marked(self.call.state.phase.phase)):
            self.app.bell()
            tenths = self.call.state.phase.elapsed_tenths(self.call.seconds())
            self.status(tr("live.answered_rings_missed", self.lang, rings=count.marked,
                           expected=count.implied, seconds=fmt_tenths(tenths or 0)),
                        "-refused")
        if (self.call.attempt_number, self.call.state.current) != phase_before:
            self._prompt_phase = None
            self.selected = None
        self.after_mark()

    def after_mark(self) -> None:
        """Save, then show the end of the call (and store a pending retest) or carry on."""
        ended = self.call.ended
        if ended and self.call.pending_retest:
            self.cc.commit(self.call.session)
            self._stored_pending = True
            due = parse_datetime(self.call.session.due_at or "")
            self.notify(tr("live.pending_saved", self.lang, due=clock_time(due)), markup=False)
        elif self._stored_pending:  # the give-up was undone: no longer waiting for a retest
            self._stored_pending = False
            self.cc.reopen(self.call.session)
        else:
            self.cc.save_draft(self.call.session)
        self.repaint_all()
        if ended:
            self._show_end()
        self.refresh_footer()

    def footer_keys(self) -> tuple[bool, ...]:
        """Which of the screen's keys make sense now: the footer changes only when these do."""
        return (self.call.ended, self._discard_shown(),
                *(self._mark_makes_sense(kind) for kind in MARK_KINDS))

    def keys_now(self) -> set[str]:
        """Ctrl+D works until the call is stored, shown in the footer or not (F1 says so)."""
        keys = super().keys_now()
        if not self._stored_pending:
            keys.update(KEYS["discard"].split(","))
        return keys

    def _discard_shown(self) -> bool:
        """The footer offers ^d until the first ring (when a wrong call is noticed); after
        that the footer needs its room at 80 columns, and F1 still lists the key."""
        attempt = self.call.attempt
        return not self._stored_pending and (
            attempt is None or not any(m.kind == "ring" for m in attempt.marks))

    def refresh_footer(self) -> None:
        """Rebuild the footer when its keys changed (not at every ring)."""
        keys = self.footer_keys()
        if keys != self._footer_keys:
            self._footer_keys = keys
            self.refresh_bindings()

    def action_cadence(self) -> None:
        """Count the phase at the median interval of its marked rings (the live proposal)."""
        try:
            mark = self.call.adopt_cadence(self.cc.clock())
        except Refused as refused:
            self.refuse(refused.reason)
            return
        self.cc.save_draft(self.call.session)
        self.status(tr("live.cadence_adopted", self.lang, cadence=mark.value))
        self.repaint_all()

    def _show_end(self) -> None:
        if self.call.dropped:
            self.status(tr("live.ended_dropped", self.lang, n=self.call.attempt_number + 1),
                        "-pending")
        elif self.call.pending_retest:
            self.repaint_end()
        else:
            self.status(tr("live.ended_review", self.lang), "-ended")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows the timing keys that make sense where the call is (F1 lists all)."""
        if action == "continue":
            return self.call.ended
        if action == "mark" and parameters:
            return self._mark_makes_sense(str(parameters[0]))
        if action == "discard":
            return self._discard_shown()
        return True

    def _mark_makes_sense(self, kind: str) -> bool:
        call = self.call
        if kind == "undo":
            return call.can_undo()
        if not call.started or call.ended:
            return False
        state = call.state
        ph = state.phase
        last = state.current == len(state.phases) - 1
        taken = ph.outcome == "answered" or (ph.auto_transfer and ph.answered_at is not None)
        spec = call.rubric.phase(ph.phase)
        return {
            "ring": ph.outcome is None,
            "answer": ph.outcome is None or (ph.auto_transfer and ph.answered_at is None),
            "give_up": ph.outcome is None,
            "busy": ph.outcome is None and not ph.busy and spec is not None and spec.busy,
            "transfer": ph.outcome == "answered" and not last,
            "hang_up": taken,
        }.get(kind, True)

    def action_continue(self) -> None:
        if not self.call.ended:
            return
        if self.call.dropped:
            self.call.redial(self.cc.clock())
            self._prompt_phase = None
            self.selected = None
            self.status("")
            self.cc.save_draft(self.call.session)
            self.repaint_all()
            self.refresh_footer()
            return
        if self.call.pending_retest:
            self.app.pop_screen()
            return
        from .review import ReviewScreen

        self.app.switch_screen(ReviewScreen(self.call))

    def action_discard(self) -> None:
        """A call started by mistake: after a confirm its draft goes, nothing else changes."""
        if self._stored_pending:
            return
        from ..widgets.dialogs import ConfirmDialog

        retest = self.call.attempt_number > 1
        body = tr("live.discard_retest_body" if retest else "live.discard_body", self.lang,
                  n=self.call.attempt_number)

        def done(yes: bool | None) -> None:
            if yes:
                self.cc.discard_draft(self.call.session.id)
                self.notify(tr("live.discarded", self.lang), markup=False)
                self.app.pop_screen()

        self.app.push_screen(ConfirmDialog(tr("live.discard_title", self.lang), body,
                                           tr("live.discard", self.lang)), done)

    # -- courtesy items ------------------------------------------------------------------------
    @property
    def prompt_phase(self) -> str:
        return self._prompt_phase or self.call.state.phase.phase

    def prompt_items(self) -> list[Item]:
        return self.call.prompt_items(self.prompt_phase)

    def action_item(self, index: int) -> None:
        """The item's key: select it and give it its next answer (a branch first asks 甲/乙)."""
        items = self.prompt_items()
        if index >= len(items):
            self.app.bell()
            return
        self.selected = items[index].id
        self._step(1)

    def action_select(self, step: int) -> None:
        """↑ ↓: select another item of the phase; its answer stays as it is."""
        items = self.prompt_items()
        if not items:
            self.app.bell()
            return
        ids = [i.id for i in items[:len(ITEM_KEYS)]]
        at = ids.index(self.selected) if self.selected in ids else (-1 if step > 0 else 0)
        self.selected = ids[(at + step) % len(ids)]
        self.repaint_prompts()

    def action_step(self, step: int) -> None:
        """→ ←: the selected item's next or previous answer (← is the reverse of its key)."""
        if self.selected is None:
            self.app.bell()
            return
        self._step(step)

    def _step(self, step: int) -> None:
        assert self.selected is not None
        item = self.call.rubric.item(self.selected)
        session = self.call.session
        if item.kind != "branch" or item.id in session.na:
            self._apply(lambda: cycle(self.call.rubric, session, item.id, step))
            return
        # a branch (2.3 甲/乙): its bands step inside the branch picked first
        value = session.answers.get(item.id)
        branch = value.get("branch") if isinstance(value, dict) else None
        options = [c.value for c in choices(item) if c.value["branch"] == branch]
        at = choice_index(item, value)
        first = next((n for n, c in enumerate(choices(item)) if c.value["branch"] == branch), 0)
        n = None if at is None else at - first
        if branch is None or not options or (step > 0 and n == len(options) - 1):
            self._pick_branch(item)  # the branch first, then its band
            return
        if n is None:
            n = -1 if step > 0 else 0
        session.answers[item.id] = options[(n + step) % len(options)]
        self.cc.save_draft(session)
        self.repaint_prompts()

    def changed(self) -> None:
        """An answer changed: save the draft and show it."""
        self.cc.save_draft(self.call.session)
        self.repaint_prompts()

    def _pick_branch(self, item: Item) -> None:
        from ..widgets.dialogs import PickDialog

        rows = [(br.id, f"{br.id}：{br.label.get(self.lang)}") for br in item.branches]

        def done(branch: str | None) -> None:
            if branch is None:
                return
            first = next(c.value for c in choices(item) if c.value["branch"] == branch)
            self.call.session.answers[item.id] = first
            self.selected = item.id
            self.cc.save_draft(self.call.session)
            self.repaint_prompts()

        self.app.push_screen(PickDialog(
            tr("live.pick_branch", self.lang, item=f"{item.id} {item.label.get(self.lang)}"),
            rows), done)

    def action_adjust(self, delta: int) -> None:
        item_id = self.selected
        if item_id is None:
            self.app.bell()
            return
        self._apply(lambda: adjust(self.call.rubric, self.call.session, item_id, delta))

    def action_next_phase(self) -> None:
        """Show another reached phase's items (e.g. the operator's after the transfer)."""
        phases = [p for p in self.call.reached_phases() if self.call.prompt_items(p)]
        if not phases:
            return
        at = phases.index(self.prompt_phase) if self.prompt_phase in phases else -1
        self._prompt_phase = phases[(at + 1) % len(phases)]
        self.selected = None
        self.repaint_prompts()

    def action_note(self) -> None:
        item_id = self.selected
        if item_id is None:
            items = self.prompt_items()
            if not items:
                self.app.bell()
                return
            item_id = items[0].id
        from ..widgets.dialogs import TextPrompt

        item = self.call.rubric.item(item_id)
        title = tr("review.note_prompt", self.lang, id=f"{item.id} {item.label.get(self.lang)}")

        def done(text: str | None) -> None:
            if text is None:
                return
            set_note(self.call.session, item_id, text)
            self.selected = item_id
            self.cc.save_draft(self.call.session)
            self.repaint_prompts()

        self.app.push_screen(TextPrompt(title, self.call.session.notes.get(item_id, "")), done)

    # -- painting ------------------------------------------------------------------------------
    def refuse(self, reason: Msg) -> None:
        self.app.bell()
        self.status(reason.get(self.lang), "-refused")

    def status(self, text: str, kind: str = "") -> None:
        label = self.query_one("#live-status", Label)
        label.update(text)
        label.set_classes(kind)

    def repaint_all(self) -> None:
        self.query_one(CallHeader).show(self.call.session, self.lang, self.call.attempt_number)
        self.query_one(PhaseStrip).show(self.call, self.lang)
        self.query_one(TimelineLog).show(self.call, self.lang)
        self.repaint_prompts()
        self.repaint()

    def repaint(self) -> None:
        """The clock, from `clock()` (never from counted ticks); a bell at each threshold."""
        view = self.call.view()
        self.query_one(PhaseClock).show(view, self.call.timing, self.lang)
        where = (self.call.attempt_number, view.index)
        for flag, on in (("late", view.past_full_marks), ("hang_up", view.unanswered_reached)):
            if on and (*where, flag) not in self._alerted:
                self._alerted.add((*where, flag))
                self.app.bell()
        if self.call.ended and self.call.pending_retest:
            self.repaint_end()

    def repaint_end(self) -> None:
        check = self.call.retest_check()
        if check.due is None:
            return
        self.status(tr("live.ended_pending", self.lang, due=clock_time(check.due),
                       roc=roc_datetime(check.due, self.lang),
                       wait=countdown(check.wait_seconds)), "-pending")

    def repaint_prompts(self) -> None:
        lang = self.lang
        session = self.call.session
        items = self.prompt_items()
        rows = [PromptRow(key, item, describe_answer(item, session.answers.get(item.id), lang),
                          item.id in session.notes)
                for key, item in zip(ITEM_KEYS, items, strict=False)]
        title = tr("live.prompts", lang, phase=self.call.phase_label(self.prompt_phase).get(lang))
        if len(items) > len(ITEM_KEYS):
            title += "　" + tr("live.more_items", lang, n=len(items) - len(ITEM_KEYS))
        self.query_one(PromptList).show(title, rows, self.selected, lang,
                                        tr("live.prompts_none", lang))
        self.query_one("#prompt-detail", Static).update(self._detail())

    def _detail(self) -> Text:
        if self.selected is None:
            return Text("")
        item = self.call.rubric.item(self.selected)
        session = self.call.session
        text = Text(tr("live.selected", self.lang), style="dim")
        text.append(f"{item.id} {item.label.get(self.lang)}")
        answer = describe_answer(item, session.answers.get(item.id), self.lang)
        if answer:
            text.append(f"\n→ {answer}", style="bold")
        if session.notes.get(item.id):
            text.append("\n" + tr("live.note", self.lang), style="dim")
            text.append(session.notes[item.id])
        return text
