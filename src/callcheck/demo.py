"""Realistic sessions for the demo database and the benchmarks.

Every session is made the way a tester's would be: observations of a call (or
of a visit, for the two other forms) are written down, scored by the real
engine and turned into a finished session with `session_from_observations`.
Nothing here writes a score by hand. Pending retests get a real timeline that
rang out at the switchboard, and their due time comes from `retest_due`.

`demo_sessions()` gives the few dozen sessions of `callcheck demo`;
`realistic_sessions(n, seed)` any number of them for benchmarks (about 3 KB
each as stored, with Chinese text). Both are deterministic for a given seed
and `now`.
"""

from __future__ import annotations

import datetime as dt
import random
import tomllib
import uuid
from collections.abc import Iterator, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import pendulum

from .dates import iso, parse_datetime
from .dates import now as wall_now
from .observations import Context, parse_observations
from .rubric import Item, Rubric, load_rubrics
from .scoring import days_band, score
from .session import (
    Attempt,
    Session,
    call_phases,
    retest_due,
    revise,
    session_from_observations,
)
from .store import Store
from .timing import Mark

AGENCIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("基隆市選舉委員會", ("第一組", "第二組", "第三組", "行政室", "會計室", "人事室")),
    ("基隆市政府", ("民政處", "社會處", "交通處", "地政處", "都市發展處")),
    ("基隆市中正區公所", ("民政課", "社會課", "經建課")),
    ("基隆市七堵區公所", ("民政課", "人文課", "秘書室")),
    ("基隆市安樂區戶政事務所", ("戶籍課", "資訊課")),
    ("基隆市稅務局", ("服務科", "房屋稅科")),
)
"""The Keelung agencies the plan's tests visit, and their business units."""

NUMBERS: Mapping[str, str] = {
    "基隆市選舉委員會": "02-2424-0000",
    "基隆市政府": "02-2420-0000",
    "基隆市中正區公所": "02-2462-0000",
    "基隆市七堵區公所": "02-2456-0000",
    "基隆市安樂區戶政事務所": "02-2433-0000",
    "基隆市稅務局": "02-2428-0000",
}
"""Switchboard numbers for the demo (placeholders ending in 0000, never a real extension)."""

TESTERS = ("王小明", "陳怡君", "林志豪", "張雅婷", "李建宏")

QUESTIONS = (
    "請問選舉人名冊何時公告閱覽？",
    "請問候選人登記需要準備哪些文件？",
    "請問投票所的位置如何查詢？",
    "請問身心障礙選民可否由家屬陪同投票？",
    "請問戶籍遷入後多久才有投票權？",
    "請問競選經費收支帳戶如何申請？",
    "請問房屋稅籍證明如何申請？",
    "請問低收入戶資格審查需要多久？",
)

_WORDS = tomllib.loads((Path(__file__).with_name("demo.toml")).read_text(encoding="utf-8"))
"""The demo's words keyed by the forms' item ids, kept as data in `demo.toml`."""

ITEM_NOTES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    form: {item: tuple(texts) for item, texts in notes.items()}
    for form, notes in _WORDS["notes"].items()}
"""Tester's notes (評核紀錄事項) for items that lost points, as testers write them."""

GOOD_NOTES = ("接聽者親切有禮，主動說明辦理方式", "答覆清楚正確", "環境整潔，服務動線良好",
              "工作人員主動引導", "回覆內容詳實")

NA_REASONS: Mapping[str, tuple[tuple[str, str], ...]] = {
    form: tuple(reasons.items()) for form, reasons in _WORDS["na"].items()}
"""Items a tester found not to apply, with the reason the form asks for."""

_SCENARIOS = (
    ("good", 48), ("slow", 14), ("no_ivr", 9), ("direct", 7), ("retest_answered", 5),
    ("unanswered_twice", 3), ("unit_auto_transfer", 5), ("unit_unanswered", 4),
    ("out_of_order", 2),
)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _weighted(rng: random.Random, values: list[Any], best_weight: float = 4.0) -> Any:
    """Pick a value, the first (the best) `best_weight` times as likely as each other one."""
    weights = [best_weight] + [1.0] * (len(values) - 1)
    return rng.choices(values, weights)[0]


