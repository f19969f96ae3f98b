"""Pilot helpers: a fake clock that moves by hand, timing keys posted with a chosen time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from time import monotonic

import pendulum
import pytest
import textual._wait
from textual import events
from textual.app import App
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Checkbox, Input, RadioButton

from callcheck.rubric import Rubric, load_rubrics
from callcheck.session import Session
from callcheck.store import Store
from callcheck.ui.app import CallcheckApp

from ..clocks import START, Clocks

ROOT = Path(__file__).resolve().parents[2]

# Test-harness setting, not the app's: Textual's Pilot waits after every key press and
# pause in `textual._wait.wait_for_idle`, which sleeps SLEEP_GRANULARITY (20 ms) at a time
# until the process was idle for one sleep. The tests never rely on that heuristic (under
# load it returns early anyway): what they check, they wait for (`quiet`, `Caller.settle`,
# `app.workers.wait_for_complete()`). Sleeping 0.5 ms at a time (idle: under 0.1 ms of CPU
# in it) makes each wait forty times shorter; the suite spent most of its wall time in them.
textual._wait.SLEEP_GRANULARITY = 0.0005
textual._wait.SLEEP_IDLE = 0.0001

# Test-harness setting: Textual draws the screen after every change even when headless,
# where the drawing is thrown away (`App._display` writes nothing). That drawing was a third
# of the Pilot tests' time. Here the top screen is drawn when a test looks at it: its last
# frame when `run_test` ends, a snapshot, `screen_text`, or `draw(app)`; the changes in
# between add up in the compositor's dirty regions and are drawn together. Layout, sizes,
# scrolling and every event are exactly as in the app. A render error still fails the
# test that draws the broken state. Tests about drawing itself (the lazy table) draw every
# frame: `@pytest.mark.usefixtures("every_frame")`. The tmux tests draw every frame for real.
DRAW_EVERY_FRAME = False
_draw_frame = Screen._compositor_refresh


def _draw_when_looked_at(self: Screen[object]) -> None:
    app = self.app
    if DRAW_EVERY_FRAME or self is not app.screen or app.is_inline:
        _draw_frame(self)
        return
    self._dirty_widgets.clear()
    app._update_mouse_over(self)


def draw(app: App[object]) -> None:
    """Draw the active screen's changes since it was last drawn, as the terminal would."""
    _draw_frame(app.screen)


_run_test = App.run_test


@asynccontextmanager
async def _run_test_and_draw_the_last_frame(self: App[object], *args: object,
                                            **kwargs: object) -> AsyncIterator[Pilot[object]]:
    async with _run_test(self, *args, **kwargs) as pilot:  # type: ignore[arg-type]
        yield pilot
        if self.is_running and self._screen_stack:
            draw(self)


Screen._compositor_refresh = _draw_when_looked_at  # type: ignore[method-assign]
App.run_test = _run_test_and_draw_the_last_frame  # type: ignore[assignment,method-assign]


@pytest.fixture
def every_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw after every change, as Textual does by default (for tests about drawing)."""
    monkeypatch.setattr(__name__ + ".DRAW_EVERY_FRAME", True)


# Test-harness setting: every app in a test process parses the same CSS, and Textual keeps
# its parse memo per stylesheet (a fresh one for each app, and again at each screen's first
# push, `Stylesheet.reparse`). One memo per process, keyed as Textual keys its own and kept
# with the theme's variables it was parsed with, makes each parse after the first a lookup.
_parse_rules = Stylesheet._parse_rules
_PARSED: dict[tuple[object, ...], tuple[dict[str, str], list[RuleSet]]] = {}


def _parse_rules_once(self: Stylesheet, css: str, read_from: tuple[str, str],
                      is_default_rules: bool = False, tie_breaker: int = 0,
                      scope: str = "") -> list[RuleSet]:
    key = (css, read_from, is_default_rules, tie_breaker, scope)
    parsed = _PARSED.get(key)
    if parsed is None or parsed[0] != self._variables:
        rules = _parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        parsed = _PARSED[key] = (dict(self._variables), rules)
    return parsed[1]


Stylesheet._parse_rules = _parse_rules_once  # type: ignore[method-assign]

QUIET_LIMIT = 30.0
"""Seconds `quiet` waits for the screen to settle before it fails (never reached unless a
screen keeps posting work to itself: a loaded machine settles in well under a second)."""


def _busy(app: App[object]) -> bool:
    """Whether the app or a widget on the active screen has work queued, or the screen has a
    layout, scroll, repaint or after-refresh callback not yet done (Textual 8.2.8's
    internals: textual is pinned exactly)."""
    screen = app.screen
    for node in (app, *screen.walk_children(with_self=True)):
        if not node._message_queue.empty() or node._next_callbacks:
            return True
    return bool(screen._layout_required or screen._scroll_required or screen._repaint_required
                or screen._dirty_widgets or screen._recompose_required or screen._callbacks)


_pause = Pilot.pause


async def _pause_until_settled(self: Pilot[object], delay: float | None = None) -> None:
    """`Pilot.pause()`, and on until the active screen has settled (`_busy`): Textual's own
    pause returns once the process looks idle for a moment, which under load can be before a
    key's scroll or layout is done. With a delay, only the delay (as Textual does)."""
    await _pause(self, delay)
    if delay is not None:
        return
    deadline = monotonic() + QUIET_LIMIT
    while _busy(self.app):
        assert monotonic() < deadline, f"{self.app.screen!r} never settled"
        await _pause(self, None)


Pilot.pause = _pause_until_settled  # type: ignore[method-assign]


