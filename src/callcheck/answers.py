"""One vocabulary of answers: what an item allows, how one reads, how a key moves it.

Every screen and the engine's notes use these, never their own copy: the
choices of an item in the order a key cycles them (`choices`, `next_answer`,
`previous_answer`, `adjust_answer`), every answer an item allows for a list
to pick from (`all_answers`), an answer in words in both languages
(`describe_answer`, `answer_msg`), the days of a reply-speed item and the
rings and seconds of a call as text (`days_text`, `measure_text`), and the
edits of a session's answers, notes and not-applicable reasons. Answers are
in their JSON form, as an observations file and a stored session hold them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .errors import Refused
from .i18n import Lang, Msg
from .rubric import Item, Rubric
from .timing import fmt_tenths

if TYPE_CHECKING:
    from .session import Session

YES, NO = Msg("是", "yes"), Msg("否", "no")


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer a key can pick: its JSON value, its label and the points it may range over."""

    value: Any
    label: Msg
    lo: int
    hi: int


def choices(item: Item) -> list[Choice]:
    """The answers of an item in the order one key cycles through them."""
    if item.kind == "yesno":
        out = [Choice(True, YES, item.points, item.points),
               Choice(False, NO, 0, 0)]
        out += [Choice({"points": o.points, "option": k}, o.label, o.points, o.points)
                for k, o in enumerate(item.options, 1)]
        return out
    if item.kind == "choice":
        return [Choice({"points": o.points, "option": k}, o.label, o.points, o.points)
                for k, o in enumerate(item.options, 1)]
    if item.kind == "band" and item.measure is None:
        return [Choice(b.max, b.label, b.min, b.max) for b in item.bands]
    if item.kind == "branch":
        return [Choice({"branch": br.id, "points": b.max},
                       Msg(f"{br.id}：{b.label.zh}", f"{br.id}: {b.label.en}"), b.min, b.max)
                for br in item.branches for b in br.bands]
    return []


def _points_of(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, dict) and isinstance(value.get("points"), int):
        return int(value["points"])
    return None


def choice_index(item: Item, value: Any) -> int | None:
    """Which of `choices(item)` an answer is (None when unanswered or not one of them)."""
    if value is None:
        return None
    options = choices(item)
    if item.kind in ("yesno", "choice"):
        first = 2 if item.kind == "yesno" else 0
        if item.kind == "yesno" and isinstance(value, bool):
            return 0 if value else 1
        if isinstance(value, dict) and isinstance(value.get("option"), int):
            n = first + value["option"] - 1
            return n if first <= n < len(options) else None
        points = _points_of(value)
        return next((n for n, c in enumerate(options)
                     if n >= first and c.value["points"] == points), None)
    points = _points_of(value)
    if points is None:
        return None
    for n, c in enumerate(options):
        if item.kind == "branch" and (not isinstance(value, dict)
                                      or value.get("branch") != c.value["branch"]):
            continue
        if c.lo <= points <= c.hi:
            return n
    return None


def next_answer(item: Item, value: Any) -> Any:
    """The answer after `value` in the item's cycle (the first one if unanswered)."""
    options = choices(item)
    if not options:
        raise Refused(Msg(f"{item.id} 不需作答", f"{item.id} takes no answer"))
    n = choice_index(item, value)
    return options[0 if n is None else (n + 1) % len(options)].value


def previous_answer(item: Item, value: Any) -> Any:
    """The answer before `value` in the item's cycle (the last one if unanswered)."""
    options = choices(item)
    if not options:
        raise Refused(Msg(f"{item.id} 不需作答", f"{item.id} takes no answer"))
    n = choice_index(item, value)
    return options[-1 if n is None else (n - 1) % len(options)].value


def adjust_answer(item: Item, value: Any, delta: int) -> Any:
    """Move the points inside the picked band by `delta`, staying inside it."""
    n = choice_index(item, value)
    if n is None:
        raise Refused(Msg(f"{item.id} 尚未選擇級距", f"{item.id}: pick a band first"))
    c = choices(item)[n]
    if c.lo == c.hi:
        raise Refused(Msg(f"{item.id} 此選項分數固定", f"{item.id}: this answer has fixed points"))
    points = _points_of(value)
    assert points is not None
    new = min(c.hi, max(c.lo, points + delta))
    if isinstance(value, dict):
        return {**value, "points": new}
    return new


def answer_points(item: Item, value: Any) -> int | None:
    """Points an answer gives before any rule's factor (None when unanswered)."""
    if value is None:
        return None
    if item.kind == "yesno" and isinstance(value, bool):
        return item.points if value else 0
    return _points_of(value)


