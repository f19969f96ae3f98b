"""The big stopwatch of the phase in progress: seconds, rings, points, and the warnings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Label

from ...i18n import Lang
from ...live import PhaseView
from ...rubric import Timing
from ...timing import fmt_tenths
from ...words import tr


class PhaseClock(Vertical):
    """Phase name, elapsed seconds to 0.1 s in large digits, rings marked / expected,
    points if answered now. Classes `-late` (answering now costs points) and
    `-may-hang-up` (unanswered threshold reached) colour it; `-answered` when done.
    """

    def compose(self) -> ComposeResult:
        yield Label("", id="clock-phase", markup=False)
        yield Digits("0.0", id="clock-digits")
        yield Label("", id="clock-rings", markup=False)
        yield Label("", id="clock-points", markup=False)
        yield Label("", id="clock-flag", markup=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: dict[str, str] = {}

    def _set(self, widget_id: str, text: str) -> None:
        """Update a part only when its text changes (an update costs a layout pass)."""
        if self._shown.get(widget_id) != text:
            self._shown[widget_id] = text
            part = self.query_one(f"#{widget_id}")
            assert isinstance(part, Digits | Label)
            part.update(text)

    def show(self, view: PhaseView, timing: Timing, lang: Lang) -> None:
        """Ten times a second: what changed since the last time."""
        self._set("clock-phase", f"{view.index + 1}/{view.count}　{view.label.get(lang)}")
        self._set("clock-digits", fmt_tenths(view.tenths) if view.tenths is not None else "0.0")
        cadence = fmt_tenths(view.cadence_tenths).removesuffix(".0")
        if view.tenths is None:
            rings = tr("live.rings_none", lang)
        else:
            rings = tr("live.rings", lang, rings=view.rings, expected=view.expected_rings,
                       cadence=cadence)
            if view.rings_behind:
                rings += tr("live.rings_behind", lang, used=view.rings_used)
        if view.cadence_proposal is not None:
            rings += "\n" + tr("live.cadence_proposal", lang,
                               cadence=fmt_tenths(view.cadence_proposal))
        self._set("clock-rings", rings)
        points = ""
        if view.points is not None and view.points_max is not None:
            key = "live.points_now" if view.outcome is None else "live.points_got"
            points = tr(key, lang, points=view.points, max=view.points_max)
            if view.factor_reason is not None:
                points += f"（{view.factor_reason.get(lang)}）"
        self._set("clock-points", points)
        flag = ""
        if view.unanswered_reached:
            flag = tr("live.may_hang_up", lang, rings=timing.unanswered_rings,
                      seconds=fmt_tenths(timing.unanswered_tenths).removesuffix(".0"))
        elif view.past_full_marks:
            flag = tr("live.late", lang, rings=timing.full_marks_rings,
                      seconds=fmt_tenths(timing.full_marks_tenths).removesuffix(".0"))
        elif view.busy and view.outcome is None:
            flag = tr("live.busy", lang)
        elif view.outcome is not None:
            what = "auto_transfer" if view.auto_transfer else view.outcome
            flag = tr(f"live.outcome.{what}", lang)
        elif view.tenths is None:
            flag = tr("live.waiting", lang)
        self._set("clock-flag", flag)
        self.set_class(view.past_full_marks and not view.unanswered_reached, "-late")
        self.set_class(view.unanswered_reached, "-may-hang-up")
        self.set_class(view.outcome == "answered", "-answered")
        self.set_class(view.outcome is not None and view.outcome != "answered", "-ended")
