"""Editing one item's answer, whatever its kind, from the rubric alone.

`answer_choices` words the answers an item allows (`answers.all_answers`:
yes/no and the form's conditional options, a choice's options, every point
of every band or branch) for a list; `AnswerInput` picks one. `CasesEditor`
takes the sampled cases of a reply-speed item (`measure = "days"`) and
shows, live, the days, the band and the points allowed. Values are answers
in their JSON form, as stored in a session and read by
`observations.parse_answer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Select

from ...answers import all_answers, answer_points, days_text, same_answer
from ...errors import InputError
from ...history import parse_day
from ...i18n import Lang
from ...observations import DaysAnswer, parse_answer
from ...rubric import Band, Item
from ...scoring import days_band
from ...words import tr


def answer_choices(item: Item, lang: Lang) -> list[tuple[str, Any]]:
    """(label, JSON answer) for every answer the item allows, best first (`all_answers`)."""
    out: list[tuple[str, Any]] = []
    for label, value in all_answers(item):
        points = answer_points(item, value)
        if item.kind == "yesno":
            out.append((f"{label.get(lang)}（{points}）", value))
        else:
            out.append((f"{tr('form.points_given', lang, points=points)}　{label.get(lang)}",
                        value))
    return out


class AnswerInput(Select[int]):
    """A Select over an item's allowed answers; `answer` is the chosen JSON answer."""

    def __init__(self, item: Item, lang: Lang, value: Any = None, *, id: str | None = None,
                 compact: bool = False) -> None:
        self.item = item
        self.choices = answer_choices(item, lang)
        selected = next((n for n, (_, v) in enumerate(self.choices) if value is not None
                         and same_answer(v, value)), None)
        super().__init__([(Text(label), n) for n, (label, _) in enumerate(self.choices)],
                         prompt=tr("form.pick", lang),
                         value=selected if selected is not None else Select.NULL,
                         id=id, compact=compact)

    @property
    def answer(self) -> Any:
        value = self.value
        return self.choices[value][1] if isinstance(value, int) else None


