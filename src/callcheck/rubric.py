"""Rubric files: the paper forms as data, loaded and validated.

A rubric is a TOML file in `rubrics/`. The code here interprets item *kinds*
(yesno, choice, band, branch, timed, derived), never item ids: a new year's
form needs a new file, not new code. Every problem found is reported with the
file, the item and the field, so a typo is found before a tester meets it.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import RubricError
from .i18n import Msg
from .timing import to_tenths

KINDS = ("yesno", "choice", "band", "branch", "timed", "derived")
ANSWERED_KINDS = ("yesno", "choice", "band", "branch")
OPTION_UNLESS = ("busy",)
"""Phase flags an option may exclude itself under (`not_when`)."""
OUTCOMES = ("answered", "unanswered", "out_of_order", "auto_transfer")
EFFECTS = ("na", "double", "zero", "invalid")
CONTEXT_KEYS = {"route": ("switchboard", "direct"), "has_ivr": (True, False),
                "has_operator": (True, False)}
ROUTES = ("switchboard", "direct")
POLICIES = ("lesser", "greater", "rings", "seconds")
HEADER_TYPES = ("text", "date", "datetime")
_ID = re.compile(r"^[0-9]+(\.[0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Option:
    label: Msg
    points: int
    condition: bool = False
    """An option from the form's notes (毋需轉接…, 無忙線情形): full marks by condition."""
    not_when: str | None = None
    """A phase flag (`busy`) under which the option cannot be the answer (無忙線情形)."""


@dataclass(frozen=True, slots=True)
class Band:
    label: Msg
    min: int
    max: int
    upto: float | None = None
    """For a `measure` band: holds while the measure is <= upto."""
    below: float | None = None
    """For a `measure` band: holds while the measure is < below."""

    def holds(self, value: float) -> bool:
        if self.upto is not None:
            return value <= self.upto
        if self.below is not None:
            return value < self.below
        return True

    def span(self) -> str:
        return str(self.min) if self.min == self.max else f"{self.min}–{self.max}"


@dataclass(frozen=True, slots=True)
class SpeedBand:
    """A timed band: answered within `rings` or `tenths` earns `points`."""

    label: Msg
    rings: int | None
    tenths: int | None
    points: int


@dataclass(frozen=True, slots=True)
class Outcome:
    outcome: str
    label: Msg
    points: int


@dataclass(frozen=True, slots=True)
class Branch:
    id: str
    label: Msg
    bands: tuple[Band, ...]


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    label: Msg
    points: int
    kind: str
    phase: str | None = None
    note: Msg | None = None
    options: tuple[Option, ...] = ()
    bands: tuple[Band, ...] = ()
    speed_bands: tuple[SpeedBand, ...] = ()
    scale: str | None = None
    outcomes: tuple[Outcome, ...] = ()
    branches: tuple[Branch, ...] = ()
    measure: str | None = None

    @property
    def answered(self) -> bool:
        """True for items the tester answers (not timed or derived from the call)."""
        return self.kind in ANSWERED_KINDS

    def outcome(self, name: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.outcome == name), None)

    def branch(self, branch_id: str) -> Branch | None:
        return next((b for b in self.branches if b.id == branch_id), None)

    def condition_options(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.condition)


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    label: Msg
    points: int
    note: Msg | None = None


@dataclass(frozen=True, slots=True)
class Phase:
    id: str
    label: Msg
    route: str | None = None
    needs: str | None = None
    retest: bool = False
    auto_transfer: bool = False
    busy: bool = False
    """The line of this phase may be busy (忙線) after a transfer."""


@dataclass(frozen=True, slots=True)
class Rule:
    when: Mapping[str, Any]
    effect: str
    targets: tuple[str, ...]
    reason: Msg

    def applies(self, context: Mapping[str, Any]) -> bool:
        return all(context.get(k) == v for k, v in self.when.items())


