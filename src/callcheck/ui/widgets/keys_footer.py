"""The footer of every screen: Textual's compact footer, rebuilt only when its keys change.

Textual's `Footer` removes and rebuilds all its keys whenever the bindings may have changed:
each focus change, each dialog closing, each `refresh_bindings`. Each rebuilt key then
restyles itself once mounted to become compact. Most of those rebuilds show the same keys
again, and a rebuild costs more than anything else a key press does on the live screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

Shown = tuple[tuple[Binding, bool, str], ...]


class KeysFooter(Footer):
    """A compact footer whose keys are built compact, and only rebuilt when they would
    differ: a key added or gone, enabled or disabled, or its words changed."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._built: Shown | None = None

    def _shown(self) -> Shown | None:
        """What `Footer.compose` would show now (None: the bindings are not ready yet)."""
        if not self._bindings_ready:
            return None
        return tuple((binding, enabled, tooltip)
                     for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
                     if binding.show)

    def compose(self) -> ComposeResult:
        self._built = self._shown()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.add_class("-compact", update=False)  # not restyled once mounted
            yield widget

    async def recompose(self) -> None:
        if not self.is_attached or self._pruning:
            return  # as Footer does: a footer leaving with its screen builds nothing
        if self._built is not None and self._shown() == self._built:
            return
        await super().recompose()
