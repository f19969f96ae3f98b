"""The session model: one test of one agency, with its evidence and its score.

A telephone session holds one or two attempts, each with its wall-clock start
and its timeline of marks; the phases (rings, seconds, outcome) are derived
from the timelines, so a score is always re-derivable from the evidence. The
other forms hold only answers. Sessions serialise to plain JSON documents
(`to_doc` / `from_doc`) carrying a schema version.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import pendulum

from .dates import iso, now, parse_datetime
from .errors import InputError
from .observations import Context, Observations, PhaseObs, parse_answer
from .rubric import Rubric
from .scoring import ScoreResult, ring_count, score
from .timing import CallState, Mark, RingCount, replay

SCHEMA_VERSION = 1
STATUSES = ("draft", "pending_retest", "finished")
HEADER_FIELDS = ("agency", "unit", "number", "tester", "at", "question")
"""The header's fields: who was tested, by whom, when, and what the tester asked."""
MAX_CALL_SECONDS = 86_400
"""The longest a timeline may run: a mark later than one day after dialling is refused."""


_LEAVES = frozenset({str, int, float, bool, type(None)})
"""Types copy_json returns as they are without a call (the leaves of JSON data)."""


def _same(value: Any) -> Any:
    return value


def copy_json(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars), several times faster than deepcopy."""
    if isinstance(value, dict):
        return {k: v if type(v) in _LEAVES else copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if type(v) in _LEAVES else copy_json(v) for v in value]
    return value


@dataclass
class Attempt:
    """One dialling of the number: its wall-clock start and its timeline."""

    started_at: str
    marks: list[Mark] = field(default_factory=list)
    rings: dict[str, int] = field(default_factory=dict)
    """Ring counts the tester corrected after the call (phase → rings), by a revision."""

    def as_doc(self) -> dict[str, Any]:
        d: dict[str, Any] = {"started_at": self.started_at,
                             "marks": [m.as_dict() for m in self.marks]}
        if self.rings:
            d["rings"] = dict(self.rings)
        return d

    @classmethod
    def from_doc(cls, d: dict[str, Any]) -> Attempt:
        return cls(str(d["started_at"]), [Mark.from_dict(m) for m in d.get("marks", [])],
                   {str(k): int(v) for k, v in d.get("rings", {}).items()})

    @property
    def start(self) -> pendulum.DateTime:
        return parse_datetime(self.started_at)


@dataclass
class Revision:
    """A change to a finished session: who, when, why, and each field's old and new value."""

    at: str
    by: str
    reason: str
    changes: list[dict[str, Any]]

    def as_doc(self) -> dict[str, Any]:
        return {"at": self.at, "by": self.by, "reason": self.reason,
                "changes": copy_json(self.changes)}

    @classmethod
    def from_doc(cls, d: dict[str, Any]) -> Revision:
        return cls(str(d["at"]), str(d.get("by", "")), str(d["reason"]),
                   copy_json(list(d.get("changes", []))))


