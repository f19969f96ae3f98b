"""Keys reach the app one at a time: a burst of typing is never split or misplaced.

Workaround for Textual 8.2.8 (see `docs/notes/textual-key-order.md`; a
bare-app reproduction is beside it). The app forwards every key from the terminal to the widget
focused *at that moment*; but a key handled by a binding (`tab` → next field,
`backspace` → delete left, `enter` → submit) only acts when it has bubbled from that
widget back up to the app, one message queue at a time. The characters that came in
the same read from the terminal (an IME's whole word, `基隆市政府⇥民政處`) have long been
forwarded by then: they land in the field the tab was leaving, and the backspaces
typed *before* them delete them.

`KeyOrder` makes the app forward the next key (or paste) only once the previous one
has been dealt with: it follows the key up the same chain of queues it travels
(focused widget → its parents → screen → app) with a callback queued behind it in
each, so the next key is forwarded only after the last place the key can act. A key
that nothing can follow any more (its widget was removed on the way) is let go at the
next check (`WATCH_EVERY`), and none holds the keyboard longer than `HARD_LIMIT`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from time import monotonic
from typing import TypeVar

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.timer import Timer
from textual.widget import Widget

ReturnT = TypeVar("ReturnT")

WATCH_EVERY = 0.1
"""Seconds between checks that the queue a key is waited for in still exists."""

HARD_LIMIT = 5.0
"""Seconds after which a key still in flight no longer holds back the next one, whatever
it is waiting for (a handler that never returns must not stop the keyboard)."""


MAX_ROUNDS = 4
"""How many times a key's consequences are followed up the chain before the next key goes."""


def _busy(node: MessagePump) -> bool:
    """Whether a message is waiting in `node`'s queue or in one of its parents' (not the app's)."""
    while node._parent is not None:
        if not node._message_queue.empty():
            return True
        node = node._parent
    return False


class KeyOrder(App[ReturnT]):
    """An app whose keys and pastes are delivered in order, each after the one before."""

    _in_flight: events.Event | None = None
    _backlog: deque[events.Event]
    _waiting_on: MessagePump | None = None
    _since = 0.0
    _watcher: Timer | None = None

    def _ordered(self, event: events.Event) -> bool:
        return isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded

    async def on_event(self, event: events.Event) -> None:
        if not self._ordered(event):
            await super().on_event(event)
            return
        if not hasattr(self, "_backlog"):
            self._backlog = deque()
        if self._in_flight is not None or self._backlog:
            self._backlog.append(event)
            return
        await self._deliver(event)

    async def _deliver(self, event: events.Event) -> None:
        target: MessagePump = self.focused or self.screen
        self._in_flight = event
        await super().on_event(event)  # priority bindings, then forwarded to `target`
        if not event.is_forwarded:  # taken by a priority binding: nothing else follows
            self._in_flight = None
            await self._next()
            return
        if self._watcher is None:
            self._watcher = self.set_interval(WATCH_EVERY, self._watch)
        self._since = monotonic()
        self._follow(event, target, target, 1)

    def _watch(self) -> None:
        """Let go of a key whose queue went away with its widget (a dialog that closed)."""
        event, node = self._in_flight, self._waiting_on
        if event is None:
            return
        gone = node is not None and (node._closing or node._closed or (
            isinstance(node, Widget) and not node.is_attached))
        if gone or monotonic() - self._since > HARD_LIMIT:
            self._done(event)

    def _follow(self, event: events.Event, node: MessagePump, target: MessagePump,
                round_: int) -> None:
        """Queue a check behind `event` in `node`'s queue; from there, on to its parent's.

        Once the check reaches the app, the key has been handled; but what it set off
        (`enter` → `Input.Submitted` → the screen moves focus) travels the same chain,
        so while a queue on the chain is not empty another round follows it.
        """

        def after() -> None:
            if self._in_flight is not event:
                return
            parent = node._parent
            if node is not self and parent is not None:
                self._follow(event, parent, target, round_)
            elif round_ < MAX_ROUNDS and _busy(target):
                self._follow(event, target, target, round_ + 1)
            else:
                self._done(event)

        self._waiting_on = node
        if not node.call_later(after):
            self._done(event)

    def _done(self, event: events.Event) -> None:
        if self._in_flight is not event:
            return
        self._in_flight = None
        self._waiting_on = None
        if self._backlog:
            self.call_later(self._next)

    async def _next(self) -> None:
        if self._in_flight is None and self._backlog:
            await self._deliver(self._backlog.popleft())

    @property
    def keys_waiting(self) -> int:
        """Keys (and pastes) received and not yet dealt with: still in the app's queue,
        held back, or the one in flight."""
        queued = sum(1 for m in list(getattr(self._message_queue, "_queue", ()))
                     if self._ordered(m))
        return queued + len(getattr(self, "_backlog", ())) + (self._in_flight is not None)

    async def wait_for_keys(self, timeout: float = 30.0) -> None:
        """Until every key received so far has been dealt with (for tests)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        for _ in range(3):  # keys posted from elsewhere reach the queue on the loop's next turn
            await asyncio.sleep(0)
        while self.keys_waiting and loop.time() < end:
            await asyncio.sleep(0.01)
