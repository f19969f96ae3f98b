"""Setup before dialling: the form's header fields and how the agency is reached."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, RadioSet

from ...dates import iso
from ...live import LiveCall
from ...observations import Context
from ...session import Session
from ...words import tr
from ..bindings import bind
from ..storage import SettingLoaded
from ..widgets.keys_footer import KeysFooter
from ..widgets.toggles import Check, Radio
from .base import CSS_DIR, CallcheckScreen

TEXT_FIELDS = ("text",)
"""Header fields typed in here; the test time (a datetime field) is stamped at dialling."""


class SetupScreen(CallcheckScreen):
    """Agency, unit, number, tester (remembered), route, voice system, operator, question."""

    CSS_PATH = CSS_DIR / "setup.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("start"), bind("back"),
    ]

    def compose(self) -> ComposeResult:
        lang = self.lang
        rubric = self.cc.call_rubric
        fields = [f for f in rubric.header if f.type in TEXT_FIELDS]
        labels = [f.label.get(lang) + (" *" if f.required else "") for f in fields]
        labels += [tr("setup.route", lang), tr("setup.question", lang)]
        # The label column fits the longest label, so a required field's * is never cut.
        width = min(34, max(cell_len(text) for text in labels) + 2)
        with VerticalScroll(id="setup"):
            yield Label(f"{rubric.title.get(lang)}　{tr('setup.title', lang)}", classes="title",
                        markup=False)
            for field, label in zip(fields, labels, strict=False):
                with Horizontal(classes="field"):
                    yield Label(label, classes="field-label", markup=False)
                    yield Input(id=f"h-{field.key}", classes="field-input")
            with Horizontal(classes="field"):
                yield Label(tr("setup.route", lang), classes="field-label", markup=False)
                with RadioSet(id="route"):
                    yield Radio(tr("setup.route.switchboard", lang), value=True,
                                id="switchboard")
                    yield Radio(tr("setup.route.direct", lang), id="direct")
            yield Check(tr("setup.has_ivr", lang), value=True, id="has_ivr")
            yield Check(tr("setup.has_operator", lang), value=True, id="has_operator")
            with Horizontal(classes="field"):
                yield Label(tr("setup.question", lang), classes="field-label", markup=False)
                yield Input(id="question", classes="field-input")
            with Horizontal(id="start-row"):
                yield Button(tr("key.start", lang), variant="primary", id="start")
                yield Label("", id="setup-error", markup=False)
        yield KeysFooter()
        self._label_width = width

    def on_mount(self) -> None:
        for label in self.query(".field-label"):
            label.styles.width = self._label_width
        for box in self.query(Check):
            box.styles.margin = (0, 0, 1, self._label_width)
        self.cc.load_setting(self, "tester", "")
        self._load_earlier()
        self.query(Input).first().focus()

    @work(thread=True, exclusive=True, group="setup-earlier", exit_on_error=False)
    def _load_earlier(self) -> None:
        """Agencies, units, numbers and testers of earlier tests, newest first, to pick from."""
        rows = sorted(self.store.rows(), key=lambda r: r.at, reverse=True)
        seen: dict[str, list[str]] = {k: [] for k in ("agency", "unit", "number", "tester")}
        for row in rows:
            for key, found in seen.items():
                value = getattr(row, key)
                if value and value not in found:
                    found.append(value)
        self.app.call_from_thread(self._suggest, seen)

    def _suggest(self, earlier: dict[str, list[str]]) -> None:
        """Typing the start of an earlier agency (unit, …) shows the rest; → takes it."""
        for key, values in earlier.items():
            found = self.query(f"#h-{key}")
            if values and found:
                found.first(Input).suggester = SuggestFromList(values, case_sensitive=False)

    def on_setting_loaded(self, message: SettingLoaded) -> None:
        if message.key == "tester" and message.value:
            tester = self.query("#h-tester")
            if tester and not tester.first(Input).value:
                tester.first(Input).value = str(message.value)

    @on(RadioSet.Changed, "#route")
    def _route_changed(self, event: RadioSet.Changed) -> None:
        direct = event.pressed.id == "direct"
        for box in self.query(Check):
            box.disabled = direct

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    def action_back(self) -> None:
        self.dismiss()

    def context(self) -> Context:
        direct = self.query_one("#direct", Radio).value
        return Context("direct" if direct else "switchboard",
                       self.query_one("#has_ivr", Check).value,
                       self.query_one("#has_operator", Check).value)

    def action_start(self) -> None:
        """Check the header and context, then dial: the live screen takes over."""
        lang = self.lang
        rubric = self.cc.call_rubric
        header: dict[str, str] = {}
        for field in rubric.header:
            if field.type not in TEXT_FIELDS:
                continue
            value = self.query_one(f"#h-{field.key}", Input).value.strip()
            if field.required and not value:
                self._error(tr("setup.required", lang, field=field.label.get(lang)))
                self.query_one(f"#h-{field.key}", Input).focus()
                return
            if value:
                header[field.key] = value
        context = self.context()
        for rule in rubric.rules:
            if rule.effect == "invalid" and rule.applies(context.as_dict()):
                self._error(rule.reason.get(lang))
                return
        question = self.query_one("#question", Input).value.strip()
        if question:
            header["question"] = question
        header["at"] = iso(self.cc.wall_clock())
        session = Session.new(rubric, header=header, context=context)
        if header.get("tester"):
            self.cc.set_setting("tester", header["tester"])
        call = LiveCall(rubric, session, clock=self.cc.clock, wall_clock=self.cc.wall_clock)
        call.start()
        self.cc.save_draft(session)
        from .live import LiveScreen

        self.app.switch_screen(LiveScreen(call))

    def _error(self, text: str) -> None:
        self.app.bell()
        self.query_one("#setup-error", Label).update(text)