@dataclass
class Session:
    rubric: str
    rubric_version: str
    rubric_sha256: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    header: dict[str, str] = field(default_factory=dict)
    """agency, unit, number, tester, at (ISO 8601), question (what the tester will ask)."""
    context: Context | None = None
    attempts: list[Attempt] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    """Answers in their JSON form (as in an observations file)."""
    notes: dict[str, str] = field(default_factory=dict)
    na: dict[str, str] = field(default_factory=dict)
    status: str = "draft"
    due_at: str | None = None
    result: dict[str, Any] | None = None
    revisions: list[Revision] = field(default_factory=list)
    created_at: str = field(default_factory=lambda: iso(now()))
    updated_at: str = ""
    rev: int = 0
    """Incremented by the store on every save."""
    digest: str | None = None
    """SHA-256 of the finished session's content (`digest.py`); None until finished."""

    @classmethod
    def new(cls, rubric: Rubric, **kw: Any) -> Session:
        s = cls(rubric.id, rubric.version, rubric.sha256, **kw)
        if rubric.uses_calls and s.context is None:
            s.context = Context()
        return s

    @property
    def at(self) -> str:
        return self.header.get("at") or self.created_at

    @property
    def finished(self) -> bool:
        return self.status == "finished"

    @property
    def total(self) -> dict[str, Any] | None:
        return None if self.result is None else self.result.get("total")

    def to_doc(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "rubric": self.rubric,
            "rubric_version": self.rubric_version,
            "rubric_sha256": self.rubric_sha256,
            "header": dict(self.header),
            "context": None if self.context is None else self.context.as_dict(),
            "attempts": [a.as_doc() for a in self.attempts],
            "answers": copy_json(self.answers),
            "notes": dict(self.notes),
            "na": dict(self.na),
            "status": self.status,
            "due_at": self.due_at,
            "result": copy_json(self.result),
            "revisions": [r.as_doc() for r in self.revisions],
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "rev": self.rev,
            "digest": self.digest,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any], *, copy: bool = True) -> Session:
        """The session of a stored document; with `copy=False` its answers and result are
        the document's own (for a caller that drops the document, e.g. an import)."""
        doc = migrate(doc)
        keep = copy_json if copy else _same
        ctx = doc.get("context")
        return cls(
            rubric=doc["rubric"], rubric_version=str(doc.get("rubric_version", "")),
            rubric_sha256=str(doc.get("rubric_sha256", "")), id=str(doc["id"]),
            header=dict(doc.get("header", {})),
            context=None if ctx is None else Context(**ctx),
            attempts=[Attempt.from_doc(a) for a in doc.get("attempts", [])],
            answers=keep(doc.get("answers", {})), notes=dict(doc.get("notes", {})),
            na=dict(doc.get("na", {})), status=doc.get("status", "draft"),
            due_at=doc.get("due_at"), result=keep(doc.get("result")),
            revisions=[Revision.from_doc(r) for r in doc.get("revisions", [])],
            created_at=doc.get("created_at", ""), updated_at=doc.get("updated_at", ""),
            rev=int(doc.get("rev", 0)), digest=doc.get("digest"),
        )

    def seal(self) -> None:
        """Digest a finished session's content (a draft or pending retest carries none)."""
        from .digest import content_digest, needs_digest

        doc = self.to_doc()
        self.digest = content_digest(doc) if needs_digest(doc) else None


MIGRATIONS: dict[int, Any] = {}
"""schema version n → function turning a version-n document into version n+1."""


def migrate(doc: dict[str, Any]) -> dict[str, Any]:
    """Bring a stored document up to SCHEMA_VERSION, one step at a time."""
    version = int(doc.get("schema", 1))
    if version > SCHEMA_VERSION:
        raise InputError("schema", f"session {doc.get('id')} was written by a newer callcheck "
                         f"(schema {version}; this one reads up to {SCHEMA_VERSION})")
    if version < SCHEMA_VERSION:
        doc = copy_json(doc)  # the caller's document is never changed
    while version < SCHEMA_VERSION:
        doc = MIGRATIONS[version](doc)
        version += 1
        doc["schema"] = version
    return doc


# --- deriving the phases from the timelines ------------------------------------------

def call_phases(rubric: Rubric, context: Context) -> list[str]:
    """The phases a call goes through in this context, in order."""
    out = []
    for ph in rubric.phases:
        if ph.route is not None and ph.route != context.route:
            continue
        if ph.needs is not None and not getattr(context, ph.needs):
            continue
        out.append(ph.id)
    return out


def replay_attempt(rubric: Rubric, session: Session, attempt: Attempt) -> CallState:
    return replay(attempt.marks, call_phases(rubric, session.context or Context()))


def unanswered_switchboard(rubric: Rubric, state: CallState) -> str | None:
    """The retest phase (switchboard) this attempt ended unanswered at, if any."""
    for ph in state.phases:
        spec = rubric.phase(ph.phase)
        if ph.outcome == "unanswered" and spec is not None and spec.retest:
            return ph.phase
    return None


def retest_due(rubric: Rubric, session: Session) -> pendulum.DateTime | None:
    """When the retest becomes allowed, if the last attempt needs one; else None.

    One unanswered switchboard attempt needs a retest at least N minutes later
    (the rubric's number); after two unanswered attempts the phase scores 0.
    """
    if not session.attempts or rubric.timing is None:
        return None
    states = [replay_attempt(rubric, session, a) for a in session.attempts]
    last = states[-1]
    if not last.ended or unanswered_switchboard(rubric, last) is None:
        return None
    unanswered = [a for a, s in zip(session.attempts, states, strict=True)
                  if unanswered_switchboard(rubric, s) is not None]
    if len(unanswered) >= 2:
        return None
    return session.attempts[-1].start.add(minutes=rubric.timing.retest_after_minutes)


