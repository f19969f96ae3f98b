"""The phases of the call in a row, each with how it went so far."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...answers import measure_text
from ...i18n import Lang
from ...live import LiveCall
from ...words import tr


class PhaseStrip(Static):
    """語音系統 ✓ 2 聲 / 4.1 秒 ▸ ● 總機人員 ▸ 業務單位 (忙線 / 斷線 where they happened)."""

    def show(self, call: LiveCall, lang: Lang) -> None:
        state = call.state
        text = Text()
        for n, ph in enumerate(state.phases):
            if n:
                text.append("  ▸  ", style="dim")
            label = call.phase_label(ph.phase).get(lang)
            if ph.outcome == "answered":
                text.append(f"✓ {label} ", style="green")
                text.append(measure_text(ph.ring_count, ph.elapsed_tenths(0.0)).get(lang),
                            style="green")
            elif ph.outcome is not None:
                what = "auto_transfer" if ph.auto_transfer else ph.outcome
                text.append(f"✗ {label} {tr(f'live.outcome.{what}', lang)}", style="bold red")
            elif n == state.current and call.started and not state.ended:
                text.append(f"● {label}", style="bold reverse")
            else:
                text.append(label, style="dim")
            for flag in ("busy", "dropped"):  # 忙線 / 斷線, as the timeline says them
                if getattr(ph, flag):
                    text.append(f" {tr(f'mark.{flag}', lang)}", style="bold yellow")
        self.update(text)