def _answered(rng: random.Random, slow: bool = False) -> dict[str, Any]:
    rings = rng.randint(4, 7) if slow else rng.randint(1, 4)
    seconds = round((rings - 1) * 3 + rng.uniform(0.3, 2.9), 1)
    return {"outcome": "answered", "rings": rings, "seconds": seconds}


def _unanswered(rng: random.Random) -> dict[str, Any]:
    rings = rng.randint(9, 10)
    return {"outcome": "unanswered", "rings": rings,
            "seconds": round((rings - 1) * 3 + rng.uniform(1.0, 2.5), 1)}


def _phases(rng: random.Random, scenario: str, at: pendulum.DateTime) -> tuple[dict, dict]:
    """The context and phases of a call in the given scenario."""
    ctx = {"route": "switchboard", "has_ivr": True, "has_operator": True}
    if scenario == "no_ivr":
        ctx["has_ivr"] = False
    if scenario == "direct":
        ctx = {"route": "direct", "has_ivr": False, "has_operator": False}
        return ctx, {"unit": _answered(rng, slow=rng.random() < 0.3)}
    slow = scenario == "slow"
    phases: dict[str, Any] = {}
    if ctx["has_ivr"]:
        phases["ivr"] = _answered(rng, slow=slow and rng.random() < 0.5)
    phases["operator"] = _answered(rng, slow=slow)
    retest = [iso(at), iso(at.add(minutes=rng.randint(10, 25)))]
    if scenario == "retest_answered":
        phases["operator"]["attempts"] = retest
    elif scenario == "unanswered_twice":
        phases["operator"] = {**_unanswered(rng), "attempts": retest}
        return ctx, phases
    elif scenario == "out_of_order":
        phases["operator"] = {"outcome": "out_of_order"}
        return ctx, phases
    if scenario == "unit_busy":
        phases["unit"] = {"outcome": "unanswered", "busy": True}
    elif scenario == "unit_busy_substitute":
        phases["unit"] = {**_answered(rng), "busy": True}
    elif scenario == "slow_exchange":
        # an exchange that rings every 4 s: the tester adopted the proposed cadence
        rings = rng.randint(3, 5)
        phases["unit"] = {"outcome": "answered", "rings": rings, "cadence": 4.0,
                          "seconds": round((rings - 1) * 4 + rng.uniform(0.3, 3.6), 1)}
    elif scenario == "unit_auto_transfer":
        phases["unit"] = {**_unanswered(rng), "auto_transfer": True}
    elif scenario == "unit_unanswered":
        phases["unit"] = _unanswered(rng)
    else:
        phases["unit"] = _answered(rng, slow=slow)
    return ctx, phases