def phases_from_attempts(rubric: Rubric, session: Session) -> dict[str, PhaseObs]:
    """The phases of the scored (last) attempt, as the engine takes them."""
    if not session.attempts:
        return {}
    states = [replay_attempt(rubric, session, a) for a in session.attempts]
    last = states[-1]
    if last.void:
        raise InputError("attempts", "the line dropped before the unit answered: this "
                         "attempt is not scored; dial again at once")
    corrected = session.attempts[-1].rings
    out: dict[str, PhaseObs] = {}
    for ph in last.phases:
        if ph.outcome is None:
            continue
        rings, tenths = ph.measured()
        fixed = ph.phase in corrected and rings is not None
        if fixed:
            rings = corrected[ph.phase]
        attempts: tuple[pendulum.DateTime, ...] = ()
        spec = rubric.phase(ph.phase)
        if ph.outcome == "unanswered" and spec is not None and spec.retest:
            attempts = tuple(a.start for a, s in zip(session.attempts, states, strict=True)
                             if (p := s.get(ph.phase)) is not None and p.outcome == "unanswered")
        out[ph.phase] = PhaseObs(ph.outcome, rings if rings else None, tenths, attempts,
                                 ph.auto_transfer, ph.cadence_tenths, ph.busy, ph.dropped,
                                 fixed)
    return out


def call_flags(rubric: Rubric, session: Session) -> set[str]:
    """What the last attempt's phases were marked (`busy`): options may exclude themselves."""
    if not session.attempts or not rubric.uses_calls:
        return set()
    state = replay_attempt(rubric, session, session.attempts[-1])
    return {"busy"} if any(ph.busy for ph in state.phases) else set()


def ring_disagreements(rubric: Rubric, session: Session) -> dict[str, RingCount]:
    """Phases of the scored attempt whose marked rings are fewer than their seconds imply.

    The score uses the implied count (SCORING.md "Rings and seconds agree");
    review shows each beside its item, and a tester sure of the marks may
    correct them with `revise(..., {"rings.PHASE": n}, reason)`.
    """
    if not rubric.uses_calls or rubric.timing is None:
        return {}
    try:
        phases = phases_from_attempts(rubric, session)
    except InputError:
        return {}
    out = {}
    for pid, p in phases.items():
        count = ring_count(rubric, p)
        if count.under_marked:
            out[pid] = count
    return out


def observations(rubric: Rubric, session: Session) -> Observations:
    """The session as observations the engine scores."""
    meta = {k: v for k, v in session.header.items()
            if k in ("agency", "unit", "number", "tester", "at") and v}
    answers = {}
    for item_id, value in session.answers.items():
        answers[item_id] = parse_answer(value, f"answers.{item_id}")
    return Observations(
        rubric=session.rubric, meta=meta,
        context=session.context if rubric.uses_calls else None,
        phases=phases_from_attempts(rubric, session) if rubric.uses_calls else {},
        answers=answers, na=dict(session.na),
        notes={k: v for k, v in session.notes.items() if v},
    )


def score_session(rubric: Rubric, session: Session) -> ScoreResult:
    """Score a session from its evidence; InputError says what is still missing."""
    return score(rubric, observations(rubric, session))


def finish(rubric: Rubric, session: Session) -> Session:
    """Score and mark finished (raises InputError if the form is incomplete)."""
    result = score_session(rubric, session)
    session.result = result.as_stored()
    session.status = "finished"
    session.due_at = None
    session.seal()
    return session


