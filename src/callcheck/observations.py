"""Observations: what a tester saw and heard, in the shape of docs/scoring.md §4.

`parse_observations` turns the JSON of an observations file into typed values
and rejects malformed input with the dotted path of the offending field. The
rules of the form (what may be answered, what a retest needs) are checked by
`scoring.score`, which knows the rubric.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeGuard

import pendulum

from .dates import iso, parse_date, parse_datetime
from .errors import InputError
from .timing import to_tenths

PHASE_OUTCOMES = ("answered", "unanswered", "out_of_order")
META_KEYS = ("agency", "unit", "number", "tester", "at")
TOP_KEYS = ("rubric", "meta", "context", "phases", "answers", "na", "notes")


@dataclass(frozen=True, slots=True)
class Context:
    """How the agency was reached: the main number or a direct line, and what answers it."""

    route: str = "switchboard"
    has_ivr: bool = True
    has_operator: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"route": self.route, "has_ivr": self.has_ivr, "has_operator": self.has_operator}


@dataclass(frozen=True, slots=True)
class PhaseObs:
    """One phase of the scored attempt: how it ended, rings heard, seconds to answer."""

    outcome: str
    rings: int | None = None
    tenths: int | None = None
    attempts: tuple[pendulum.DateTime, ...] = ()
    auto_transfer: bool = False
    cadence_tenths: int | None = None
    """The phase's own seconds between rings (None: the rubric's cadence)."""
    busy: bool = False
    """The line was busy (忙線); unanswered then needs no 9-ring / 20-second threshold."""
    dropped: bool = False
    """The line dropped (斷線) after the phase answered, ending the call."""
    rings_corrected: bool = False
    """The tester corrected the ring count (a revision with a reason): used as it stands."""

    @property
    def seconds(self) -> float | None:
        return None if self.tenths is None else self.tenths / 10

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"outcome": self.outcome}
        if self.rings is not None:
            d["rings"] = self.rings
        if self.tenths is not None:
            d["seconds"] = self.tenths / 10
        if self.attempts:
            d["attempts"] = [iso(a) for a in self.attempts]
        if self.auto_transfer:
            d["auto_transfer"] = True
        if self.cadence_tenths is not None:
            d["cadence"] = self.cadence_tenths / 10
        if self.busy:
            d["busy"] = True
        if self.dropped:
            d["dropped"] = True
        return d


@dataclass(frozen=True, slots=True)
class ChoiceAnswer:
    """A choice answered by its option (1-based), so the note names what was picked."""

    points: int
    option: int | None = None


@dataclass(frozen=True, slots=True)
class BranchAnswer:
    branch: str
    points: int


@dataclass(frozen=True, slots=True)
class DaysAnswer:
    """Reply speed: sampled cases (received, replied) or a number of days, and the points."""

    points: int
    days: Fraction
    cases: tuple[tuple[dt.date, dt.date], ...] = ()


Answer = bool | int | ChoiceAnswer | BranchAnswer | DaysAnswer


@dataclass(frozen=True)
class Observations:
    rubric: str
    meta: dict[str, str] = field(default_factory=dict)
    context: Context | None = None
    phases: dict[str, PhaseObs] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    na: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def _is_int(v: Any) -> TypeGuard[int]:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        what = "must" if path else "the observations must"
        raise InputError(path, f"{what} be a JSON object, got {_kind(value)}")
    return value


MAX_RINGS = 1_200
"""The most rings a phase may report: an hour of ringing at the 3-second cadence."""
MAX_SECONDS = 3_600
"""The longest a phase may last before an answer: one hour."""
MAX_CADENCE = 60
MAX_DAYS = 3_650
"""The longest a petition may have waited for its reply: ten years."""


def unfit_json(value: Any) -> tuple[str, str] | None:
    """(dotted path, problem) of the first value JSON does not allow that Python's reader
    lets through: NaN or Infinity, or a text that is not valid Unicode (a lone surrogate)."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return where or "(top level)", f"{_show(item)} is not a number JSON allows"
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return where or "(top level)", "not valid Unicode text (a lone surrogate)"
        elif isinstance(item, dict):
            for k, v in reversed(item.items()):
                stack.append((v, f"{where}.{k}" if where else str(k)))
                stack.append((k, where))
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{n}]") for n, v in reversed(list(enumerate(item))))
    return None


def _show(v: Any) -> str:
    """A value as the input wrote it (JSON), cut short: never a Python repr, never a file."""
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")
    try:
        text = json.dumps(v, ensure_ascii=False)
    except (TypeError, ValueError):
        text = _kind(v)
    return text if len(text) <= 60 else text[:57] + "…"


def _finite(v: Any) -> bool:
    return _is_num(v) and math.isfinite(v)


def _kind(v: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", str: "a string",
            list: "a list", dict: "an object", type(None): "null"}.get(type(v), type(v).__name__)


