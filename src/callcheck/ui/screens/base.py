"""What every callcheck screen shares: the app's language, store and forms, keys in that language.

Every screen and every modal of the app derives from `CallcheckScreen` or
`CallcheckModal` (the same house rules, over Textual's `Screen` and
`ModalScreen`). A screen is made while the app runs: its keys take the app's
language before the footer shows them.

Styles: each screen's own rules live in `ui/css/<screen>.tcss` (its
`CSS_PATH`, parsed when the screen is first shown); rules every screen uses are
in `ui/callcheck.tcss`; a reusable widget keeps its defaults in its own
`DEFAULT_CSS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.widgets._toast import ToastRack

from ...errors import Refused
from ...i18n import Lang, Msg
from ..bindings import localize

if TYPE_CHECKING:
    from ...rubric import Rubric
    from ...store import Store
    from ..app import CallcheckApp


CSS_DIR = Path(__file__).parent.parent / "css"
"""Each screen's stylesheet, loaded when the screen is first shown."""

R = TypeVar("R")


class House:
    """The app's language, store and forms, as every screen reads them."""

    app: App[object]  # an annotation only: the Textual screen provides it

    @property
    def cc(self) -> CallcheckApp:
        return cast("CallcheckApp", self.app)

    @property
    def lang(self) -> Lang:
        return self.cc.lang

    @property
    def store(self) -> Store:
        return self.cc.store

    @property
    def rubrics(self) -> Mapping[str, Rubric]:
        return self.cc.rubrics

    def keys_now(self) -> set[str]:
        """The keys that work at this moment, as F1 lists them undimmed (the footer, short of
        room, may show fewer): by default those of the bindings active now."""
        return set(cast(Screen, self).active_bindings)


class CallcheckScreen(House, Screen[R]):
    """A full screen of the app."""

    NOTICES_BELOW: ClassVar[str | None] = None
    """The id of the widget below which the screen's notices take rows of their own (it
    gets shorter while they show) instead of floating over the screen's top right, where at
    80×24 they would hide the first lines (History's filters, the detail's score)."""

    def __init__(self) -> None:
        super().__init__()
        localize(self, self.lang)
        if self.NOTICES_BELOW is not None:
            self.add_class("-notices-below")

    def on_mount(self) -> None:
        if self.NOTICES_BELOW is not None:
            below = self.query_one(f"#{self.NOTICES_BELOW}")
            for rack in self.query_children(ToastRack):  # none when the app shows no notices
                self.move_child(rack, after=below)


class CallcheckModal(House, ModalScreen[R]):
    """A dialog over the screen beneath."""

    def __init__(self) -> None:
        super().__init__()
        localize(self, self.lang)


class ChangesAnswers:
    """What the live and review screens share: a change to the answers is made or refused."""

    def refuse(self, reason: Msg) -> None:
        raise NotImplementedError

    def changed(self) -> None:
        raise NotImplementedError

    def _apply(self, change: Callable[[], object]) -> None:
        """Make `change`: refused, say why (`refuse`); made, save and show it (`changed`)."""
        try:
            change()
        except Refused as refused:
            self.refuse(refused.reason)
            return
        self.changed()