def session_from_observations(rubric: Rubric, obs: Observations,
                              result: ScoreResult) -> Session:
    """A finished session for an observations file (`callcheck score --save`).

    The phases become a reconstructed timeline: one attempt per listed attempt
    time, rings at the 3-second cadence and the answer at the measured second.
    """
    from .observations import answer_to_json

    header = dict(obs.meta)
    header.setdefault("at", iso(now()))
    s = Session.new(rubric, header=header,
                    context=obs.context if rubric.uses_calls else None,
                    answers={k: answer_to_json(v) for k, v in obs.answers.items()},
                    notes=dict(obs.notes), na=dict(obs.na))
    if rubric.uses_calls:
        s.attempts = reconstruct_attempts(rubric, obs, header["at"])
    s.result = result.as_stored()
    s.status = "finished"
    s.seal()
    return s


def reconstruct_attempts(rubric: Rubric, obs: Observations, at: str) -> list[Attempt]:
    """Timelines that replay to the given phases (for sessions typed in from paper)."""
    assert rubric.timing is not None
    cadence = rubric.timing.ring_cadence_tenths / 10
    retest_starts: tuple[pendulum.DateTime, ...] = ()
    for given in obs.phases.values():
        if given.attempts:
            retest_starts = given.attempts
    starts = list(retest_starts) or [parse_datetime(at)]
    order = call_phases(rubric, obs.context or Context())
    attempts = []
    for n, start in enumerate(starts):
        last = n == len(starts) - 1
        marks: list[Mark] = [Mark(0.0, "dial", order[0] if order else "")]
        t = 1.0
        for pid in order:
            p = obs.phases.get(pid)
            if p is None:
                break
            outcome = p.outcome
            rings = p.rings or (0 if p.busy and outcome == "unanswered" else 1)
            if p.busy and last:
                marks.append(Mark(t, "busy", pid))
            step = p.cadence_tenths / 10 if p.cadence_tenths else cadence
            seconds = (p.tenths / 10) if p.tenths is not None else max(0, rings - 1) * step
            if not last and p.attempts:
                # an earlier attempt that rang out at this switchboard phase
                outcome = "unanswered"
                rings = max(rings, rubric.timing.unanswered_rings)
                seconds = (rings - 1) * step + 2.0
            elif not last:
                outcome = "answered"
            if outcome == "out_of_order":
                marks.append(Mark(t, "out_of_order", pid))
                break
            for k in range(rings):
                marks.append(Mark(round(t + min(k * step, seconds), 3), "ring", pid))
            if p.cadence_tenths is not None and last:
                marks.append(Mark(marks[-1].t, "cadence", pid, p.cadence_tenths / 10))
            end = round(t + seconds, 3)
            if outcome == "answered":
                marks.append(Mark(end, "answer", pid))
                if pid != order[-1]:
                    marks.append(Mark(end + 1.0, "transfer", pid))
                t = end + 2.0
                continue
            if p.auto_transfer:
                marks.append(Mark(end, "auto_transfer", pid))
                marks.append(Mark(end + 1.0, "answer", pid))
                if p.dropped and last:
                    marks.append(Mark(end + 2.0, "dropped", pid))
                break
            marks.append(Mark(end, "give_up", pid))
            break
        else:
            ended_by = "dropped" if last and any(p.dropped for p in obs.phases.values()) \
                else "hang_up"
            marks.append(Mark(t + 1.0, ended_by, order[-1] if order else ""))
        attempts.append(Attempt(iso(start), marks))
    return attempts


# --- edits with an audit trail -----------------------------------------------------------

EDITABLE = ("answers", "notes", "na", "header")
_MISSING = object()


def _get_path(session: Session, path: str) -> tuple[dict[str, Any], str]:
    section, _, key = path.partition(".")
    if section == "rings" and key:
        if not session.attempts:
            raise InputError(path, "this session has no call to correct")
        return session.attempts[-1].rings, key
    if section not in EDITABLE or not key:
        raise InputError(path, f"cannot edit {path!r}: give answers.ID, notes.ID, na.ID, "
                         "header.FIELD or rings.PHASE")
    return getattr(session, section), key


def _check_rings(rubric: Rubric, session: Session, phase: str, value: Any) -> None:
    """A corrected ring count: a phase of the scored attempt that rang, a whole number ≥ 1."""
    path = f"rings.{phase}"
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(path, f"must be a whole number of rings ≥ 1, got {value!r}")
    state = replay_attempt(rubric, session, session.attempts[-1])
    ph = state.get(phase)
    if ph is None or ph.outcome in (None, "out_of_order") or not ph.rings:
        raise InputError(path, f"the scored attempt has no rings marked in phase {phase!r}")


