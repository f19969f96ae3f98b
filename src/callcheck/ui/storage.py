"""The app's door to the store: every read and write off the event loop, in order.

Writes go into one queue drained by a thread worker under a lock, so a
draft saved after a mark can never land after the commit that follows it.
Each write works on a snapshot of the session (the UI keeps changing the
original). A write that fails is reported with `StoreFailed` and the queue
goes on: the next draft carries everything the failed one had. Reads go
through the same queue, so they see every write made before them. (The
Store itself is safe to call from any thread; the lock here only keeps the
queue drained by one thread at a time, the worker or the final flush.)
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.message_pump import MessagePump

from ..session import Session

if TYPE_CHECKING:
    from ..store import Store


def snapshot(session: Session) -> Session:
    """An independent copy, safe to hand to another thread."""
    return Session.from_doc(session.to_doc())


@dataclass(frozen=True)
class Op:
    kind: str
    """draft, commit, setting, load."""
    run: Callable[[Store], Message | None]
    """Does the work; the message it returns goes to `target` (default: the app)."""
    target: MessagePump | None = None


@dataclass(eq=False)
class WorkFailed(Message):
    """A screen's worker could not do its work; `error` says why (the screen shows it)."""

    error: Exception


@dataclass(eq=False)
class StoreFailed(Message):
    """A store operation failed; `error` says why."""

    kind: str
    error: BaseException


@dataclass(eq=False)
class Committed(Message):
    """A session was stored for good (finished, or pending its retest)."""

    session: Session


@dataclass(eq=False)
class HomeLoaded(Message):
    """Pending retests and drafts, read for the home screen."""

    pending: list[Session]
    drafts: list[Session]


@dataclass(eq=False)
class SettingLoaded(Message):
    key: str
    value: Any


class StoreWorkers:
    """Mixed into the App: queue writes, load in the background, flush at exit."""

    store: Store

    def _init_store_workers(self) -> None:
        self._ops: deque[Op] = deque()
        self._drain_lock = threading.Lock()
        self._revs: dict[str, int] = {}
        self._exiting = False

    if TYPE_CHECKING:
        def post_message(self, message: Message) -> bool: ...

    # -- writes ------------------------------------------------------------------------------
    def save_draft(self, session: Session) -> None:
        """Save a call in progress (on every mark and answer)."""
        copy = snapshot(session)

        def run(store: Store) -> None:
            store.save_draft(copy)

        self._enqueue(Op("draft", run))

    def commit(self, session: Session) -> None:
        """Store a finished or pending session and drop its draft."""
        copy = snapshot(session)

        def run(store: Store) -> Message:
            copy.rev = max(copy.rev, self._revs.get(copy.id, 0))
            store.commit(copy)
            self._revs[copy.id] = copy.rev
            return Committed(copy)

        self._enqueue(Op("commit", run))

    def discard_draft(self, session_id: str) -> None:
        """Drop a call's draft (a call started by mistake); nothing finished or pending changes.

        A stored copy still marked `draft` (a give-up undone, see `reopen`) goes with it."""

        def run(store: Store) -> None:
            store.discard_draft(session_id)
            if session_id in store and store.get(session_id).status == "draft":
                store.delete(session_id)

        self._enqueue(Op("draft", run))

    def reopen(self, session: Session) -> None:
        """A stored pending retest is a call in progress again (its give-up was undone).

        The draft is written first, then the stored copy saved as a draft too, so
        `callcheck pending` stops listing it at once and a crash in between leaves
        a draft to resume either way."""
        copy = snapshot(session)

        def run(store: Store) -> None:
            store.save_draft(copy)
            if copy.id in store and store.get(copy.id).status == "pending_retest":
                copy.rev = max(copy.rev, self._revs.get(copy.id, 0))
                store.save(copy)
                self._revs[copy.id] = copy.rev

        self._enqueue(Op("draft", run))

    def set_setting(self, key: str, value: Any) -> None:
        def run(store: Store) -> None:
            store.set_setting(key, value)

        self._enqueue(Op("setting", run))

    # -- reads: queued too, so they see every write made before them ---------------------------
    def load_home(self, target: MessagePump) -> None:
        """Read pending retests and drafts for `target` (a draft hides its pending copy)."""
        def run(store: Store) -> Message:
            drafts = store.drafts()
            drafted = {d.id for d in drafts}
            return HomeLoaded([s for s in store.pending() if s.id not in drafted], drafts)

        self._enqueue(Op("load", run, target))

    @work(thread=True, group="warm", exit_on_error=False)
    def warm_rows(self) -> None:
        """Read the row index in the background, so that History's first opening shows its
        rows at once (at 100,000 sessions the read takes ~0.5 s). A worker of its own, not
        the store's queue, so no save waits for it; skipped once the app is exiting; a
        failure is left for History to show when it is opened."""
        if not self._exiting:
            with contextlib.suppress(Exception):
                self.store.rows()

    def load_setting(self, target: MessagePump, key: str, default: Any = None) -> None:
        def run(store: Store) -> Message:
            return SettingLoaded(key, store.get_setting(key, default))

        self._enqueue(Op("load", run, target))

    def _enqueue(self, op: Op) -> None:
        self._ops.append(op)
        self._drain_in_thread()

    @work(thread=True, exclusive=True, group="store", exit_on_error=False)
    def _drain_in_thread(self) -> None:
        self._drain()

    def _drain(self) -> None:
        with self._drain_lock:
            while self._ops:
                op = self._ops.popleft()
                try:
                    message = op.run(self.store)
                except Exception as exc:  # every failure is shown to the tester
                    self.post_message(StoreFailed(op.kind, exc))
                    continue
                if message is not None:
                    (op.target or self).post_message(message)
                    if isinstance(message, Committed) and op.target is not None:
                        self.post_message(message)

    def flush_store(self) -> None:
        """Write whatever is still queued, now (at exit)."""
        self._exiting = True
        self._drain()
