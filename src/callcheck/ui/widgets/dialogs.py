"""The app's dialogs: confirm, a line of text (the one prompt), a change with its reason."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Label

from ...words import tr
from ..bindings import bind
from ..screens.base import CSS_DIR, CallcheckModal

CSS_FILE = CSS_DIR / "dialog.tcss"


class ConfirmDialog(CallcheckModal[bool]):
    """Yes or no, defaulting to no: dismisses with True only on the confirm button."""

    CSS_PATH = CSS_FILE
    BINDINGS: ClassVar[list[BindingType]] = [bind("cancel")]

    def __init__(self, title: str, body: str, confirm: str) -> None:
        super().__init__()
        self.title_text, self.body, self.confirm = title, body, confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Label(self.body, markup=False)
            with Horizontal(classes="buttons"):
                yield Button(tr("key.cancel", self.lang), id="cancel")
                yield Button(self.confirm, id="confirm", variant="error")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class PickDialog(CallcheckModal[str | None]):
    """One of a few choices: ↑ ↓ and Enter, or the choice's number; Esc picks nothing."""

    CSS_PATH = CSS_FILE
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("cancel"),
        *(Binding(str(n), f"pick({n - 1})", "Pick", id=f"pick{n}", show=False)
          for n in range(1, 10)),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text, self.rows = title, rows

    def compose(self) -> ComposeResult:
        from .choice_list import ChoiceList

        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield ChoiceList(id="pick-list")

    def on_mount(self) -> None:
        from rich.text import Text

        from .choice_list import ChoiceList

        choices = self.query_one("#pick-list", ChoiceList)
        choices.set_rows([(key, [Text(f"{n}  {label}")])
                          for n, (key, label) in enumerate(self.rows, 1)])
        choices.focus()

    def on_choice_list_chosen(self, event: Any) -> None:
        self.dismiss(event.key)

    def action_pick(self, index: int) -> None:
        if index < len(self.rows):
            self.dismiss(self.rows[index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextPrompt(CallcheckModal[str | None]):
    """One line of text (a note, a reason): the app's one prompt; None when cancelled.

    Enter or OK keeps the text (refused while empty if `required`); Esc or
    Cancel gives None. The title may quote the form and the text is the
    tester's: neither is markup.
    """

    CSS_PATH = CSS_FILE
    BINDINGS: ClassVar[list[BindingType]] = [bind("cancel")]

    def __init__(self, title: str, value: str = "", *, required: bool = False) -> None:
        super().__init__()
        self.title_text, self.value, self.required = title, value, required

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Input(self.value, id="prompt-text")
            yield Label("", classes="error-line", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(tr("key.cancel", self.lang), id="cancel")
                yield Button(tr("ok", self.lang), id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#prompt-text", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = self.query_one("#prompt-text", Input).value.strip()
        if self.required and not text:
            self.app.bell()
            self.query_one(".error-line", Label).update(tr("prompt.empty", self.lang))
            return
        self.dismiss(text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviseDialog(CallcheckModal[tuple[Any, str, str] | None]):
    """A new value, and the reason for the change (required) and who made it.

    `editor` is the widget that takes the new value; `read` gets the value from
    it (None means the value is not complete yet). Dismisses with
    (value, reason, by), or None when cancelled; `check` may refuse a change
    (the dialog stays open and shows why).
    """

    CSS_PATH = CSS_FILE
    BINDINGS: ClassVar[list[BindingType]] = [bind("cancel")]

    def __init__(self, title: str, editor: Widget, read: Any, by: str = "",
                 allow_empty: bool = False, check: Any = None) -> None:
        super().__init__()
        self.check = check
        """(value, reason, by) → an error message to show, or None to accept."""
        self.title_text = title
        self.editor = editor
        self.read = read
        self.by = by
        self.allow_empty = allow_empty

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(classes="dialog"):
            yield Label(tr("revise.title", lang, what=self.title_text), classes="dialog-title",
                        markup=False)
            yield self.editor
            yield Label(tr("revise.reason", lang), markup=False)
            yield Input(id="revise-reason")
            yield Label(tr("revise.by", lang), markup=False)
            yield Input(self.by, id="revise-by")
            yield Label("", classes="error-line", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(tr("key.cancel", lang), id="cancel")
                yield Button(tr("ok", lang), id="ok", variant="primary")

    def on_mount(self) -> None:
        self.editor.focus()

    def show_error(self, message: str) -> None:
        self.query_one(".error-line", Label).update(message)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in the reason or the name keeps the change; Enter in the value being
        changed moves on to the reason, which the change needs next."""
        if event.input.id in ("revise-reason", "revise-by"):
            self._ok()
        else:
            self.query_one("#revise-reason", Input).focus()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        value = self.read()
        reason = self.query_one("#revise-reason", Input).value.strip()
        if value is None and not self.allow_empty:
            self.show_error(tr("form.pick", self.lang))
            return
        if not reason:
            self.show_error(tr("revise.reason_required", self.lang))
            self.query_one("#revise-reason", Input).focus()
            return
        by = self.query_one("#revise-by", Input).value.strip()
        if self.check is not None:
            problem = self.check(value, reason, by)
            if problem:
                self.show_error(problem)
                return
        self.dismiss((value, reason, by))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