def revise(rubric: Rubric, session: Session, changes: dict[str, Any], reason: str,
           by: str, at: str | None = None) -> Session:
    """Change a finished session's answers, notes, not-applicable reasons or header.

    `changes` maps dotted paths ("answers.1.3.1", "notes.2.3", "na.1.3.7",
    "header.agency", "rings.unit") to new values; None removes the entry.
    `rings.PHASE` corrects the ring count of the scored attempt's phase (a
    tester sure of the rings marked; the timeline itself is never changed). A reason is
    required; the revision keeps each old value. The session is re-scored, and
    the change refused (InputError) if the result would not score. Returns a
    new Session; the one passed in is left as it was.
    """
    if not isinstance(reason, str) or not reason.strip():
        raise InputError("reason", "a reason is required for every change to a session")
    if not changes:
        raise InputError("changes", "nothing to change")
    revised = Session.from_doc(copy_json(session.to_doc()))
    recorded = []
    for path, new in changes.items():
        target, key = _get_path(revised, path)
        old = target.get(key, _MISSING)
        if path.startswith("answers.") and not rubric.has_item(key):
            raise InputError(path, f"{rubric.id} has no item {key[:40]!r}")
        if path.startswith("answers.") and new is not None:
            parse_answer(new, path)
        if path.startswith("rings.") and new is not None:
            _check_rings(rubric, revised, key, new)
        if path.startswith("header.") and key not in HEADER_FIELDS \
                and rubric.header_field(key) is None:
            raise InputError(path, f"unknown header field (known: {', '.join(HEADER_FIELDS)})")
        if path.startswith(("notes.", "na.", "header.")) and new is not None \
                and not isinstance(new, str):
            raise InputError(path, "must be text")
        if path == "header.at" and isinstance(new, str) and new.strip():
            try:
                new = iso(parse_datetime(new))
            except ValueError as exc:
                raise InputError(path, str(exc)) from None
        if new is None or (isinstance(new, str) and not new.strip()
                           and not path.startswith("notes.")):
            target.pop(key, None)
            new = None
        else:
            target[key] = new
        old_value = None if old is _MISSING else copy_json(old)
        if old_value != new:
            recorded.append({"field": path, "old": old_value, "new": copy_json(new)})
    if not recorded:
        raise InputError("changes", "the new values are the same as the old ones")
    if revised.finished:
        finish(rubric, revised)
    revised.revisions.append(Revision(at or iso(now()), by, reason.strip(), recorded))
    revised.seal()
    return revised


# --- checking a document from outside (import, a hand-edited database) ---------------------

MIN_YEAR, MAX_YEAR = 1912, 2999
"""Times outside these years are refused (民國 1 to far beyond any test): no overflow."""


def _quick_time(value: Any) -> str | None:
    """Why `value` is not a usable ISO 8601 time (None if it is), without pendulum."""
    if not isinstance(value, str):
        return "must be an ISO 8601 time (text)"
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return f"{value[:40]!r} is not an ISO 8601 time"
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return f"{value[:40]!r}: the year must be from {MIN_YEAR} to {MAX_YEAR}"
    return None


