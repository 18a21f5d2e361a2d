"""Long work shows progress on a terminal; short work and logs show nothing."""

from __future__ import annotations

import io
import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console

from prudent.progress import Progress


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=100), out


def test_a_bar_appears_only_after_the_threshold_and_counts() -> None:
    console, out = _console()
    with Progress("checking texts", 5, unit="texts", console=console, after=0.2) as bar:
        bar.advance(2)
        assert not bar.shown and out.getvalue() == ""
        time.sleep(0.6)
        bar.advance(3)
    assert bar.shown
    text = out.getvalue()
    assert "prudent: checking texts" in text and "5/5" in text


def test_quick_work_draws_nothing() -> None:
    console, out = _console()
    with Progress("scanning images", 3, console=console, after=0.5) as bar:
        bar.advance(3)
    time.sleep(0.7)  # the timer was cancelled: nothing comes late either
    assert not bar.shown and out.getvalue() == ""


def test_no_terminal_no_bar() -> None:
    with Progress("reading bookmarks", after=0.0) as bar:
        time.sleep(0.2)
    assert not bar.shown  # pytest's stderr is not a terminal


def _bookmarks(n: int) -> str:
    words = [
        "plain",
        "language",
        "design",
        "service",
        "accessibility",
        "data",
        "open",
        "delivery",
        "research",
    ]
    posts = [
        {
            "href": f"https://site{i % 300}.example/{words[i % 9]}/{i}",
            "description": f"{words[i % 7].capitalize()} notes {i}",
            "extended": " ".join(words[(i + k) % 9] for k in range(12)) + ".",
            "time": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z",
            "shared": "yes",
            "tags": f"{words[i % 5]} {words[(i + 3) % 9]}",
        }
        for i in range(n)
    ]
    return json.dumps(posts)


def test_make_build_on_a_terminal_shows_the_long_phases(project: Path) -> None:
    """A real build in a pseudo-terminal, as a person runs ``make build``."""
    (project / "content/bookmarks/pinboard.json").write_text(_bookmarks(3000))
    primary, secondary = os.openpty()
    env = dict(os.environ, COLUMNS="120", TERM="xterm-256color")
    proc = subprocess.Popen(
        [sys.executable, "-m", "invoke", "build"],
        cwd=project,
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env=env,
    )
    os.close(secondary)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 1.0)
        if ready:
            try:
                data = os.read(primary, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.wait(timeout=60)
    os.close(primary)
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8", "replace"))
    assert proc.returncode == 0, screen[-3000:]
    assert "prudent: checking texts" in screen, screen[-3000:]
    assert re.search(r"\d+/\d+", screen)  # a count, not just a spinner
    assert "Built output/" in screen
