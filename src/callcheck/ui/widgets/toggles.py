"""Radio buttons and checkboxes that read without colour: the mark itself says on or off.

Textual draws the same ● (radio) or X (checkbox) for on and off and tells them apart
by colour only; a tester on a monochrome terminal, or who cannot tell the colours
apart, could not see which route is chosen.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class Radio(RadioButton):
    """● when chosen, ○ when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 (Textual's name)
        return "●" if self.value else "○"


class Check(Checkbox):
    """✓ when ticked, blank when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 (Textual's name)
        return "✓" if self.value else " "