def stored_problem(doc: Any) -> str | None:
    """Why a stored session document cannot be shown (None if it can): a quick check of
    what every list and screen reads, cheap enough to run on every document at open."""
    if not isinstance(doc, dict):
        return "not an object"
    if not isinstance(doc.get("id"), str) or not doc["id"]:
        return "id: missing"
    if not isinstance(doc.get("schema", 1), int) or doc.get("schema", 1) > SCHEMA_VERSION:
        return "schema: written by a newer callcheck"
    if not isinstance(doc.get("rubric"), str):
        return "rubric: missing"
    if doc.get("status", "draft") not in STATUSES:
        return f"status: must be one of {', '.join(STATUSES)}"
    header = doc.get("header", {})
    if not isinstance(header, dict) or not all(isinstance(v, str) for v in header.values()):
        return "header: must be an object of texts"
    for name, value in (("header.at", header.get("at")), ("created_at", doc.get("created_at")),
                        ("due_at", doc.get("due_at"))):
        if value is not None and (name != "created_at" or value != ""):
            problem = _quick_time(value)
            if problem:
                return f"{name}: {problem}"
    for section in ("answers", "notes", "na"):
        if not isinstance(doc.get(section, {}), dict):
            return f"{section}: must be an object"
    result = doc.get("result")
    if result is not None:
        total = result.get("total") if isinstance(result, dict) else None
        if not isinstance(total, dict) or not isinstance(result.get("items", {}), dict):
            return "result: must carry items and a total"
        for key in ("points", "max", "score"):
            v = total.get(key)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)
                                  or not math.isfinite(v)):
                return f"result.total.{key}: must be a finite number"
    attempts = doc.get("attempts", [])
    if not isinstance(attempts, list):
        return "attempts: must be a list"
    for n, a in enumerate(attempts):
        if not isinstance(a, dict) or _quick_time(a.get("started_at")):
            return f"attempts[{n}].started_at: must be an ISO 8601 time"
        marks = a.get("marks", [])
        if not isinstance(marks, list) or not all(
                isinstance(m, dict) and isinstance(m.get("t"), int | float)
                and not isinstance(m.get("t"), bool) and math.isfinite(m["t"])
                and isinstance(m.get("kind"), str) and isinstance(m.get("phase"), str)
                for m in marks):
            return f"attempts[{n}].marks: each mark needs a finite t, a kind and a phase"
    context = doc.get("context")
    if context is not None and (not isinstance(context, dict)
                                or not set(context) <= {"route", "has_ivr", "has_operator"}):
        return "context: must be route, has_ivr and has_operator"
    revisions = doc.get("revisions", [])
    if not isinstance(revisions, list) or not all(
            isinstance(r, dict) and isinstance(r.get("at"), str)
            and isinstance(r.get("reason"), str) for r in revisions):
        return "revisions: each needs a time and a reason"
    return None

_PLAIN_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-](?:0\d|1[0-4]):[0-5]\d",
                         re.ASCII)
"""The form callcheck writes every time in (`dates.iso`): checked without pendulum."""


def _plain_time_ok(value: str) -> bool:
    """Whether `value` is a time `dates.iso` could have written that `parse_datetime`
    accepts (False means: ask `parse_datetime`, which names the problem)."""
    if not _PLAIN_TIME.fullmatch(value) or not MIN_YEAR <= int(value[:4]) <= MAX_YEAR:
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_time(value: Any, path: str, required: bool = True) -> None:
    if value is None and not required:
        return
    if isinstance(value, str) and _plain_time_ok(value):
        return
    try:
        parse_datetime(value)
    except (ValueError, TypeError, OverflowError) as exc:
        raise InputError(path, str(exc)) from None


def _same_result(stored: dict[str, Any], derived: dict[str, Any]) -> str | None:
    """How a stored result differs from the one the evidence gives (None if it does not)."""
    s_total, d_total = stored.get("total") or {}, derived.get("total") or {}
    for key in ("points", "max", "score"):
        if s_total.get(key) != d_total.get(key):
            return (f"result.total.{key}: the stored {s_total.get(key)!r} is not what the "
                    f"answers and timeline give ({d_total.get(key)!r})")
    s_items, d_items = stored.get("items") or {}, derived.get("items") or {}
    for item_id in sorted(set(s_items) | set(d_items)):
        s, d = s_items.get(item_id) or {}, d_items.get(item_id) or {}
        for key in ("points", "max", "status"):
            if s.get(key) != d.get(key):
                return (f"result.items.{item_id}.{key}: the stored {s.get(key)!r} is not what "
                        f"the answers and timeline give ({d.get(key)!r})")
    return None


def shown_problem(session: Session, rubrics: dict[str, Rubric]) -> str | None:
    """Why a stored session cannot be shown in full (None if it can): its form is one
    callcheck has, its answers parse and its timelines replay. Lighter than
    `check_document`: a session scored with an older rubric file still shows."""
    rubric = rubrics.get(session.rubric)
    if rubric is None:
        return f"its form {session.rubric[:60]!r} is not one this callcheck has"
    try:
        for item_id, value in session.answers.items():
            parse_answer(value, f"answers.{item_id}")
        if rubric.uses_calls:
            for n, attempt in enumerate(session.attempts):
                try:
                    replay_attempt(rubric, session, attempt)
                except ValueError as exc:
                    return f"attempts[{n}]: the timeline does not replay ({exc})"
    except InputError as exc:
        return str(exc)
    return None