def _only(d: dict[str, Any], path: str, allowed: tuple[str, ...]) -> None:
    for k in d:
        if k not in allowed:
            name = k if len(k) <= 40 else k[:37] + "…"
            raise InputError(f"{path}.{name}" if path else name,
                             f"unknown field (expected one of: {', '.join(allowed)})")


def parse_meta(value: Any) -> dict[str, str]:
    meta = _obj(value, "meta")
    _only(meta, "meta", META_KEYS)
    out: dict[str, str] = {}
    for k, v in meta.items():
        if v is None:
            continue
        if not isinstance(v, str):
            raise InputError(f"meta.{k}", f"must be a string, got {_kind(v)}")
        if k == "at":
            try:
                out[k] = iso(parse_datetime(v))
            except ValueError as exc:
                raise InputError("meta.at", str(exc)) from None
        else:
            out[k] = v.strip()
    return out


def parse_context(value: Any) -> Context:
    ctx = _obj(value, "context")
    _only(ctx, "context", ("route", "has_ivr", "has_operator"))
    route = ctx.get("route", "switchboard")
    if route not in ("switchboard", "direct"):
        raise InputError("context.route", f"must be \"switchboard\" or \"direct\", "
                         f"got {_show(route)}")
    flags = {}
    for k in ("has_ivr", "has_operator"):
        v = ctx.get(k, True)
        if not isinstance(v, bool):
            raise InputError(f"context.{k}", f"must be true or false, got {_kind(v)}")
        flags[k] = v
    return Context(route, flags["has_ivr"], flags["has_operator"])


def parse_phase(value: Any, path: str) -> PhaseObs:
    ph = _obj(value, path)
    _only(ph, path, ("outcome", "rings", "seconds", "attempts", "auto_transfer", "cadence",
                     "busy", "dropped"))
    outcome = ph.get("outcome")
    if outcome not in PHASE_OUTCOMES:
        raise InputError(f"{path}.outcome",
                         f"must be one of {', '.join(PHASE_OUTCOMES)}, got {_show(outcome)}")
    rings = ph.get("rings")
    if rings is not None and (not _is_int(rings) or not 0 <= rings <= MAX_RINGS):
        raise InputError(f"{path}.rings", f"must be a whole number of rings from 0 to "
                         f"{MAX_RINGS}, got {_show(rings)}")
    seconds = ph.get("seconds")
    if seconds is not None and (not _finite(seconds) or not 0 <= seconds <= MAX_SECONDS):
        raise InputError(f"{path}.seconds", f"must be a number of seconds from 0 to "
                         f"{MAX_SECONDS}, got {_show(seconds)}")
    if outcome == "answered" and rings == 0:
        raise InputError(f"{path}.rings", "an answered phase rang at least once "
                         "(the ring during which it was answered counts)")
    busy = ph.get("busy", False) is True
    if outcome in ("answered", "unanswered") and rings is None and seconds is None \
            and not (busy and outcome == "unanswered"):
        raise InputError(f"{path}.rings", f"an {outcome} phase needs rings, seconds or both")
    attempts_raw = ph.get("attempts", [])
    if not isinstance(attempts_raw, list):
        raise InputError(f"{path}.attempts", "must be a list of ISO 8601 times")
    attempts = []
    for n, a in enumerate(attempts_raw):
        try:
            attempts.append(parse_datetime(a))
        except ValueError as exc:
            raise InputError(f"{path}.attempts[{n}]", str(exc)) from None
    flags = {}
    for key in ("auto_transfer", "busy", "dropped"):
        flag = ph.get(key, False)
        if not isinstance(flag, bool):
            raise InputError(f"{path}.{key}", f"must be true or false, got {_kind(flag)}")
        flags[key] = flag
    cadence = ph.get("cadence")
    if cadence is not None and (not _finite(cadence) or not 0 < cadence <= MAX_CADENCE):
        raise InputError(f"{path}.cadence", f"must be the seconds between two rings (at most "
                         f"{MAX_CADENCE}), got {_show(cadence)}")
    return PhaseObs(outcome, rings, None if seconds is None else to_tenths(seconds),
                    tuple(attempts), flags["auto_transfer"],
                    None if cadence is None else to_tenths(cadence), flags["busy"],
                    flags["dropped"])


