"""Progress for long work: a rich bar on standard error, only once it takes a while.

A build of a few posts shows nothing; reading 10,000 bookmarks, scanning
hundreds of images or checking thousands of texts shows a bar after the first
second (``AFTER``), and the bar goes when the work ends. Nothing is drawn when
standard error is not a terminal (CI logs, pipes), unless a console is given.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any

AFTER = 1.0  # seconds of work before a bar appears


class Progress:
    """``with Progress("checking texts", total) as bar: ... bar.advance()``."""

    def __init__(
        self,
        label: str,
        total: int | None = None,
        *,
        unit: str = "",
        after: float = AFTER,
        console: Any = None,
        enabled: bool = True,
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        self._console = console
        self._bar: Any = None
        self._task: Any = None
        self._lock = threading.Lock()
        self._closed = False
        self._timer: threading.Timer | None = None
        self.shown = False  # the bar appeared (tests, and the benchmark's notes)
        if enabled and self._terminal():
            self._timer = threading.Timer(after, self._show)
            self._timer.daemon = True
            self._timer.start()

    def _terminal(self) -> bool:
        if self._console is not None:
            return True
        from rich.console import Console

        self._console = Console(stderr=True)
        return bool(self._console.is_terminal)

    def _show(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import (
            Progress as RichProgress,
        )

        with self._lock:
            if self._closed or self._bar is not None:
                return
            columns: list[Any] = [TextColumn(f"prudent: {self.label}")]
            if self.total is None:
                columns += [SpinnerColumn(), TextColumn(f"{{task.completed:,}} {self.unit}")]
                columns += [TimeElapsedColumn()]
            else:
                columns += [BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
            self._bar = RichProgress(*columns, console=self._console, transient=True)
            self._task = self._bar.add_task(self.label, total=self.total, completed=self.done)
            self._bar.start()
            self.shown = True

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self.done += n
            if self._bar is not None:
                self._bar.update(self._task, completed=self.done)

    def describe(self, label: str) -> None:
        """Say which phase the work is in (e.g. the rule running)."""
        with self._lock:
            self.label = label
            if self._bar is not None:
                self._bar.columns[0].text_format = f"prudent: {label}"

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
            if self._bar is not None:
                self._bar.stop()
                self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