def check_document(doc: Any, rubrics: dict[str, Rubric], *, copy: bool = True) -> Session:
    """A session document from outside the app, checked for meaning, not only shape.

    Every time parses; every mark is a finite number and the timelines replay;
    the rubric is one callcheck has, by id, version and SHA-256; every answer
    is valid for an item of that rubric; and a stored result is what scoring
    the evidence again gives (a forged total is refused). Raises InputError
    naming the field; returns the Session (sharing `doc`'s answers and result when not
    `copy`: for a caller that drops `doc`). Nothing here changes `doc`.
    """
    if not isinstance(doc, dict):
        raise InputError("", "a session must be a JSON object")
    try:
        session = Session.from_doc(doc, copy=copy)
    except InputError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        field_name = exc.args[0] if isinstance(exc, KeyError) and exc.args else ""
        raise InputError(str(field_name), f"not a session document ({type(exc).__name__}: "
                         f"{str(exc)[:200]})") from None
    if not isinstance(doc.get("id"), str) or not doc["id"]:
        raise InputError("id", "missing")
    rubric = rubrics.get(session.rubric) if isinstance(session.rubric, str) else None
    if rubric is None:
        raise InputError("rubric", f"unknown form {str(session.rubric)[:60]!r} (known: "
                         f"{', '.join(rubrics)})")
    if session.rubric_version != rubric.version:
        raise InputError("rubric_version", f"{session.rubric_version[:40]!r} is not the "
                         f"version of {rubric.id} this callcheck has ({rubric.version})")
    if session.rubric_sha256 != rubric.sha256:
        raise InputError("rubric_sha256", f"the rubric file {rubric.id} {rubric.version} it was "
                         "scored with is not the one this callcheck has (SHA-256 differs)")
    if session.status not in STATUSES:
        raise InputError("status", f"must be one of {', '.join(STATUSES)}")
    for key, value in session.header.items():
        if not isinstance(value, str):
            raise InputError(f"header.{key}", "must be text")
    _check_time(session.header.get("at"), "header.at", required=False)
    _check_time(session.created_at, "created_at")
    _check_time(session.updated_at or None, "updated_at", required=False)
    _check_time(session.due_at, "due_at", required=session.status == "pending_retest")
    for n, r in enumerate(session.revisions):
        _check_time(r.at, f"revisions[{n}].at")
    for key in (*session.notes, *session.na):
        if not isinstance(key, str):
            raise InputError("notes", "keys must be text")
    for section in ("notes", "na"):
        for key, value in getattr(session, section).items():
            if not isinstance(value, str):
                raise InputError(f"{section}.{key}", "must be text")
    for item_id, value in session.answers.items():
        if not rubric.has_item(item_id):
            raise InputError(f"answers.{item_id}", f"{rubric.id} has no item {item_id}")
        parse_answer(value, f"answers.{item_id}")
    for n, attempt in enumerate(session.attempts):
        _check_time(attempt.started_at, f"attempts[{n}].started_at")
        for k, mark in enumerate(attempt.marks):
            if not math.isfinite(mark.t) or not 0 <= mark.t <= MAX_CALL_SECONDS:
                raise InputError(f"attempts[{n}].marks[{k}].t", "must be a number of seconds "
                                 f"from 0 to {MAX_CALL_SECONDS}")
        if rubric.uses_calls:
            try:
                replay_attempt(rubric, session, attempt)
            except ValueError as exc:
                raise InputError(f"attempts[{n}].marks", f"the timeline does not replay: "
                                 f"{exc}") from None
    if session.status == "finished" and session.result is None:
        raise InputError("result", "a finished session carries its result")
    if session.result is not None:
        try:
            derived = score_session(rubric, session).as_stored()
        except InputError as exc:
            if session.status == "finished":
                raise InputError(exc.field, f"the session does not score: {exc.message}") \
                    from None
            derived = None
        if derived is not None:
            problem = _same_result(session.result, derived)
            if problem:
                raise InputError("result", problem)
    return session