class CasesEditor(Vertical):
    """Sampled cases (date received, date replied) → days, band and allowed points, live."""

    DEFAULT_CSS = """
    CasesEditor {
        height: auto;
        padding: 0 0 0 2;
    }
    CasesEditor .case {
        height: 1;
    }
    CasesEditor .case Input {
        width: 16;
        margin-right: 2;
    }
    CasesEditor .days-line {
        height: 1;
    }
    CasesEditor .days-line Input {
        width: 16;
    }
    CasesEditor .preview {
        color: $text-primary;
        text-style: bold;
    }
    CasesEditor .preview.-error {
        color: $text-error;
        text-style: none;
    }
    CasesEditor Select {
        width: 40;
    }
    CasesEditor Button {
        min-width: 12;
        height: 1;
        border: none;
    }
    """

    @dataclass(eq=False)
    class Changed(Message):
        """The cases or the points changed; `answer` is None while incomplete."""

        editor: CasesEditor
        answer: dict[str, Any] | None

        @property
        def control(self) -> CasesEditor:
            return self.editor

    MAX_CASES: ClassVar[int] = 20

    def __init__(self, item: Item, lang: Lang, value: dict[str, Any] | None = None, *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.item = item
        self.lang: Lang = lang
        value = value or {}
        self._initial_cases: list[list[str]] = [list(c) for c in value.get("cases", [])] or \
            [["", ""]]
        self._initial_days = "" if "days" not in value else str(value["days"])
        self._initial_points: int | None = value.get("points")
        self.band: Band | None = None
        self.days: Fraction | None = None
        self.answer: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Label(tr("form.cases", lang), markup=False)
        for received, replied in self._initial_cases:
            yield self._case_row(received, replied)
        yield Button(f"+ {tr('form.add_case', lang)}", classes="add-case", compact=True)
        with Horizontal(classes="days-line"):
            yield Label(("或直接輸入天數　" if lang == "zh" else "or the number of days  "),
                        markup=False)
            yield Input(self._initial_days, placeholder=("天數" if lang == "zh" else "days"),
                        classes="days", compact=True)
        yield Label(tr("form.days_none", lang), classes="preview", markup=False)
        yield Select[int]([], prompt=tr("form.points", lang), classes="points", compact=True,
                          disabled=True)

    def _case_row(self, received: str = "", replied: str = "") -> Horizontal:
        return Horizontal(
            Input(received, placeholder=tr("form.received", self.lang), classes="received",
                  compact=True),
            Input(replied, placeholder=tr("form.replied", self.lang), classes="replied",
                  compact=True),
            classes="case")

    def on_mount(self) -> None:
        self._update(initial=True)

    @on(Button.Pressed, ".add-case")
    def add_case(self) -> None:
        if len(self.query(".case")) >= self.MAX_CASES:
            return
        row = self._case_row()
        self.mount(row, before=self.query_one(".add-case"))
        self.call_after_refresh(lambda: row.query_one(".received", Input).focus())

    def cases(self) -> list[list[str]]:
        """The cases typed so far (rows left empty are skipped), as typed."""
        out = []
        for row in self.query(".case"):
            received = row.query_one(".received", Input).value.strip()
            replied = row.query_one(".replied", Input).value.strip()
            if received or replied:
                out.append([received, replied])
        return out

    def iso_cases(self) -> list[list[str]]:
        """The cases as ISO dates (ROC dates such as 115/10/01 are accepted when typing).

        Raises InputError with the tester's wording when a case is incomplete,
        not a date, or replied before it was received.
        """
        out = []
        for n, (received, replied) in enumerate(self.cases(), 1):
            dates = []
            for text in (received, replied):
                if not text:
                    raise InputError("", tr("form.case_error", self.lang, n=n,
                                            message=tr("form.days_none", self.lang)))
                try:
                    dates.append(parse_day(text))
                except ValueError:
                    raise InputError("", tr("form.case_error", self.lang, n=n, message=tr(
                        "form.case_bad_date", self.lang, text=text))) from None
            if dates[1] < dates[0]:
                raise InputError("", tr("form.case_error", self.lang, n=n,
                                        message=tr("form.case_order", self.lang)))
            out.append([d.isoformat() for d in dates])
        return out

    def _parsed(self) -> DaysAnswer | None:
        """The days from the cases (or the days typed), or None; a typing error shows."""
        preview = self.query_one(".preview", Label)
        preview.set_class(False, "-error")
        days_typed = self.query_one(".days", Input).value.strip()
        try:
            cases = self.iso_cases()
            if cases:
                parsed = parse_answer({"cases": cases, "points": 0}, "cases")
            elif days_typed:
                try:
                    days = float(days_typed)
                    parsed = parse_answer({"days": days, "points": 0}, "days")
                except (ValueError, InputError):
                    raise InputError("", tr("form.days_bad", self.lang)) from None
            else:
                preview.update(tr("form.days_none", self.lang))
                return None
        except InputError as exc:
            preview.set_class(True, "-error")
            preview.update(exc.message)
            return None
        assert isinstance(parsed, DaysAnswer)
        return parsed

    def _update(self, initial: bool = False) -> None:
        parsed = self._parsed()
        points = self.query_one(".points", Select)
        if parsed is None:
            self.band = self.days = self.answer = None
            points.disabled = True
            self.post_message(self.Changed(self, None))
            return
        band = days_band(self.item, parsed.days)
        self.days = parsed.days
        self.query_one(".preview", Label).update(tr(
            "form.days", self.lang, days=days_text(parsed.days, len(parsed.cases)).get(self.lang),
            band=band.label.get(self.lang), span=band.span()))
        if band != self.band:
            self.band = band
            keep = self._initial_points if initial else None
            values = list(range(band.max, band.min - 1, -1))
            with self.prevent(Select.Changed):
                points.set_options([(f"{p}", p) for p in values])
                points.value = keep if keep in values else values[0]
        points.disabled = False
        self._emit()

    def _emit(self) -> None:
        points = self.query_one(".points", Select).value
        cases = self.iso_cases() if self.band is not None else []
        if self.band is None or not isinstance(points, int):
            self.answer = None
        elif cases:
            self.answer = {"cases": cases, "points": points}
        else:
            days = float(self.query_one(".days", Input).value.strip())
            self.answer = {"days": int(days) if days.is_integer() else days, "points": points}
        self.post_message(self.Changed(self, self.answer))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._update()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()

    @on(Select.Changed, ".points")
    def _points(self, event: Select.Changed) -> None:
        event.stop()
        self._emit()
