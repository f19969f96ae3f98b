"""The attempt's timeline as it is marked: seconds, what, phase (undone marks struck out)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ...i18n import Lang
from ...live import LiveCall
from ...timing import fmt_tenths, to_tenths
from ...words import tr


class TimelineLog(Widget):
    """The latest marks of the attempt, as many as fit, newest at the bottom."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = Text("")
        self.lines: list[Text] = []

    def show(self, call: LiveCall, lang: Lang) -> None:
        attempt = call.attempt
        kept = {id(m) for m in call.state.effective}
        self.title = Text(tr("live.timeline", lang), style="bold")
        self.lines = []
        for m in attempt.marks if attempt is not None else []:
            line = Text(f"{fmt_tenths(to_tenths(m.t)):>7} ")
            undone = id(m) not in kept and m.kind != "undo"
            what = tr(f"mark.{m.kind}", lang)
            if m.value is not None:
                what += f" {m.value:g} " + tr("live.seconds", lang)
            line.append(what, style="strike dim" if undone else "bold")
            line.append(f"  {call.phase_label(m.phase).get(lang)}", style="dim")
            self.lines.append(line)
        self.refresh()

    def render(self) -> Text:
        fit = max(0, self.size.height - 1)
        shown = self.lines[-fit:] if fit else []
        return Text("\n").join([self.title, *shown])
