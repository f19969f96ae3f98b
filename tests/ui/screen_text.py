"""The text on screen, line by line, for tests that read what the tester would see."""

from __future__ import annotations

from textual.app import App


def screen_text(app: App) -> str:
    """Every line of the active screen as plain text (wide characters once)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)