def answer_msg(item: Item, value: Any) -> Msg:
    """An answer in words in both languages: 是 / 否, the option picked, or the band."""
    if value is None:
        return Msg("", "")
    n = choice_index(item, value)
    if n is None:
        return Msg(str(value), str(value))
    c = choices(item)[n]
    if c.lo != c.hi:
        points = _points_of(value)
        return Msg(f"{points} ({c.lo}–{c.hi}) {c.label.zh}", f"{points} ({c.lo}–{c.hi}) "
                   f"{c.label.en}")
    if item.kind == "yesno" and isinstance(value, bool):
        return c.label
    return Msg(f"({c.hi}) {c.label.zh}", f"({c.hi}) {c.label.en}")


def describe_answer(item: Item, value: Any, lang: Lang) -> str:
    """An answer in words in `lang` (see `answer_msg`)."""
    return answer_msg(item, value).get(lang)


def all_answers(item: Item) -> list[tuple[Msg, Any]]:
    """(label, JSON answer) for every answer an item allows, best first: every point of a band.

    For a list to pick from (the paper forms); a key cycles `choices` instead.
    """
    out: list[tuple[Msg, Any]] = []
    for c in choices(item):
        if c.lo == c.hi:
            out.append((c.label, c.value))
            continue
        for p in range(c.hi, c.lo - 1, -1):
            out.append((c.label, {**c.value, "points": p} if isinstance(c.value, dict) else p))
    return out


def same_answer(a: Any, b: Any) -> bool:
    """True when two JSON answers mean the same (points alone match a choice's option)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int) and isinstance(b, dict):
        return b.get("points") == a and "branch" not in b
    if isinstance(b, int) and isinstance(a, dict):
        return a.get("points") == b and "branch" not in a
    return a == b


def days_text(days: Fraction, cases: int = 0) -> Msg:
    """Days of a reply-speed item: `3 天`, or `2 件平均 4.5 天` for several cases."""
    shown = f"{float(days):.1f}".rstrip("0").rstrip(".")
    if cases > 1:
        return Msg(f"{cases} 件平均 {shown} 天", f"{cases} cases, mean {shown} days")
    return Msg(f"{shown} 天", f"{shown} day" + ("" if days == 1 else "s"))


def rings_text(rings: int) -> Msg:
    return Msg(f"{rings} 聲", f"{rings} ring" + ("" if rings == 1 else "s"))


def measure_text(rings: int | None, tenths: int | None) -> Msg:
    """Rings and seconds of a phase: `3 聲 / 7.0 秒` (`3 rings / 7.0 s`)."""
    parts = []
    if rings is not None:
        parts.append(rings_text(rings))
    if tenths is not None:
        parts.append(Msg(f"{fmt_tenths(tenths)} 秒", f"{fmt_tenths(tenths)} s"))
    return Msg(" / ".join(p.zh for p in parts), " / ".join(p.en for p in parts))


def cycle(rubric: Rubric, session: Session, item_id: str, step: int = 1) -> Any:
    """Answer the item with its next choice (`step` −1: the previous); returns the answer."""
    item = rubric.item(item_id)
    if item_id in session.na:
        raise Refused(Msg(f"{item_id} 已標示不適用", f"{item_id} is marked not applicable"))
    from .session import call_flags

    flags = call_flags(rubric, session)
    move = next_answer if step >= 0 else previous_answer
    value = move(item, session.answers.get(item_id))
    for _ in range(len(item.options)):  # skip an option the call rules out (無忙線情形)
        option = value.get("option") if isinstance(value, dict) else None
        if not (option and item.options[option - 1].not_when in flags):
            break
        value = move(item, value)
    session.answers[item_id] = value
    return value


def adjust(rubric: Rubric, session: Session, item_id: str, delta: int) -> Any:
    item = rubric.item(item_id)
    session.answers[item_id] = adjust_answer(item, session.answers.get(item_id), delta)
    return session.answers[item_id]


def set_note(session: Session, item_id: str, text: str) -> None:
    """The tester's note on an item (評核紀錄事項); empty text removes it."""
    text = text.strip()
    if text:
        session.notes[item_id] = text
    else:
        session.notes.pop(item_id, None)


def set_na(session: Session, item_id: str, reason: str) -> None:
    """Mark an item not applicable: the reason is required (the form's 紀錄事項)."""
    reason = reason.strip()
    if not reason:
        raise Refused(Msg("不適用須寫明理由", "not applicable needs a reason"))
    session.na[item_id] = reason
    session.answers.pop(item_id, None)


def clear_na(session: Session, item_id: str) -> None:
    session.na.pop(item_id, None)