def parse_answer(value: Any, path: str) -> Answer:
    if isinstance(value, bool) or _is_int(value):
        return value
    if isinstance(value, float):
        raise InputError(path, f"points are whole numbers, got {value}")
    if not isinstance(value, dict):
        raise InputError(path, f"must be true/false, points, or an object; got {_kind(value)}")
    points = value.get("points")
    if not _is_int(points):
        raise InputError(f"{path}.points", f"must be whole points, got {_show(points)}")
    if "branch" in value:
        _only(value, path, ("branch", "points"))
        branch = value["branch"]
        if not isinstance(branch, str):
            raise InputError(f"{path}.branch",
                             f"must be a string such as \"甲\", got {_kind(branch)}")
        return BranchAnswer(branch, points)
    if "days" in value or "cases" in value:
        _only(value, path, ("days", "cases", "points"))
        if "days" in value and "cases" in value:
            raise InputError(f"{path}.days", "give either days or cases, not both")
        if "days" in value:
            days = value["days"]
            if not _finite(days) or not 0 <= days <= MAX_DAYS:
                raise InputError(f"{path}.days", f"must be a number of days from 0 to "
                                 f"{MAX_DAYS}, got {_show(days)}")
            return DaysAnswer(points, Fraction(str(days)))
        cases_raw = value["cases"]
        if not isinstance(cases_raw, list) or not cases_raw:
            raise InputError(f"{path}.cases", "must be a non-empty list of [received, replied]")
        cases = []
        for n, case in enumerate(cases_raw):
            cpath = f"{path}.cases[{n}]"
            if not isinstance(case, list) or len(case) != 2:
                raise InputError(cpath, "must be [received, replied] dates (YYYY-MM-DD)")
            try:
                received, replied = parse_date(case[0]), parse_date(case[1])
            except ValueError as exc:
                raise InputError(cpath, str(exc)) from None
            if replied < received:
                raise InputError(cpath, f"replied {replied} is before received {received}")
            cases.append((received, replied))
        total = sum((rep - rec).days for rec, rep in cases)
        return DaysAnswer(points, Fraction(total, len(cases)), tuple(cases))
    _only(value, path, ("points", "option"))
    option = value.get("option")
    if option is not None and (not _is_int(option) or option < 1):
        raise InputError(f"{path}.option", f"must be an option number from 1, got "
                         f"{_show(option)}")
    return ChoiceAnswer(points, option)


def parse_observations(data: Any) -> Observations:
    """Typed observations from the JSON of an observations file (docs/scoring.md §4)."""
    top = _obj(data, "")
    _only(top, "", TOP_KEYS)
    rubric = top.get("rubric")
    if rubric is None or rubric == "":
        raise InputError("rubric", "missing: name the form, e.g. \"telephone\"")
    if not isinstance(rubric, str):
        raise InputError("rubric", f"must be the form's name as a string, e.g. "
                         f"\"telephone\", got {_show(rubric)}")
    meta = parse_meta(top["meta"]) if "meta" in top else {}
    context = parse_context(top["context"]) if "context" in top else None
    phases = {k: parse_phase(v, f"phases.{k}")
              for k, v in _obj(top.get("phases", {}), "phases").items()}
    answers = {k: parse_answer(v, f"answers.{k}")
               for k, v in _obj(top.get("answers", {}), "answers").items()}
    na: dict[str, str] = {}
    for k, v in _obj(top.get("na", {}), "na").items():
        if not isinstance(v, str) or not v.strip():
            raise InputError(f"na.{k}", "a reason is required (the form's 紀錄事項)")
        na[k] = v.strip()
    notes: dict[str, str] = {}
    for k, v in _obj(top.get("notes", {}), "notes").items():
        if not isinstance(v, str):
            raise InputError(f"notes.{k}", f"must be a string, got {_kind(v)}")
        notes[k] = v
    return Observations(rubric, meta, context, phases, answers, na, notes)


def answer_to_json(answer: Answer) -> Any:
    """The JSON form of an answer, as parse_answer reads it."""
    if isinstance(answer, bool | int):
        return answer
    if isinstance(answer, ChoiceAnswer):
        return ({"points": answer.points} if answer.option is None
                else {"points": answer.points, "option": answer.option})
    if isinstance(answer, BranchAnswer):
        return {"branch": answer.branch, "points": answer.points}
    if answer.cases:
        return {"cases": [[a.isoformat(), b.isoformat()] for a, b in answer.cases],
                "points": answer.points}
    days = answer.days
    return {"days": int(days) if days.denominator == 1 else float(days), "points": answer.points}


def observations_to_json(obs: Observations) -> dict[str, Any]:
    """The observations file for `obs`: parse_observations(observations_to_json(o)) == o."""
    out: dict[str, Any] = {"rubric": obs.rubric}
    if obs.meta:
        out["meta"] = dict(obs.meta)
    if obs.context is not None:
        out["context"] = obs.context.as_dict()
    if obs.phases:
        out["phases"] = {k: v.as_dict() for k, v in obs.phases.items()}
    out["answers"] = {k: answer_to_json(v) for k, v in obs.answers.items()}
    if obs.na:
        out["na"] = dict(obs.na)
    if obs.notes:
        out["notes"] = dict(obs.notes)
    return out