def _answer(rng: random.Random, item: Item, at: dt.date, quality: float,
            flags: set[str] | frozenset[str] = frozenset()) -> Any:
    """A plausible answer to an answered item; `quality` is the chance of a full answer.

    `flags` are what the call was marked (`busy`): an option the rubric rules
    out under one of them (無忙線情形 after a busy line) is never picked.
    """
    if flags and any(o.not_when in flags for o in item.options):
        offered = [(n, o) for n, o in enumerate(item.options, 1)
                   if o.not_when not in flags and not o.condition]
        n, o = offered[0] if rng.random() < quality else rng.choice(offered)
        return {"points": o.points, "option": n}
    full = rng.random() < quality
    if item.kind == "yesno":
        conditional = [n for n, o in enumerate(item.options, 1) if o.condition]
        if full and conditional and rng.random() < 0.3:
            return {"points": item.points, "option": conditional[0]}
        return full or rng.random() < 0.3
    if item.kind == "choice":
        plain = [(n, o) for n, o in enumerate(item.options, 1) if not o.condition]
        n, o = plain[0] if full else rng.choice(plain[1:] or plain)
        return {"points": o.points, "option": n}
    if item.kind == "band" and item.measure == "days":
        cases = []
        for _ in range(rng.randint(1, 3)):
            received = at - dt.timedelta(days=rng.randint(20, 90))
            days = rng.randint(0, 3) if full else rng.choice((2, 4, 5, 8, 10, 15))
            cases.append([received.isoformat(), (received + dt.timedelta(days=days)).isoformat()])
        mean = Fraction(sum((dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days
                            for a, b in cases), len(cases))
        band = days_band(item, mean)
        return {"cases": cases, "points": rng.randint(band.min, band.max)}
    if item.kind == "band":
        band = item.bands[0] if full else _weighted(rng, list(item.bands[1:]), 3.0)
        return rng.randint(band.min, band.max)
    if item.kind == "branch":
        branch = item.branches[0] if rng.random() < 0.8 else item.branches[-1]
        band = branch.bands[0] if full else _weighted(rng, list(branch.bands[1:]), 3.0)
        return {"branch": branch.id, "points": rng.randint(band.min, band.max)}
    raise ValueError(f"{item.kind} items take no answer")


def _lost_points(item: Item, answer: Any) -> bool:
    """True when the answer is below the item's best option or band (a note is due)."""
    if isinstance(answer, bool):
        return not answer
    points = answer if isinstance(answer, int) else int(answer.get("points", 0))
    if item.kind == "band" and item.measure is None:
        return points < item.bands[0].min
    if item.kind == "branch" and isinstance(answer, dict):
        branch = item.branch(answer.get("branch", "")) or item.branches[0]
        return points < branch.bands[0].min
    return points < item.points


def _notes(rng: random.Random, rubric: Rubric, answers: Mapping[str, Any]) -> dict[str, str]:
    pool = ITEM_NOTES.get(rubric.id, {})
    notes = {}
    for item_id, answer in answers.items():
        item = rubric.item(item_id)
        if _lost_points(item, answer) and item_id in pool:
            notes[item_id] = rng.choice(pool[item_id])
        elif rng.random() < 0.08:
            notes[item_id] = rng.choice(GOOD_NOTES)
    return notes


def _scored(rubric: Rubric, data: dict[str, Any]) -> Session:
    """Score an observations file; answers the engine says were never reached are dropped.

    The engine is the authority on which items a call reached: an answer it
    refuses as unreached or not applicable is taken out, as a tester would
    leave that line of the form empty.
    """
    obs = parse_observations(data)
    for item_id in score(rubric, obs, partial=True).dropped:
        del data["answers"][item_id]
        data.get("notes", {}).pop(item_id, None)
    obs = parse_observations(data)
    result = score(rubric, obs)
    return session_from_observations(rubric, obs, result)


TALK_SECONDS: Mapping[str, tuple[float, float]] = {
    "transfer": (8.0, 35.0), "hang_up": (45.0, 200.0), "dropped": (20.0, 90.0),
}
"""How long people talk before a transfer or the end of a call (seconds, low–high)."""


def _as_pressed(session: Session, rng: random.Random) -> None:
    """Make a reconstructed timeline look pressed by a person, without changing its measures.

    Rings between the first and the answer move by a key press's wobble
    (−0.25…+0.35 s, kept in order), and people talk before a transfer or
    hanging up; every phase's first ring and answer keep their distance, so
    the rings and seconds (and the score) stay exactly as observed.
    """
    for attempt in session.attempts:
        shift = 0.0
        marks: list[Mark] = []
        for n, m in enumerate(attempt.marks):
            if m.kind in TALK_SECONDS:
                shift += round(rng.uniform(*TALK_SECONDS[m.kind]), 1)
            t = m.t + shift
            prev = marks[-1] if marks else None
            nxt = attempt.marks[n + 1] if n + 1 < len(attempt.marks) else None
            interior = (m.kind == "ring" and prev is not None and prev.kind == "ring"
                        and prev.phase == m.phase and nxt is not None
                        and nxt.phase == m.phase and nxt.kind in ("ring", "answer", "give_up"))
            if interior:
                assert prev is not None and nxt is not None
                wobble = t + rng.uniform(-0.25, 0.35)
                t = min(max(wobble, prev.t + 0.5), nxt.t + shift - 0.5)
            marks.append(Mark(round(t, 3), m.kind, m.phase, m.value))
        attempt.marks = marks


def _dropped_first(session: Session, rubric: Rubric, rng: random.Random) -> None:
    """Put a first attempt before the scored one: the line dropped at the operator's."""
    order = call_phases(rubric, session.context or Context())
    scored = session.attempts[0]
    first = scored.start.subtract(minutes=1, seconds=rng.randint(5, 40))
    ring = rng.uniform(1.5, 3.0)
    marks = [Mark(0.0, "dial", order[0]), Mark(round(ring, 3), "ring", order[0]),
             Mark(round(ring + 3.1, 3), "ring", order[0]),
             Mark(round(ring + 4.0, 3), "answer", order[0]),
             Mark(round(ring + 21.5, 3), "transfer", order[0]),
             Mark(round(ring + 23.0, 3), "ring", order[1]),
             Mark(round(ring + 24.6, 3), "dropped", order[1])]
    session.attempts.insert(0, Attempt(iso(first), marks))
    session.header["at"] = iso(first)


def make_session(rubric: Rubric, rng: random.Random, at: pendulum.DateTime, agency: str,
                 unit: str, tester: str, scenario: str = "good",
                 na: tuple[str, str] | None = None, quality: float = 0.8) -> Session:
    """One finished session of any form, observed and scored by the engine."""
    meta = {"agency": agency, "unit": unit, "tester": tester, "at": iso(at)}
    data: dict[str, Any] = {"rubric": rubric.id, "meta": meta}
    if rubric.uses_calls:
        meta["number"] = NUMBERS.get(agency, "02-2420-0000")
        data["context"], data["phases"] = _phases(rng, scenario, at)
    excluded = {i.id for i in rubric.covered(na[0])} if na else set()
    flags = {k for p in data.get("phases", {}).values() for k in ("busy",) if p.get(k)}
    answers = {i.id: _answer(rng, i, at.date(), quality, flags)
               for i in rubric.items if i.answered and i.id not in excluded}
    data["answers"] = answers
    data["notes"] = _notes(rng, rubric, answers)
    if na:
        data["na"] = {na[0]: na[1]}
    session = _scored(rubric, data)
    session.id = _uuid(rng)
    session.created_at = session.updated_at = iso(at)
    if rubric.uses_calls:
        _as_pressed(session, random.Random(session.id))
    if rubric.uses_calls and rng.random() < 0.5:
        session.header["question"] = rng.choice(QUESTIONS)
    session.seal()
    return session


def pending_session(rubric: Rubric, rng: random.Random, started: pendulum.DateTime,
                    agency: str, unit: str, tester: str) -> Session:
    """A telephone session whose switchboard rang out: pending its retest.

    The timeline is what the live screen records: the voice system answered,
    the operator rang nine times and the tester gave up.
    """
    ctx = Context()
    order = call_phases(rubric, ctx)
    assert rubric.timing is not None
    cadence = rubric.timing.ring_cadence_tenths / 10
    marks = [Mark(0.0, "dial", order[0])]
    t = 2.0
    for _ in range(2):
        marks.append(Mark(t, "ring", order[0]))
        t += cadence
    marks += [Mark(t - 1.2, "answer", order[0]), Mark(t + 6.0, "transfer", order[0])]
    t += 7.0
    for _ in range(rubric.timing.unanswered_rings):
        marks.append(Mark(round(t, 3), "ring", order[1]))
        t += cadence
    marks.append(Mark(round(t - 1.0, 3), "give_up", order[1]))
    header = {"agency": agency, "unit": unit, "tester": tester, "at": iso(started),
              "number": NUMBERS.get(agency, "02-2420-0000")}
    session = Session.new(rubric, id=_uuid(rng), header=header, context=ctx,
                          attempts=[Attempt(iso(started), marks)],
                          answers=dict(_WORDS["pending"]["answers"]),
                          notes=dict(_WORDS["pending"]["notes"]))
    _as_pressed(session, random.Random(session.id))
    due = retest_due(rubric, session)
    assert due is not None, "a switchboard that rang out needs a retest"
    session.status = "pending_retest"
    session.due_at = iso(due)
    session.created_at = session.updated_at = iso(started)
    return session


def _revise_some(rubrics: Mapping[str, Rubric], sessions: list[Session]) -> None:
    """Correct two sessions the way a tester would, a day after the test, with a reason."""
    done = 0
    for n, s in enumerate(sessions):
        rubric = rubrics[s.rubric]
        wrong = next((k for k, v in s.answers.items()
                      if v is False and rubric.item(k).kind == "yesno"), None)
        if wrong is None or not s.finished:
            continue
        at = iso(parse_datetime(s.at).add(days=1, hours=1))
        changes: dict[str, Any] = {f"answers.{wrong}": True,
                                   f"notes.{wrong}": "複核後更正：現場確有做到"}
        why = "複聽通話錄音後更正誤勾選" if rubric.uses_calls else "依現場照片複核後更正誤勾選"
        sessions[n] = revise(rubric, s, changes, why, s.header.get("tester", ""), at=at)
        done += 1
        if done == 1:
            tester = next(t for t in TESTERS if t != s.header.get("tester"))
            sessions[n] = revise(rubric, sessions[n], {"header.tester": tester},
                                 "測試人員誤植，依排班表更正", tester,
                                 at=iso(parse_datetime(s.at).add(days=2)))
        if done == 2:
            return


def _office_hours(rng: random.Random, day: pendulum.DateTime) -> pendulum.DateTime:
    """A weekday time between 9:00 and 16:30 on or before `day`."""
    while day.day_of_week in (pendulum.SATURDAY, pendulum.SUNDAY):
        day = day.subtract(days=1)
    minutes = rng.randint(0, 450)
    return day.replace(hour=9, minute=0, second=0, microsecond=0).add(minutes=minutes)


def _rubrics(rubrics: Mapping[str, Rubric] | None) -> Mapping[str, Rubric]:
    return rubrics if rubrics is not None else load_rubrics()


def iter_realistic_sessions(n: int, seed: int = 105, rubrics: Mapping[str, Rubric] | None = None,
                            now: dt.datetime | None = None,
                            days: int = 365) -> Iterator[Session]:
    """`n` finished sessions of the three forms over the last `days` days, as a generator."""
    rubrics = _rubrics(rubrics)
    rng = random.Random(seed)
    end = pendulum.instance(now or wall_now()).in_timezone("Asia/Taipei")
    forms = [("telephone", 6), ("registration", 2), ("petition", 2)]
    scenario_names = [s for s, _ in _SCENARIOS]
    scenario_weights = [w for _, w in _SCENARIOS]
    for _ in range(n):
        form = rng.choices([f for f, _ in forms], [w for _, w in forms])[0]
        rubric = rubrics[form]
        agency, units = rng.choice(AGENCIES)
        at = _office_hours(rng, end.subtract(days=rng.randint(1, days)))
        scenario = rng.choices(scenario_names, scenario_weights)[0]
        na = rng.choice(NA_REASONS[form]) if rng.random() < 0.06 else None
        yield make_session(rubric, rng, at, agency, rng.choice(units), rng.choice(TESTERS),
                           scenario, na, quality=rng.uniform(0.6, 0.95))


def realistic_sessions(n: int, seed: int = 105, rubrics: Mapping[str, Rubric] | None = None,
                       now: dt.datetime | None = None, days: int = 365) -> list[Session]:
    """`n` finished sessions of the three forms, about 3 KB each, for benchmarks."""
    return list(iter_realistic_sessions(n, seed, rubrics, now, days))


def demo_sessions(rubrics: Mapping[str, Rubric] | None = None,
                  now: dt.datetime | None = None, seed: int = 105) -> list[Session]:
    """The few dozen sessions of `callcheck demo`: every form, scenario and status.

    Over the last four months: each scenario of a telephone call at least
    once, registration and petition visits, not-applicable items with their
    reasons, two pending retests (one due now, one due in a few minutes).
    """
    rubrics = _rubrics(rubrics)
    rng = random.Random(seed)
    end = pendulum.instance(now or wall_now()).in_timezone("Asia/Taipei")
    tel, reg, pet = rubrics["telephone"], rubrics["registration"], rubrics["petition"]
    ccc = AGENCIES[0]
    out: list[Session] = []

    def when(days_ago: int) -> pendulum.DateTime:
        return _office_hours(rng, end.subtract(days=days_ago))

    # The election commission's own units, tested every month or so: a history to compare.
    for n, days_ago in enumerate((118, 90, 62, 33, 6)):
        for k, unit in enumerate(ccc[1][:3]):
            scenario = ("good", "slow", "good", "no_ivr", "good")[(n + k) % 5]
            out.append(make_session(tel, rng, when(days_ago + k), ccc[0], unit,
                                    TESTERS[(n + k) % len(TESTERS)], scenario,
                                    quality=0.65 + 0.07 * n))
    unusual = ("direct", "retest_answered", "unit_auto_transfer", "unanswered_twice",
               "unit_unanswered", "out_of_order", "slow", "no_ivr")
    for n, (days_ago, (agency, units)) in enumerate(
            zip((100, 75, 51, 27, 12, 3, 58, 85), AGENCIES[1:] * 2, strict=False)):
        out.append(make_session(tel, rng, when(days_ago), agency, units[0],
                                rng.choice(TESTERS), unusual[n]))
        out.append(make_session(tel, rng, when(days_ago + 1), agency, units[1],
                                rng.choice(TESTERS), "good"))
    out.append(make_session(tel, rng, when(20), ccc[0], "行政室", TESTERS[1], "good",
                            na=NA_REASONS["telephone"][0]))
    for days_ago, (agency, units) in zip((110, 80, 45, 15, 4), AGENCIES, strict=False):
        out.append(make_session(reg, rng, when(days_ago), agency, units[0], TESTERS[3],
                                quality=0.85))
    out.append(make_session(reg, rng, when(40), ccc[0], "第一組", TESTERS[2],
                            na=NA_REASONS["registration"][0]))
    for days_ago, (agency, units) in zip((95, 70, 38, 9), AGENCIES, strict=False):
        out.append(make_session(pet, rng, when(days_ago), agency, units[-1], TESTERS[4],
                                quality=0.7))
    out.append(make_session(pet, rng, when(24), AGENCIES[1][0], "民政處", TESTERS[4],
                            na=NA_REASONS["petition"][0]))
    _revise_some(rubrics, out)
    pending = [pending_session(tel, rng, end.subtract(minutes=14), AGENCIES[2][0], "社會課",
                               TESTERS[0]),
               pending_session(tel, rng, end.subtract(minutes=4), ccc[0], "第二組",
                               TESTERS[1])]
    # Outcomes the form meets less often: a busy unit line (nobody / a substitute takes
    # it), an exchange that rings every 4 s, and a line that dropped and was dialled again.
    for days_ago, (agency, units), scenario in zip(
            (97, 66, 41, 19), AGENCIES[1:], ("unit_busy", "unit_busy_substitute",
                                             "slow_exchange", "good"), strict=False):
        s = make_session(tel, rng, when(days_ago), agency, units[-1], rng.choice(TESTERS),
                         scenario)
        if days_ago == 19:
            _dropped_first(s, tel, rng)
            s.seal()
        out.append(s)
    return sorted(out + pending, key=lambda s: parse_datetime(s.at))


def fill_store(store: Store, rubrics: Mapping[str, Rubric] | None = None,
               now: dt.datetime | None = None) -> int:
    """Put the demo sessions in a store (meant for a throwaway database); returns how many."""
    return store.insert_many(demo_sessions(rubrics, now))
