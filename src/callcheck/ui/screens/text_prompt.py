"""A line of text asked for in a modal: a tester's note, or a required reason."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ...i18n import Lang
from ..bindings import localize
from ..strings import tr
from .base import CSS_DIR


class TextPrompt(ModalScreen[str | None]):
    """Enter keeps the text (refused while empty if `required`); Esc cancels (None).

    The title may quote the form and the text is the tester's: neither is markup.
    """

    CSS_PATH = CSS_DIR / "prompt.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, title: str, value: str, lang: Lang, *, required: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.lang = lang
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(id="text-prompt"):
            yield Label(self.title_text, markup=False, classes="title")
            yield Input(self.value, id="text-prompt-input")
            yield Label("", markup=False, id="text-prompt-error")

    def on_mount(self) -> None:
        localize(self, self.lang)
        self.refresh_bindings()
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.required and not text:
            self.app.bell()
            self.query_one("#text-prompt-error", Label).update(tr("prompt.empty", self.lang))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
