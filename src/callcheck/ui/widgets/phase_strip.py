"""The phases of the call in a row, each with how it went so far."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...i18n import Lang
from ...live import LiveCall
from ...timing import fmt_tenths
from ..strings import tr


def measure_text(rings: int | None, tenths: int | None, lang: Lang) -> str:
    """3 聲 / 7.0 秒 (3 rings / 7.0 s)."""
    parts = []
    if rings is not None:
        parts.append(f"{rings} 聲" if lang == "zh" else f"{rings} ring" + ("" if rings == 1
                                                                          else "s"))
    if tenths is not None:
        parts.append(f"{fmt_tenths(tenths)} " + ("秒" if lang == "zh" else "s"))
    return " / ".join(parts)


class PhaseStrip(Static):
    """語音系統 ✓ 2 聲 / 4.1 秒 ▸ ● 總機人員 ▸ 業務單位."""

    def show(self, call: LiveCall, lang: Lang) -> None:
        state = call.state
        text = Text()
        for n, ph in enumerate(state.phases):
            if n:
                text.append("  ▸  ", style="dim")
            label = call.phase_label(ph.phase).get(lang)
            if ph.outcome == "answered":
                text.append(f"✓ {label} ", style="green")
                text.append(measure_text(ph.ring_count, ph.elapsed_tenths(0.0), lang),
                            style="green")
            elif ph.outcome is not None:
                what = "auto_transfer" if ph.auto_transfer else ph.outcome
                text.append(f"✗ {label} {tr(f'live.outcome.{what}', lang)}", style="bold red")
            elif n == state.current and call.started and not state.ended:
                text.append(f"● {label}", style="bold reverse")
            else:
                text.append(label, style="dim")
        self.update(text)
