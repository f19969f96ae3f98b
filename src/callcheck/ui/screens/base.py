"""What every callcheck screen shares: the app's language, its store, keys in that language."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from ...i18n import Lang
from ..bindings import localize

if TYPE_CHECKING:
    from ..app import CallcheckApp



CSS_DIR = Path(__file__).parent.parent / "css"
"""Each screen's stylesheet, loaded when the screen is first shown."""

class CallcheckScreen(Screen[None]):
    """Made while the app runs (its keys take the app's language before the footer shows)."""

    def __init__(self) -> None:
        super().__init__()
        localize(self, self.lang)

    @property
    def cc(self) -> CallcheckApp:
        return cast("CallcheckApp", self.app)

    @property
    def lang(self) -> Lang:
        return self.cc.lang