@dataclass(frozen=True, slots=True)
class Timing:
    ring_cadence_tenths: int
    full_marks_rings: int
    full_marks_tenths: int
    deduction_points: int
    deduction_tenths: int
    deduction_policy: str
    unanswered_rings: int
    unanswered_tenths: int
    retest_after_minutes: int
    cadence_min_tenths: int
    cadence_max_tenths: int
    """The range a phase's own ring cadence may take (some exchanges ring slower)."""


@dataclass(frozen=True, slots=True)
class HeaderField:
    key: str
    label: Msg
    type: str = "text"
    required: bool = False
    on_form: bool = True


@dataclass(frozen=True)
class Rubric:
    id: str
    version: str
    title: Msg
    source: str
    max: int
    items: tuple[Item, ...]
    groups: tuple[Group, ...] = ()
    header: tuple[HeaderField, ...] = ()
    phases: tuple[Phase, ...] = ()
    rules: tuple[Rule, ...] = ()
    timing: Timing | None = None
    footnote: Msg | None = None
    path: str = ""
    sha256: str = ""
    _by_id: dict[str, Item] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({i.id: i for i in self.items})

    def item(self, item_id: str) -> Item:
        return self._by_id[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._by_id

    def group(self, group_id: str) -> Group | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def phase(self, phase_id: str) -> Phase | None:
        return next((p for p in self.phases if p.id == phase_id), None)

    def phase_index(self, phase_id: str) -> int:
        return [p.id for p in self.phases].index(phase_id)

    def covered(self, target: str) -> list[Item]:
        """Items a target id names: the item itself, or every item of a group."""
        return [i for i in self.items if i.id == target or i.id.startswith(target + ".")]

    def part_of(self, item_id: str) -> Group | None:
        """The outermost group holding the item (the form's 一、二…), or None."""
        holding = [g for g in self.groups if any(i.id == item_id for i in self.covered(g.id))]
        return max(holding, key=lambda g: len(self.covered(g.id)), default=None)

    def is_target(self, target: str) -> bool:
        return bool(self.covered(target))

    def header_field(self, key: str) -> HeaderField | None:
        return next((h for h in self.header if h.key == key), None)

    @property
    def uses_calls(self) -> bool:
        """True for a rubric scored from a timed call (it has phases)."""
        return bool(self.phases)


class _Reader:
    """Reads one rubric file and raises RubricError naming file, item and field."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, where: str, fld: str, message: str) -> RubricError:
        return RubricError(self.path, where, fld, message)

    def table(self, data: Any, where: str, allowed: Iterable[str],
              required: Iterable[str] = ()) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(where, "", f"expected a table, got {type(data).__name__}")
        allowed = set(allowed)
        for key in data:
            if key not in allowed:
                raise self.fail(where, key,
                                f"unknown field (allowed: {', '.join(sorted(allowed))})")
        for key in required:
            if key not in data:
                raise self.fail(where, key, "missing")
        return data

    def str_(self, data: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, key, "must be a non-empty string")
        return value

    def int_(self, data: dict[str, Any], key: str, where: str, default: int | None = None) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, key, f"must be a whole number, got {value!r}")
        if value < 0:
            raise self.fail(where, key, f"must not be negative, got {value}")
        return value

    def num(self, data: dict[str, Any], key: str, where: str, zero: bool = False) -> float:
        value = data.get(key)
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or value < 0 or (value == 0 and not zero)):
            kind = "non-negative" if zero else "positive"
            raise self.fail(where, key, f"must be a {kind} number, got {value!r}")
        return float(value)

    def bool_(self, data: dict[str, Any], key: str, where: str, default: bool = False) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(where, key, f"must be true or false, got {value!r}")
        return value

    def msg(self, data: dict[str, Any], key: str, where: str) -> Msg:
        zh = self.str_(data, key, where)
        en = data.get(f"{key}_en", zh)
        if not isinstance(en, str) or not en.strip():
            raise self.fail(where, f"{key}_en", "must be a non-empty string")
        return Msg(zh, en)

    def opt_msg(self, data: dict[str, Any], key: str, where: str) -> Msg | None:
        return self.msg(data, key, where) if key in data else None

    def list_(self, data: dict[str, Any], key: str, where: str) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list):
            raise self.fail(where, key, "must be an array of tables")
        return value


_LABEL = ("label", "label_en")


def _read_bands(r: _Reader, raw: list[Any], where: str, top: int,
                measure: str | None) -> tuple[Band, ...]:
    if not raw:
        raise r.fail(where, "bands", "at least one band is needed")
    bands: list[Band] = []
    for n, data in enumerate(raw, 1):
        w = f"{where}, band {n}"
        r.table(data, w, (*_LABEL, "min", "max", "upto", "below"), ("label", "min", "max"))
        lo, hi = r.int_(data, "min", w), r.int_(data, "max", w)
        if lo > hi:
            raise r.fail(w, "min", f"min {lo} is above max {hi}")
        if hi > top:
            raise r.fail(w, "max", f"{hi} is above the item's {top} points")
        upto = below = None
        if measure is None and ("upto" in data or "below" in data):
            raise r.fail(w, "upto" if "upto" in data else "below",
                         "only a band of an item with a `measure` has a threshold")
        if "upto" in data and "below" in data:
            raise r.fail(w, "below", "give either upto or below, not both")
        if "upto" in data:
            upto = r.num(data, "upto", w, zero=True)
        if "below" in data:
            below = r.num(data, "below", w)
        bands.append(Band(r.msg(data, "label", w), lo, hi, upto, below))
    ordered = sorted(bands, key=lambda b: b.min)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.min <= a.max:
            n = bands.index(b) + 1
            raise r.fail(f"{where}, band {n}", "min",
                         f"band {b.span()} overlaps band {a.span()}")
    if max(b.max for b in bands) != top:
        raise r.fail(where, "bands", f"the best band reaches {max(b.max for b in bands)}, "
                     f"not the item's {top} points")
    if measure is not None:
        last = 0.0
        for n, b in enumerate(bands, 1):
            limit = b.upto if b.upto is not None else b.below
            if n < len(bands):
                if limit is None:
                    raise r.fail(f"{where}, band {n}", "upto",
                                 "every band but the last needs upto or below")
                if limit < last:
                    raise r.fail(f"{where}, band {n}", "upto" if b.upto is not None else "below",
                                 "thresholds must increase from band to band")
                last = limit
            elif limit is not None:
                raise r.fail(f"{where}, band {n}", "upto",
                             "the last band takes everything beyond: no threshold")
        if [b.max for b in bands] != sorted((b.max for b in bands), reverse=True):
            raise r.fail(where, "bands", "a slower band must not earn more than a faster one")
    return tuple(bands)


def _read_item(r: _Reader, data: Any, n: int, phases: set[str], has_timing: bool) -> Item:
    where = f"item {data.get('id', f'#{n}') if isinstance(data, dict) else f'#{n}'}"
    r.table(data, where,
            ("id", *_LABEL, "points", "kind", "phase", "note", "note_en", "options", "bands",
             "scale", "outcomes", "branches", "measure"),
            ("id", "label", "points", "kind"))
    item_id = r.str_(data, "id", where)
    if not _ID.match(item_id):
        raise r.fail(where, "id", f"{item_id!r} is not a form number (whole numbers and dots)")
    kind = r.str_(data, "kind", where)
    if kind not in KINDS:
        raise r.fail(where, "kind", f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    points = r.int_(data, "points", where)
    if points == 0:
        raise r.fail(where, "points", "an item must be worth at least one point")
    phase = data.get("phase")
    if phase is not None and not isinstance(phase, str):
        raise r.fail(where, "phase", "must be the id of a phase (a string)")
    if phase is not None and phase not in phases:
        raise r.fail(where, "phase", f"unknown phase {phase!r}"
                     + (f" (known: {', '.join(sorted(phases))})" if phases else
                        " (this rubric defines no phases)"))
    if kind in ("timed", "derived") and phase is None:
        raise r.fail(where, "phase", f"a {kind} item needs the phase it is measured in")
    allowed_by_kind = {
        "yesno": {"options"}, "choice": {"options"}, "band": {"bands", "measure"},
        "branch": {"branches"}, "timed": {"bands", "scale", "outcomes"},
        "derived": {"outcomes"},
    }
    for key in ("options", "bands", "scale", "outcomes", "branches", "measure"):
        if key in data and key not in allowed_by_kind[kind]:
            raise r.fail(where, key, f"a {kind} item takes no {key}")

    options: list[Option] = []
    for k, od in enumerate(r.list_(data, "options", where), 1):
        w = f"{where}, option {k}"
        r.table(od, w, (*_LABEL, "points", "condition", "not_when"), ("label", "points"))
        p = r.int_(od, "points", w)
        if p > points:
            raise r.fail(w, "points", f"{p} is above the item's {points} points")
        cond = r.bool_(od, "condition", w)
        if kind == "yesno" and not cond:
            raise r.fail(w, "condition", "a yes/no item lists only its conditional options")
        if cond and p != points:
            raise r.fail(w, "points", f"a conditional option earns full marks ({points}), not {p}")
        not_when = od.get("not_when")
        if not_when is not None and not_when not in OPTION_UNLESS:
            raise r.fail(w, "not_when", f"unknown flag {not_when!r} "
                         f"(known: {', '.join(OPTION_UNLESS)})")
        options.append(Option(r.msg(od, "label", w), p, cond, not_when))
    if kind == "choice":
        plain = [o.points for o in options if not o.condition]
        if not plain:
            raise r.fail(where, "options", "a choice item needs its options")
        if len(set(plain)) != len(plain):
            raise r.fail(where, "options", f"two options share the same points ({plain})")
        if max(plain) != points:
            raise r.fail(where, "options", f"the best option earns {max(plain)}, "
                         f"not the item's {points} points")

    measure = data.get("measure")
    if measure is not None and measure != "days":
        raise r.fail(where, "measure", f"unknown measure {measure!r} (known: days)")
    bands: tuple[Band, ...] = ()
    speed: list[SpeedBand] = []
    scale = data.get("scale")
    if kind == "band":
        bands = _read_bands(r, r.list_(data, "bands", where), where, points, measure)
    if kind == "timed":
        if scale not in ("deduction", "bands"):
            raise r.fail(where, "scale", f"must be 'deduction' or 'bands', got {scale!r}")
        if scale == "deduction" and not has_timing:
            raise r.fail(where, "scale", "a deduction scale needs the rubric's [timing] table")
        if scale == "deduction" and "bands" in data:
            raise r.fail(where, "bands", "a deduction scale takes no bands")
        last = (-1, -1)
        for k, bd in enumerate(r.list_(data, "bands", where), 1):
            w = f"{where}, band {k}"
            r.table(bd, w, (*_LABEL, "rings", "seconds", "points"), ("label", "points"))
            if "rings" not in bd and "seconds" not in bd:
                raise r.fail(w, "rings", "a timed band needs rings, seconds or both")
            rings = r.int_(bd, "rings", w) if "rings" in bd else None
            tenths = to_tenths(r.num(bd, "seconds", w)) if "seconds" in bd else None
            p = r.int_(bd, "points", w)
            if p > points:
                raise r.fail(w, "points", f"{p} is above the item's {points} points")
            now = (rings or 0, tenths or 0)
            if now < last:
                raise r.fail(w, "seconds", "bands must go from fastest to slowest")
            last = now
            speed.append(SpeedBand(r.msg(bd, "label", w), rings, tenths, p))
        if scale == "bands":
            if not speed:
                raise r.fail(where, "bands", "a banded timed item needs its bands")
            if speed[0].points != points:
                raise r.fail(where, "bands", f"the fastest band earns {speed[0].points}, "
                             f"not the item's {points} points")

    outcomes: list[Outcome] = []
    for k, od in enumerate(r.list_(data, "outcomes", where), 1):
        w = f"{where}, outcome {k}"
        r.table(od, w, (*_LABEL, "outcome", "points"), ("outcome", "label", "points"))
        name = r.str_(od, "outcome", w)
        if name not in OUTCOMES:
            raise r.fail(w, "outcome", f"unknown outcome {name!r} (known: {', '.join(OUTCOMES)})")
        if any(o.outcome == name for o in outcomes):
            raise r.fail(w, "outcome", f"outcome {name!r} is listed twice")
        p = r.int_(od, "points", w)
        if p > points:
            raise r.fail(w, "points", f"{p} is above the item's {points} points")
        outcomes.append(Outcome(name, r.msg(od, "label", w), p))
    names = {o.outcome for o in outcomes}
    if kind == "timed" and scale == "deduction":
        answered = next((o for o in outcomes if o.outcome == "answered"), None)
        if answered is None or answered.points != points:
            raise r.fail(where, "outcomes", f"a deduction scale needs an 'answered' outcome "
                         f"worth the item's {points} points")
    if kind == "derived":
        missing = {"answered", "unanswered", "out_of_order"} - names
        if missing:
            raise r.fail(where, "outcomes", f"missing outcome(s): {', '.join(sorted(missing))}")
        if max(o.points for o in outcomes) != points:
            raise r.fail(where, "outcomes", f"no outcome earns the item's {points} points")

    branches: list[Branch] = []
    for k, bd in enumerate(r.list_(data, "branches", where), 1):
        w = f"{where}, branch {k}"
        r.table(bd, w, ("id", *_LABEL, "bands"), ("id", "label", "bands"))
        bid = r.str_(bd, "id", w)
        if any(b.id == bid for b in branches):
            raise r.fail(w, "id", f"branch {bid!r} is listed twice")
        branches.append(Branch(bid, r.msg(bd, "label", w),
                               _read_bands(r, r.list_(bd, "bands", w), f"{where}, branch {bid}",
                                           points, None)))
    if kind == "branch" and len(branches) < 2:
        raise r.fail(where, "branches", "a branch item needs at least two branches")

    return Item(
        id=item_id, label=r.msg(data, "label", where), points=points, kind=kind, phase=phase,
        note=r.opt_msg(data, "note", where), options=tuple(options), bands=bands,
        speed_bands=tuple(speed), scale=scale, outcomes=tuple(outcomes),
        branches=tuple(branches), measure=measure,
    )


def _read_timing(r: _Reader, data: Any) -> Timing:
    w = "[timing]"
    keys = ("ring_cadence_seconds", "full_marks_rings", "full_marks_seconds", "deduction_points",
            "deduction_seconds", "deduction_policy", "unanswered_rings", "unanswered_seconds",
            "retest_after_minutes", "cadence_min_seconds", "cadence_max_seconds")
    r.table(data, w, keys, keys)
    policy = r.str_(data, "deduction_policy", w)
    if policy not in POLICIES:
        raise r.fail(w, "deduction_policy", f"unknown policy {policy!r} "
                     f"(known: {', '.join(POLICIES)})")
    ints = {k: r.int_(data, k, w) for k in ("full_marks_rings", "deduction_points",
                                            "unanswered_rings", "retest_after_minutes")}
    for k, v in ints.items():
        if v == 0:
            raise r.fail(w, k, "must be at least 1")
    t = Timing(
        ring_cadence_tenths=to_tenths(r.num(data, "ring_cadence_seconds", w)),
        full_marks_rings=ints["full_marks_rings"],
        full_marks_tenths=to_tenths(r.num(data, "full_marks_seconds", w)),
        deduction_points=ints["deduction_points"],
        deduction_tenths=to_tenths(r.num(data, "deduction_seconds", w)),
        deduction_policy=policy,
        unanswered_rings=ints["unanswered_rings"],
        unanswered_tenths=to_tenths(r.num(data, "unanswered_seconds", w)),
        retest_after_minutes=ints["retest_after_minutes"],
        cadence_min_tenths=to_tenths(r.num(data, "cadence_min_seconds", w)),
        cadence_max_tenths=to_tenths(r.num(data, "cadence_max_seconds", w)),
    )
    if not t.cadence_min_tenths <= t.ring_cadence_tenths <= t.cadence_max_tenths:
        raise r.fail(w, "ring_cadence_seconds",
                     "must lie between cadence_min_seconds and cadence_max_seconds")
    if t.unanswered_rings <= t.full_marks_rings:
        raise r.fail(w, "unanswered_rings", "must be above full_marks_rings")
    if t.unanswered_tenths <= t.full_marks_tenths:
        raise r.fail(w, "unanswered_seconds", "must be above full_marks_seconds")
    return t


def parse_rubric(data: dict[str, Any], path: str, sha256: str = "") -> Rubric:
    """Build a Rubric from parsed TOML, validating everything; `path` names it in errors.

    A value of a type no check foresaw (a list where a name belongs…) is still a
    RubricError naming the file, never a traceback.
    """
    try:
        return _parse_rubric(data, path, sha256)
    except RubricError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        raise RubricError(path, "", "", f"a value of the wrong kind ({type(exc).__name__}: "
                          f"{str(exc)[:120]})") from None


def _parse_rubric(data: dict[str, Any], path: str, sha256: str) -> Rubric:
    r = _Reader(path)
    top_keys = ("id", "version", "title", "title_en", "source", "max", "footnote", "footnote_en",
                "header", "timing", "phases", "rules", "groups", "items")
    r.table(data, "", top_keys, ("id", "version", "title", "source", "max", "items"))
    rubric_id = r.str_(data, "id", "")
    if not re.match(r"^[a-z][a-z0-9_-]*$", rubric_id):
        raise r.fail("", "id", f"{rubric_id!r}: use lower-case letters, digits, - and _")
    version = data.get("version")
    if not isinstance(version, str | int | float) or isinstance(version, bool):
        raise r.fail("", "version", "must be a string such as \"105.1\"")

    header: list[HeaderField] = []
    for n, hd in enumerate(r.list_(data, "header", ""), 1):
        w = f"header field {hd.get('key', n) if isinstance(hd, dict) else n}"
        r.table(hd, w, ("key", *_LABEL, "type", "required", "on_form"), ("key", "label"))
        key = r.str_(hd, "key", w)
        if any(h.key == key for h in header):
            raise r.fail(w, "key", f"header field {key!r} is listed twice")
        htype = r.str_(hd, "type", w, "text")
        if htype not in HEADER_TYPES:
            raise r.fail(w, "type", f"unknown type {htype!r} (known: {', '.join(HEADER_TYPES)})")
        header.append(HeaderField(key, r.msg(hd, "label", w), htype,
                                  r.bool_(hd, "required", w), r.bool_(hd, "on_form", w, True)))

    timing = _read_timing(r, data["timing"]) if "timing" in data else None

    phases: list[Phase] = []
    for n, pd in enumerate(r.list_(data, "phases", ""), 1):
        w = f"phase {pd.get('id', n) if isinstance(pd, dict) else n}"
        r.table(pd, w, ("id", *_LABEL, "route", "needs", "retest", "auto_transfer", "busy"),
                ("id", "label"))
        pid = r.str_(pd, "id", w)
        if any(p.id == pid for p in phases):
            raise r.fail(w, "id", f"phase {pid!r} is listed twice")
        route = pd.get("route")
        if route is not None and route not in ROUTES:
            raise r.fail(w, "route", f"unknown route {route!r} (known: {', '.join(ROUTES)})")
        needs = pd.get("needs")
        if needs is not None and needs not in ("has_ivr", "has_operator"):
            raise r.fail(w, "needs",
                         f"unknown context flag {needs!r} (known: has_ivr, has_operator)")
        phases.append(Phase(pid, r.msg(pd, "label", w), route, needs,
                            r.bool_(pd, "retest", w), r.bool_(pd, "auto_transfer", w),
                            r.bool_(pd, "busy", w)))
    if phases and timing is None:
        raise r.fail("", "timing", "a rubric with phases needs a [timing] table")
    phase_ids = {p.id for p in phases}

    groups: list[Group] = []
    for n, gd in enumerate(r.list_(data, "groups", ""), 1):
        w = f"group {gd.get('id', n) if isinstance(gd, dict) else n}"
        r.table(gd, w, ("id", *_LABEL, "points", "note", "note_en"), ("id", "label", "points"))
        gid = r.str_(gd, "id", w)
        if not _ID.match(gid):
            raise r.fail(w, "id", f"{gid!r} is not a form number (whole numbers and dots)")
        groups.append(Group(gid, r.msg(gd, "label", w), r.int_(gd, "points", w),
                            r.opt_msg(gd, "note", w)))

    items: list[Item] = []
    raw_items = r.list_(data, "items", "")
    if not raw_items:
        raise r.fail("", "items", "a rubric needs items")
    for n, idata in enumerate(raw_items, 1):
        item = _read_item(r, idata, n, phase_ids, timing is not None)
        items.append(item)

    seen: dict[str, str] = {}
    for thing, tid in [*(("group", g.id) for g in groups), *(("item", i.id) for i in items)]:
        if tid in seen:
            raise r.fail(f"{thing} {tid}", "id", f"duplicate id {tid!r} (already a {seen[tid]})")
        seen[tid] = thing
    item_ids = [i.id for i in items]
    for i in items:
        for other in item_ids:
            if other.startswith(i.id + "."):
                raise r.fail(f"item {i.id}", "id", f"item {other} cannot sit under item {i.id}; "
                             f"make {i.id} a group")
    for g in sorted(groups, key=lambda g: -g.id.count(".")):
        under = [i for i in items if i.id.startswith(g.id + ".")]
        if not under:
            raise r.fail(f"group {g.id}", "id", "no item belongs to this group")
        total = sum(i.points for i in under)
        if total != g.points:
            raise r.fail(f"group {g.id}", "points", f"its items add up to {total}, "
                         f"not the stated {g.points}")
    rubric_max = r.int_(data, "max", "")
    total = sum(i.points for i in items)
    if total != rubric_max:
        raise r.fail("", "max", f"the items add up to {total}, not the stated {rubric_max}")

    rules: list[Rule] = []
    for n, rd in enumerate(r.list_(data, "rules", ""), 1):
        w = f"rule {n}"
        r.table(rd, w, ("when", "effect", "targets", "reason", "reason_en"),
                ("when", "effect", "reason"))
        when = rd["when"]
        if not isinstance(when, dict) or not when:
            raise r.fail(w, "when", "must be a table such as { route = \"direct\" }")
        for k, v in when.items():
            if k not in CONTEXT_KEYS:
                raise r.fail(w, f"when.{k}", f"unknown context key (known: "
                             f"{', '.join(CONTEXT_KEYS)})")
            if v not in CONTEXT_KEYS[k] or isinstance(v, bool) != isinstance(
                    CONTEXT_KEYS[k][0], bool):
                raise r.fail(w, f"when.{k}", f"{v!r} is not one of {CONTEXT_KEYS[k]}")
        effect = r.str_(rd, "effect", w)
        if effect not in EFFECTS:
            raise r.fail(w, "effect", f"unknown effect {effect!r} (known: {', '.join(EFFECTS)})")
        targets = rd.get("targets", [])
        if effect != "invalid" and not targets:
            raise r.fail(w, "targets", f"an {effect!r} rule needs the ids it applies to")
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            raise r.fail(w, "targets", "must be a list of item or group ids")
        for t in targets:
            if t not in seen:
                raise r.fail(w, "targets", f"{t!r} is neither an item nor a group of this rubric")
            if effect == "double" and any(i.kind != "timed" for i in items
                                          if i.id == t or i.id.startswith(t + ".")):
                raise r.fail(w, "targets", f"{t!r}: only timed items can be doubled")
        rules.append(Rule(dict(when), effect, tuple(targets), r.msg(rd, "reason", w)))

    return Rubric(
        id=rubric_id, version=str(version), title=r.msg(data, "title", ""),
        source=r.str_(data, "source", ""), max=rubric_max, items=tuple(items),
        groups=tuple(groups), header=tuple(header), phases=tuple(phases), rules=tuple(rules),
        timing=timing, footnote=r.opt_msg(data, "footnote", ""), path=path, sha256=sha256,
    )


def load_rubric(path: str | os.PathLike[str]) -> Rubric:
    """Read and validate one rubric file."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise RubricError(str(p), "", "", f"cannot read: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RubricError(str(p), "", "", f"not UTF-8 text: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(str(p), "", "", f"not valid TOML: {exc}") from exc
    return parse_rubric(data, str(p), hashlib.sha256(raw).hexdigest())


def default_rubrics_dir() -> Path:
    """Where the rubrics are: $CALLCHECK_RUBRICS, the installed copy, or the checkout's."""
    env = os.environ.get("CALLCHECK_RUBRICS")
    if env:
        return Path(env)
    packaged = Path(__file__).with_name("rubrics")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rubrics"


def rubric_files(directory: str | os.PathLike[str] | None = None) -> list[Path]:
    d = Path(directory) if directory is not None else default_rubrics_dir()
    if not d.is_dir():
        raise RubricError(str(d), "", "", "rubrics folder not found")
    return sorted(d.glob("*.toml"))


def rubric_titles(directory: str | os.PathLike[str] | None = None) -> dict[str, Msg]:
    """Each rubric's title by id, read from the files' top-level keys only (no validation).

    For listings that name the form (`callcheck list`) without the cost of loading
    every rubric; a folder or file that cannot be read gives no title (the id is shown).
    """
    titles: dict[str, Msg] = {}
    try:
        files = rubric_files(directory)
    except RubricError:
        return titles
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
            head = tomllib.loads(re.split(r"(?m)^\s*\[", text, maxsplit=1)[0])
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        rid, title = head.get("id"), head.get("title")
        if isinstance(rid, str) and isinstance(title, str):
            en = head.get("title_en")
            titles[rid] = Msg(title, en if isinstance(en, str) else title)
    return titles


ORDER_FILE = "order.txt"
"""In a rubrics folder: the order the forms are offered in, one rubric id per line."""


def rubric_order(directory: Path, ids: Iterable[str]) -> list[str]:
    """`ids` in the order the folder's `order.txt` names them; the others after, by id.

    The order is data beside the rubric files, not code: an id the file names twice or
    that no rubric has is refused, naming the file and the line.
    """
    known = set(ids)
    listed: list[str] = []
    path = directory / ORDER_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise RubricError(str(path), "", "", f"cannot read: {exc}") from exc
    for number, line in enumerate(text.splitlines(), 1):
        rid = line.split("#", 1)[0].strip()
        if not rid:
            continue
        if rid not in known:
            raise RubricError(str(path), f"line {number}", "",
                              f"no rubric file has the id {rid!r}")
        if rid in listed:
            raise RubricError(str(path), f"line {number}", "", f"{rid!r} is named twice")
        listed.append(rid)
    return listed + sorted(known - set(listed))


def load_rubrics(directory: str | os.PathLike[str] | None = None) -> dict[str, Rubric]:
    """Every rubric of a folder, by id, in the order its `order.txt` gives."""
    found: dict[str, Rubric] = {}
    files = rubric_files(directory)
    for f in files:
        rubric = load_rubric(f)
        if rubric.id in found:
            raise RubricError(str(f), "", "id", f"rubric id {rubric.id!r} is also used by "
                              f"{found[rubric.id].path}")
        found[rubric.id] = rubric
    folder = Path(directory) if directory is not None else default_rubrics_dir()
    return {rid: found[rid] for rid in rubric_order(folder, found)}
