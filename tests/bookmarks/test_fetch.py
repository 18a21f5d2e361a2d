"""``invoke fetch-bookmarks`` against a local stand-in for Pinboard's API on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from prudent_bookmarks.fetch import FetchError, fetch, redact
from sitebuild.build import build

TOKEN = "samrivers:4F9A0C2E7B1D3A5C8E6F"
POSTS = [
    {
        "href": "https://www.a11yproject.com/checklist/",
        "description": "Checklist - The A11Y Project",
        "extended": "Fetched from the stand-in API.",
        "meta": "m",
        "hash": "h",
        "time": "2026-11-21T09:00:00Z",
        "shared": "yes",
        "toread": "no",
        "tags": "accessibility .hidden-tag",
    },
    {
        "href": "https://private.example.org/only-me",
        "description": "Only for me",
        "extended": "A private note.",
        "meta": "m",
        "hash": "h",
        "time": "2026-11-20T09:00:00Z",
        "shared": "no",
        "toread": "no",
        "tags": "me",
    },
]


class Pinboard:
    """What the stand-in API answers, and the requests it saw."""

    def __init__(self) -> None:
        self.status = 200
        self.body = json.dumps(POSTS).replace("/", "\\/").encode()  # as Pinboard escapes
        self.requests: list[str] = []


@pytest.fixture
def api() -> Iterator[tuple[str, Pinboard]]:
    state = Pinboard()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            if url.path != "/v1/posts/all" or query.get("format") != ["json"]:
                self.send_response(404)
                self.end_headers()
                return
            if query.get("auth_token") != [TOKEN]:
                self.send_response(401)
                self.end_headers()
                self.wfile.write(b"401 Forbidden")
                return
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", state
    finally:
        server.shutdown()
        server.server_close()


def invoke(
    project: Path, *args: str, token: str | None = TOKEN
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PINBOARD_TOKEN", None)
    env.pop("PINBOARD_API_URL", None)
    if token is not None:
        env["PINBOARD_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "invoke", "fetch-bookmarks", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def nowhere_in(project: Path, secret: str) -> bool:
    return all(secret.encode() not in p.read_bytes() for p in project.rglob("*") if p.is_file())


def test_fetch_task_writes_public_export_that_builds(
    project: Path, api: tuple[str, Pinboard]
) -> None:
    url, state = api
    result = invoke(project, "--api", url)
    assert result.returncode == 0, result.stderr
    assert "Wrote 1 bookmarks to content/bookmarks/pinboard.json (1 private ones left out)" in (
        result.stdout
    )
    assert len(state.requests) == 1
    written = project / "content/bookmarks/pinboard.json"
    posts = json.loads(written.read_text())
    assert [p["href"] for p in posts] == ["https://www.a11yproject.com/checklist/"]
    assert posts[0]["tags"] == "accessibility"  # the private tag is not written either
    assert written.read_text().count("\n") > 5  # one field a line: findings get useful lines
    secret = TOKEN.split(":")[1]
    assert secret not in result.stdout + result.stderr
    assert nowhere_in(project, secret)

    out = build(project / "pelicanconf.py").output
    page = (out / "bookmarks/index.html").read_text()
    assert "Fetched from the stand-in API." in page
    assert nowhere_in(out, secret)


def test_keep_private_keeps_them_in_the_file_only(project: Path, api: tuple[str, Pinboard]) -> None:
    url, _ = api
    result = invoke(project, "--api", url, "--keep-private")
    assert result.returncode == 0, result.stderr
    written = (project / "content/bookmarks/pinboard.json").read_text()
    assert "Only for me" in written and ".hidden-tag" in written
    out = build(project / "pelicanconf.py").output
    everything = "".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file())
    assert "Only for me" not in everything and "hidden-tag" not in everything


def test_refused_token_is_reported_without_the_token(
    project: Path, api: tuple[str, Pinboard]
) -> None:
    url, _ = api
    before = (project / "content/bookmarks/pinboard.json").read_bytes()
    wrong = "samrivers:0000DEADBEEF0000CAFE"
    result = invoke(project, "--api", url, token=wrong)
    assert result.returncode == 1
    assert "Pinboard refused the token (HTTP 401" in result.stderr
    assert "0000DEADBEEF0000CAFE" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert (project / "content/bookmarks/pinboard.json").read_bytes() == before


def test_missing_token_says_where_to_get_one(project: Path) -> None:
    result = invoke(project, token=None)
    assert result.returncode == 1
    assert "Set PINBOARD_TOKEN" in result.stderr


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (200, b"<html>Maintenance</html>", "did not return JSON"),
        (200, b'[{"href": "https://a.example/"}]', 'entry 1 (https://a.example/): has no "time"'),
        (429, b"Too Many Requests", "once every five minutes"),
        (500, b"oops", "answered HTTP 500"),
    ],
)
def test_a_bad_answer_keeps_the_old_file(
    tmp_path: Path, api: tuple[str, Pinboard], status: int, body: bytes, message: str
) -> None:
    url, state = api
    state.status, state.body = status, body
    dest = tmp_path / "pinboard.json"
    dest.write_text("[]\n")
    with pytest.raises(FetchError) as caught:
        fetch(dest, TOKEN, api=url)
    assert message in str(caught.value)
    assert TOKEN.split(":")[1] not in str(caught.value)
    assert dest.read_text() == "[]\n"
    assert [p.name for p in tmp_path.iterdir()] == ["pinboard.json"]


def test_unreachable_api_names_it_without_the_token(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match=rf"Could not reach http://127.0.0.1:{port}/v1/posts/all"):
        fetch(tmp_path / "p.json", TOKEN, api=f"http://127.0.0.1:{port}/v1", timeout=5)
    assert not (tmp_path / "p.json").exists()


def test_redact_masks_every_form_of_the_token() -> None:
    text = f"a {TOKEN} b samrivers%3A4F9A0C2E7B1D3A5C8E6F c 4F9A0C2E7B1D3A5C8E6F"
    assert redact(text, TOKEN) == "a *** b *** c ***"
