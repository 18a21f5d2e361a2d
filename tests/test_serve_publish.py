"""``make serve`` rebuilds live; ``make publish`` deploys only a green build."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sitebuild.publish import PublishError, publish


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.read().decode()


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_serve_rebuilds_on_change_and_keeps_last_good_build(project: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "invoke", "serve", "--port", str(port)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        assert _wait_for(lambda: "Latest notes" in _get(base)), "server did not come up"
        # Links point at the local server, not the production SITEURL.
        assert f'href="http://127.0.0.1:{port}/about/"' in _get(base)
        post = project / "content/posts/2026-10-05-offer-content-reviews.md"
        post.write_text(
            post.read_text().replace(
                "Title: An offer: I will review one page of your writing",
                "Title: An offer: one page reviewed, kindly",
            )
        )
        assert _wait_for(lambda: "one page reviewed, kindly" in _get(base)), "no live rebuild"
        # A broken post: the failed rebuild keeps the last good site on screen.
        (project / "content/posts/broken.md").write_text(
            "Title: Broken\nDate: 2026-11-01\n\n[x]({filename}/posts/missing.md)\n"
        )
        time.sleep(4)
        assert "one page reviewed, kindly" in _get(base)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert "Build failed: still serving the last good build." in out


def test_publish_deploys_a_green_build_with_rsync(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("PRUDENT_DEPLOY", "rsync")
    monkeypatch.setenv("PRUDENT_RSYNC_TARGET", "notebook@example.invalid:/srv/www/")
    commands: list[str] = []
    publish(project / "publishconf.py", runner=commands.append)
    out = (project / "output").resolve()
    assert commands == [f"rsync -avz --delete {out}/ notebook@example.invalid:/srv/www/"]
    assert (out / "index.html").is_file()


def test_publish_refuses_when_the_build_fails(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("PRUDENT_DEPLOY", "ghp-import")
    (project / "content/posts/broken.md").write_text(
        "Title: Broken\nDate: 2026-11-01\n\n[x]({filename}/posts/missing.md)\n"
    )
    commands: list[str] = []
    with pytest.raises(PublishError, match="nothing was deployed"):
        publish(project / "publishconf.py", runner=commands.append)
    assert commands == []
    assert not (project / "output").exists()


def test_publish_refuses_without_a_target(project: Path, monkeypatch) -> None:
    monkeypatch.delenv("PRUDENT_DEPLOY", raising=False)
    with pytest.raises(PublishError, match="DEPLOY_METHOD"):
        publish(project / "publishconf.py", runner=lambda cmd: None)
    monkeypatch.setenv("PRUDENT_DEPLOY", "rsync")
    monkeypatch.delenv("PRUDENT_RSYNC_TARGET", raising=False)
    with pytest.raises(PublishError, match="RSYNC_TARGET"):
        publish(project / "publishconf.py", runner=lambda cmd: None)
    assert os.environ.get("PRUDENT_RSYNC_TARGET") is None