async def quiet(pilot: Pilot[object], *, pause_first: bool = True) -> None:
    """Wait until the active screen has handled everything queued and is laid out as it is
    now (a footer rebuilt after a dialog closed, rows mounted after a recompose; drawn when
    a test looks, see above): tests read the screen after this, or after `pilot.pause()`,
    which here waits the same way; never after a guess at how long it takes.
    `pause_first=False` right after `pilot.press`, which has already waited for the
    handlers of the keys to return: it pauses only while the screen is busy."""
    if pause_first or _busy(pilot.app):
        await pilot.pause()


HANDLER_LAG = 0.25
"""How long after a key is read its handler runs, in these tests (the mark must not see it)."""


@pytest.fixture
def clocks() -> Iterator[Clocks]:
    with pendulum.travel_to(START, freeze=True):
        yield Clocks(7000.0)


@pytest.fixture(scope="session")
def rubrics() -> dict[str, Rubric]:
    return load_rubrics(ROOT / "rubrics")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "sessions" / "callcheck.json"


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    s = Store(db)
    yield s
    s.close()


CHARACTERS = {"tab": "\t", "backspace": "\x7f", "enter": "\r", "escape": "\x1b"}


async def typed(pilot: Pilot[object], *parts: str) -> None:
    """`burst`, then wait until the app has dealt with every key of it (`quiet`).
    Tests type words this way: Chinese arrives a word at a time (from the input method)."""
    burst(pilot.app, *parts)
    await pilot.app.wait_for_keys()  # type: ignore[attr-defined]
    await quiet(pilot)


def burst(app: App[object], *parts: str) -> None:
    """Post keys as one terminal read: a named key (`tab`) or a typed word (`基隆市政府`)."""
    for part in parts:
        if part in CHARACTERS or part.startswith("ctrl+"):
            character = CHARACTERS.get(part, chr(ord(part[-1]) - 96))
            app.post_message(events.Key(part, character))
        else:
            for character in part:
                app.post_message(events.Key("space" if character == " " else character,
                                            character))


def make_app(store: Store, rubrics: dict[str, Rubric], clocks: Clocks,
             lang: str = "zh") -> CallcheckApp:
    return CallcheckApp(store=store, rubrics=rubrics, lang=lang,  # type: ignore[arg-type]
                        clock=clocks, wall_clock=clocks.wall)


OPERATOR_ALL_YES = ("1", "2", "3", "4", "5", "6", "7", "8")
"""Operator items, each pressed once: yes / the first (best) option."""
UNIT_BEST = ("1", "2", "3", "4", "1")  # 2.3: its key asks 甲/乙 first (1 = 甲)


class Caller:
    """Drives the app through a call: timing keys carry the time they were 'pressed'."""

    def __init__(self, pilot: Pilot[int], clocks: Clocks) -> None:
        self.pilot = pilot
        self.app: CallcheckApp = pilot.app  # type: ignore[assignment]
        self.clocks = clocks

    async def key(self, key: str, t: float) -> None:
        """Press `key` at `t` seconds after START; its handler runs HANDLER_LAG later."""
        pressed = self.clocks.at(t)
        self.clocks.mono = pressed + HANDLER_LAG
        event = events.Key(key, " " if key == "space" else (key if len(key) == 1 else None))
        event.time = pressed
        self.app.post_message(event)
        await quiet(self.pilot)

    async def rings(self, first: float, count: int, cadence: float = 3.0) -> None:
        for k in range(count):
            await self.key("space", first + k * cadence)

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await quiet(self.pilot, pause_first=False)

    async def setup(self, at: float = 0.0, *, agency: str = "基隆市選舉委員會",
                    unit: str = "第一組", number: str = "02-2424-0000", tester: str = "王小明",
                    route: str = "switchboard", has_ivr: bool = True, has_operator: bool = True,
                    question: str = "") -> None:
        """From home: new telephone test, fill the setup, dial at `at` seconds."""
        await self.press("n")
        screen = self.app.screen
        for key, value in (("agency", agency), ("unit", unit), ("number", number),
                           ("tester", tester)):
            screen.query_one(f"#h-{key}", Input).value = value
        screen.query_one("#question", Input).value = question
        if route == "direct":
            screen.query_one("#direct", RadioButton).value = True
        screen.query_one("#has_ivr", Checkbox).value = has_ivr
        screen.query_one("#has_operator", Checkbox).value = has_operator
        await self.pilot.pause()
        self.clocks.at(at)
        await self.press("ctrl+s")

    async def perfect_call(self) -> None:
        """From home: a full-marks call through voice system, operator and unit, hung up at
        60 s (ends on the live screen, Enter goes to review)."""
        await self.setup(at=0.0)
        await self.rings(1.0, 2)
        await self.key("a", 5.0)
        await self.press("1")
        await self.key("t", 6.0)
        await self.rings(7.0, 2)
        await self.key("a", 12.0)
        await self.press(*OPERATOR_ALL_YES)
        await self.key("t", 14.0)
        await self.key("space", 15.0)
        await self.key("a", 16.5)
        await self.press(*UNIT_BEST)
        await self.key("e", 60.0)

    @property
    def session(self) -> Session:
        return self.app.screen.call.session  # type: ignore[attr-defined]

    async def tick(self) -> None:
        """Run the screen's clock timer once, now: the fake clock moved, no real waiting."""
        screen = self.app.screen
        for timer in ("repaint", "_tick"):  # the live clock; home's countdowns
            if hasattr(screen, timer):
                getattr(screen, timer)()
        await quiet(self.pilot)

    async def settle(self) -> None:
        """Let queued saves reach the store, and their results reach the screen."""
        await self.pilot.pause()
        await self.app.workers.wait_for_complete()
        await quiet(self.pilot)


def marks(session: Session, attempt: int = 0) -> list[tuple[float, str, str]]:
    return [(m.t, m.kind, m.phase) for m in session.attempts[attempt].marks]
