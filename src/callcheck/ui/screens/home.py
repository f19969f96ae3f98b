"""Home: start a telephone test, retest what is due, resume what was left, open the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import pendulum
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label

from ...dates import TZ, parse_datetime, roc_date
from ...live import clock_time
from ...session import Session
from ...text import printable
from ...words import tr
from ..bindings import bind
from ..storage import HomeLoaded
from ..widgets.choice_list import ChoiceList
from ..widgets.keys_footer import KeysFooter
from .base import CallcheckScreen

if TYPE_CHECKING:
    from ...live import LiveCall


class HomeScreen(CallcheckScreen):
    """Pending retests count down to their due time; drafts wait to be resumed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("new_call"), bind("retest"), bind("resume"), bind("history"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pending: dict[str, Session] = {}
        self.drafts: dict[str, Session] = {}
        self._announced: set[str] = set()
        self._said: list[str] = []
        """What home says once (a new database), in its notice line until home is left."""
        self._loaded = False
        self._narrow = False

    LOADING_AFTER = 0.3
    """Seconds before a still-running first load shows its progress."""

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self._announce_db()
        self.set_timer(self.LOADING_AFTER, self._show_loading)

    def _show_loading(self) -> None:
        """The lists are read from a worker; a long read says how far it has come."""
        if self._loaded:
            return
        done, total = self.store.load_progress()
        line = self.query_one("#home-loading", Label)
        line.update(tr("home.loading", self.lang, done=done, total=max(total, done)))
        line.display = True
        self.set_timer(0.1, self._show_loading)

    def _announce_db(self) -> None:
        """Say once that this run made the database, and offer one found where it used to be."""
        app = self.cc
        if app.db_created:
            app.db_created = False
            self._said.append(tr("home.db_created", self.lang, path=self.store.path))
        if app.older_db is not None:
            self._said.append(tr("home.db_older", self.lang, path=app.older_db))
            app.older_db = None

    def on_screen_suspend(self) -> None:
        self._said.clear()  # said once: not again when home comes back

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Horizontal(id="home-top"):
            yield Label(f"callcheck　{tr('home.title', lang)}", id="home-title", markup=False)
            yield Label("", id="home-clock", markup=False)
        with Horizontal(id="home-body"):
            with Vertical(id="home-menu-box"):
                yield Label(tr("home.start", lang), classes="section", markup=False)
                yield ChoiceList(id="home-menu", preselect=False)
            with Vertical(id="home-lists"):
                yield Label(tr("home.pending", lang), classes="section", markup=False)
                with VerticalScroll(classes="home-list", can_focus=False):
                    yield ChoiceList(id="pending", empty=tr("home.none", lang),
                                     header=self._header("pending"))
                yield Label(tr("home.drafts", lang), classes="section", markup=False)
                with VerticalScroll(classes="home-list", can_focus=False):
                    yield ChoiceList(id="drafts", empty=tr("home.none", lang),
                                     header=self._header("drafts"))
        yield Label("", id="home-loading", markup=False).set_styles("display: none;")
        yield Label("", id="home-notice", markup=False).set_styles("display: none;")
        yield Label(tr("home.db", lang, path=self.store.path), id="home-db", markup=False)
        yield KeysFooter()

    def _menu(self) -> list[tuple[str, list[Text | str]]]:
        lang = self.lang
        rows: list[tuple[str, list[Text | str]]] = [
            ("new_call", [tr("home.menu.new_call", lang)]),
            ("history", [tr("home.menu.history", lang)])]
        for rubric in self.cc.rubrics.values():
            if not rubric.uses_calls:
                rows.append((f"form:{rubric.id}", [Text(rubric.title.get(lang))]))
        return rows

    def on_screen_resume(self) -> None:
        menu = self.query_one("#home-menu", ChoiceList)
        if not menu.rows:
            menu.set_rows(self._menu())
        self._tick()
        # After the frame is drawn: the first read of a big archive competes for the
        # interpreter, and home must be on screen before it starts.
        self.call_after_refresh(self.cc.load_home, self)
        menu.focus()

    NARROW = 106
    """Below this many columns the lists show agency and unit in one column, times without
    today's date, and leave out the last call's time (at 80×24 what tells sessions apart)."""

    def _header(self, name: str) -> list[str]:
        lang = self.lang
        if self._narrow:
            place = f"{tr('home.col.agency', lang)}／{tr('home.col.unit', lang)}"
            rest = ("due", "countdown") if name == "pending" else ("started", "state")
            return [place, *(tr(f"home.col.{k}", lang) for k in rest)]
        keys = ("agency", "unit", "first", "due", "countdown") if name == "pending" else \
            ("agency", "unit", "started", "state")
        return [tr(f"home.col.{k}", lang) for k in keys]

    def on_resize(self) -> None:
        narrow = self.size.width < self.NARROW
        if narrow != self._narrow:
            self._narrow = narrow
            for name in ("pending", "drafts"):
                self.query_one(f"#{name}", ChoiceList).header = tuple(self._header(name))
            self._fill_lists()

    def on_home_loaded(self, message: HomeLoaded) -> None:
        if not self._loaded:
            self.cc.warm_rows()  # History's rows, read while the tester looks at home
        self._loaded = True
        self.query_one("#home-loading", Label).display = False
        self.pending = {s.id: s for s in message.pending}
        self.drafts = {s.id: s for s in message.drafts}
        self._fill_lists()

    def _place(self, s: Session) -> list[Text | str]:
        agency = printable(s.header.get("agency", ""))
        unit = printable(s.header.get("unit", ""))
        if self._narrow:
            return [Text(f"{agency} {unit}".strip())]
        return [Text(agency), Text(unit)]

    def _fill_lists(self) -> None:
        lang = self.lang
        today = self.cc.wall_clock().date()
        rows: list[tuple[str, list[Text | str]]] = []
        for s in self.pending.values():
            due = parse_datetime(s.due_at) if s.due_at else None
            last = s.attempts[-1].start if s.attempts else None
            if self._narrow:
                when = "" if due is None else clock_time(due) if _local_date(due) == today \
                    else _short_date(due)
                rows.append((s.id, [*self._place(s), when, self._countdown(s)]))
            else:
                rows.append((s.id, [
                    *self._place(s), clock_time(last) if last else "",
                    f"{clock_time(due)} {roc_date(due, lang)}" if due else "",
                    self._countdown(s)]))
        self.query_one("#pending", ChoiceList).set_rows(rows)
        rows = []
        for s in self.drafts.values():
            started = _started(s)
            state = tr(f"home.state.{self._draft_state(s)}", lang)
            when = ""
            if started is not None:
                when = clock_time(started)[:5] if self._narrow and \
                    _local_date(started) == today else _short_date(started)
            rows.append((s.id, [*self._place(s), when, state]))
        self.query_one("#drafts", ChoiceList).set_rows(rows)

    def _call(self, session: Session) -> LiveCall:
        from ...live import LiveCall

        return LiveCall(self.cc.call_rubric, session, clock=self.cc.clock,
                        wall_clock=self.cc.wall_clock)

    def _draft_state(self, session: Session) -> str:
        if session.rubric != self.cc.call_rubric.id:
            return "form"
        if session.status == "pending_retest":
            return "pending"
        call = self._call(session)
        return "review" if call.ended or not call.started else "calling"

    def _countdown(self, session: Session) -> Text:
        from ...live import countdown

        if not session.due_at:
            return Text("")
        wait = int((parse_datetime(session.due_at) - self.cc.wall_clock()).total_seconds())
        if wait <= 0:
            return Text(tr("home.due_now", self.lang), style="bold green")
        return Text(countdown(wait))

    def _tick(self) -> None:
        """Once a second: the clock and the countdowns; announce a retest that became due."""
        lang = self.lang
        now = self.cc.wall_clock()
        self.query_one("#home-clock", Label).update(
            f"{roc_date(now, lang)}　{now.date().isoformat()}　{clock_time(now)}")
        table = self.query_one("#pending", ChoiceList)
        column = len(table.header) - 1  # the countdown, last whatever the width
        for sid, s in self.pending.items():
            table.update_cell(sid, column, self._countdown(s))
            if s.due_at and parse_datetime(s.due_at) <= now and sid not in self._announced:
                self._announced.add(sid)
                self.app.bell()
        # In home's own notice line, not a notice in the corner: at 80×24 that covered the
        # pending list here and History's filter row after it; gone once retested.
        due = [tr("home.due_notify", lang, agency=printable(s.header.get("agency", "")),
                  due=clock_time(parse_datetime(s.due_at)))
               for sid, s in self.pending.items() if sid in self._announced and s.due_at]
        notice = self.query_one("#home-notice", Label)
        lines = [*self._said, *due[-3:]]  # the newest three retests; the list shows them all
        notice.update("\n".join(lines))
        notice.display = bool(lines)

    # -- actions ------------------------------------------------------------------------------
    @on(ChoiceList.Chosen, "#home-menu")
    def _menu_chosen(self, event: ChoiceList.Chosen) -> None:
        choice = event.key
        if choice == "new_call":
            self.action_new_call()
        elif choice == "history":
            self.action_history()
        elif choice.startswith("form:"):
            self.open_form(choice.removeprefix("form:"))

    def action_new_call(self) -> None:
        from .setup import SetupScreen

        self.app.push_screen(SetupScreen())

    def action_history(self) -> None:
        from .history import HistoryScreen

        self.app.push_screen(HistoryScreen())

    def open_form(self, rubric_id: str) -> None:
        """The other forms (registration, petition): issue 5's generic form screen."""
        from .form import FormScreen

        self.app.push_screen(FormScreen(rubric_id))

    @on(ChoiceList.NothingChosen)
    def _nothing_chosen(self) -> None:
        self.app.bell()
        self.notify(tr("home.pick_first", self.lang), markup=False)

    def action_resume(self) -> None:
        """Resume the highlighted unfinished test (the newest one unless another is picked)."""
        key = self.query_one("#drafts", ChoiceList).highlighted_key
        if key not in self.drafts:
            self.app.bell()
            self.notify(tr("home.no_drafts", self.lang), markup=False)
            return
        self.resume(self.drafts[key])

    def action_retest(self) -> None:
        key = self.query_one("#pending", ChoiceList).highlighted_key
        if key not in self.pending:
            self.notify(tr("home.nothing_selected", self.lang), markup=False)
            return
        self.retest(self.pending[key])

    @on(ChoiceList.Chosen, "#pending")
    def _pending_chosen(self, event: ChoiceList.Chosen) -> None:
        if event.key in self.pending:
            self.retest(self.pending[event.key])

    @on(ChoiceList.Chosen, "#drafts")
    def _draft_chosen(self, event: ChoiceList.Chosen) -> None:
        if event.key in self.drafts:
            self.resume(self.drafts[event.key])

    def retest(self, session: Session) -> None:
        """Dial again if the retest is due; otherwise say from when it is allowed."""
        from ...errors import Refused

        call = self._call(session)
        try:
            call.start_retest()
        except Refused as refused:
            self.app.bell()
            self.notify(refused.reason.get(self.lang), severity="warning", markup=False)
            return
        self.cc.save_draft(session)
        self._open_call(call)

    def resume(self, session: Session) -> None:
        if session.rubric != self.cc.call_rubric.id:
            from .form import FormScreen

            self.app.push_screen(FormScreen(session.rubric, draft=session))
            return
        call = self._call(session)
        if call.ended and session.status != "pending_retest":
            from .review import ReviewScreen

            self.app.push_screen(ReviewScreen(call))
        else:
            self._open_call(call)

    def _open_call(self, call: LiveCall) -> None:
        from .live import LiveScreen

        self.app.push_screen(LiveScreen(call))


def _short_date(when: pendulum.DateTime) -> str:
    """115/11/26 10:05: the ROC date and the time, short enough for the list."""
    local = when.in_timezone(TZ)
    return f"{local.year - 1911}/{local.month:02d}/{local.day:02d} {clock_time(local)[:5]}"


def _local_date(when: pendulum.DateTime) -> pendulum.Date:
    return when.in_timezone(TZ).date()


def _started(session: Session) -> pendulum.DateTime | None:
    """When the test began (a form's draft may hold a date typed wrong, or none)."""
    for text in (session.at, session.created_at):
        try:
            return parse_datetime(text)
        except (ValueError, TypeError):
            continue
    return None
