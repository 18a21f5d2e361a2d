"""``invoke watch``: a resident ``check`` that keeps the rules and their models loaded.

It checks the site once, then, every time a content file changes, checks again
(``sitebuild.fastcheck``: only the edited posts are re-read and re-judged) and
prints the report. While it runs, ``invoke check`` (``make check``) asks it over
a Unix socket in ``.cache/prudent/`` instead of starting the rules afresh, and
prints the very report a check of its own would (``PRUDENT_NO_WATCH=1``: it
does not ask).

One request is one JSON line (the settings file and overrides), one answer is
one JSON line (the report and Pelican's problems, or an error to fall back on).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SOCKET = ".cache/prudent/check.sock"
POLL = 0.25  # seconds between looks at the content folder


def socket_path(root: Path) -> Path:
    return root / SOCKET


def ask(settings_file: Path, overrides: dict[str, Any] | None = None) -> Any | None:
    """The report of a running ``watch`` for this project (a CheckResult), or None."""
    from sitebuild.fastcheck import project_root

    path = socket_path(project_root(settings_file, overrides))
    if os.environ.get("PRUDENT_NO_WATCH") or not path.exists():
        return None
    request = {"settings": str(Path(settings_file).resolve()), "overrides": overrides or {}}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(120)
            s.connect(str(path))
            s.sendall((json.dumps(request, default=str) + "\n").encode())
            data = b""
            while not data.endswith(b"\n"):
                chunk = s.recv(1 << 16)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None  # no one listens (a watch that stopped): check here
    try:
        reply = json.loads(data)
    except ValueError:
        return None
    if "error" in reply:
        return None
    from sitebuild.build import CheckResult
    from sitebuild.fastcheck import stored_report

    return CheckResult(stored_report({"report": reply["report"]}), reply["problems"])


def _answer(conn: socket.socket, settings_file: Path, overrides: dict[str, Any]) -> None:
    from sitebuild.build import BuildFailed, check
    from sitebuild.fastcheck import report_json

    data = b""
    conn.settimeout(10)
    while not data.endswith(b"\n"):
        chunk = conn.recv(1 << 16)
        if not chunk:
            break
        data += chunk
    try:
        request = json.loads(data)
        if Path(request["settings"]) != settings_file.resolve() or request["overrides"] != {
            k: v for k, v in overrides.items()
        }:
            reply: dict[str, Any] = {"error": "another project or settings"}
        else:
            result = check(settings_file, overrides)
            reply = {"report": report_json(result.report), "problems": result.problems}
    except BuildFailed as exc:
        reply = {"error": str(exc)}
    except Exception as exc:  # the asking check runs on its own
        reply = {"error": f"{type(exc).__name__}: {exc}"}
    conn.sendall((json.dumps(reply) + "\n").encode())


WARM_UP = (
    "Title: Warm-up\n\nJordan Lee said the plan was foolish. I hate my job some days.\n"
    "The Liberal Party met on Tuesday.\n"
)


def warm_up(root: Path) -> None:
    """Load the text rules and their models now, not at the first edit."""
    from prudent.document import MARKDOWN, TextDocument
    from sitebuild.fastcheck import Index, checker_for

    loaded = Index(root).load()
    if loaded is None or "key" not in loaded[0]:
        return
    checker = checker_for(root, loaded[0]["key"])
    saved, checker.cache_dir = checker.cache_dir, None  # nothing of it kept
    try:
        checker.check([TextDocument("content/posts/warm-up.md", WARM_UP, MARKDOWN)])
    finally:
        checker.cache_dir = saved


def _stop(*_: object) -> None:
    raise KeyboardInterrupt


def watch(
    settings_file: Path,
    overrides: dict[str, Any] | None = None,
    say: Callable[[str], Any] = print,
    until: Callable[[], bool] = lambda: False,
) -> None:
    """Check now and after every change, and answer ``check`` requests, until stopped."""
    from sitebuild.build import BuildFailed, check
    from sitebuild.fastcheck import project_root, scan

    settings_file = Path(settings_file)
    overrides = dict(overrides or {})
    root = project_root(settings_file, overrides)
    path = socket_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                probe.connect(str(path))
            say(f"Another watch already answers for {root} ({path}).")
            return
        except OSError:
            path.unlink()  # left by a watch that was killed
    import signal

    # `kill` stops it as Ctrl-C does: the socket goes with it.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(4)
    server.settimeout(POLL)
    last: dict[str, tuple[int, int]] | None = None
    try:
        say(f"Watching {root} (Ctrl-C stops); `make check` asks this process meanwhile.")
        while not until():
            content = root / "content"
            seen = scan(content, root) if content.is_dir() else {}
            if seen != last:
                t = time.perf_counter()
                try:
                    result = check(settings_file, overrides)
                    text = result.report.to_text()
                    for problem in result.problems:
                        text += f"  {problem}\n"
                except BuildFailed as exc:
                    text = f"{exc}\n"
                say(text.rstrip("\n") + f"\n(checked in {time.perf_counter() - t:.2f} s)")
                if last is None:
                    warm_up(root)
                last = seen
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                _answer(conn, settings_file, overrides)
    finally:
        server.close()
        with contextlib.suppress(OSError):
            os.unlink(path)
