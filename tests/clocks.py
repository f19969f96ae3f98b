"""The fake clocks the tests drive by hand (the clock is injected, never read for real)."""

from __future__ import annotations

import pendulum

START = pendulum.datetime(2026, 11, 26, 10, 0, 0, tz="Asia/Taipei")


class Clocks:
    """A fake monotonic clock, and a wall clock in Asia/Taipei that moves with it."""

    def __init__(self, mono: float = 5000.0) -> None:
        self.mono = mono
        self.base = mono

    def __call__(self) -> float:
        return self.mono

    def wall(self) -> pendulum.DateTime:
        return START.add(microseconds=int(round((self.mono - self.base) * 1_000_000)))

    def at(self, seconds: float) -> float:
        """Move both clocks to `seconds` after START; returns the monotonic time."""
        self.mono = self.base + seconds
        return self.mono
