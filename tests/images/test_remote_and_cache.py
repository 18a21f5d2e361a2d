"""Remote images from a local HTTP server on 127.0.0.1; the result cache keyed by content."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from PIL import Image
from skimage import data

from tests.images.conftest import FAST, checker_for, make_site
from tests.images.synth import jpeg, png
from tests.images.test_location import photo_with_gps


def _noise(side: int):
    import numpy as np

    return np.random.default_rng(1).integers(0, 255, (side, side, 3), dtype=np.uint8)


FACE = FAST + '[images.nudity]\nblock = ["FACE_FEMALE"]\nmin_score = 0.4\n'
ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/astronaut.png": (200, "image/png", png(Image.fromarray(data.astronaut()))),
    "/coffee.jpg": (200, "image/jpeg; charset=binary", jpeg(Image.fromarray(data.coffee()))),
    "/page.png": (200, "text/html", b"<html>not an image</html>"),
    "/liar.png": (200, "image/png", b"<html>not an image either</html>"),
    "/big.jpg": (200, "image/jpeg", jpeg(Image.fromarray(_noise(1200)), 95)),  # ~2 MB
}


class _Handler(BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        _Handler.hits[self.path] = _Handler.hits.get(self.path, 0) + 1
        if self.path == "/slow.png":
            time.sleep(2)
        status, ctype, body = ROUTES.get(self.path, (404, "text/plain", b"missing"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_remote_images_are_downloaded_scanned_and_cached(server: str, tmp_path: Path) -> None:
    policy = FACE + "[images.remote]\ntimeout_seconds = 0.5\nmax_bytes = 900_000\ncache_hours = 1\n"
    checker = checker_for(tmp_path, policy)
    post = (
        "Title: Links\nDate: 2026-01-01\n\n"
        f"![a]({server}/astronaut.png)\n"
        f"![b]({server}/coffee.jpg)\n"
        f"![c]({server}/page.png)\n"
        f"![d]({server}/liar.png)\n"
        f"![e]({server}/gone.png)\n"
        f"![f]({server}/big.jpg)\n"
        f"![g]({server}/slow.png)\n"
    )
    site = make_site(tmp_path, {"links.md": post}, {})
    found = {(f.location.line, f.rule): f.message for f in checker.check(site).findings}
    assert set(found) == {
        (4, "nudity"),
        (6, "unscannable-image"),
        (7, "unscannable-image"),
        (8, "unscannable-image"),
        (9, "unscannable-image"),
        (10, "unscannable-image"),
    }
    assert f"{server}/astronaut.png" in found[(4, "nudity")]
    assert "says it is text/html, not an image" in found[(6, "unscannable-image")]
    assert "the bytes are not an image" in found[(7, "unscannable-image")]
    assert "HTTP 404" in found[(8, "unscannable-image")]
    assert "over the 900,000 allowed" in found[(9, "unscannable-image")]
    assert (
        "longer than 0.5 s" in found[(10, "unscannable-image")]
        or "timed out" in found[(10, "unscannable-image")]
    )

    hits = dict(_Handler.hits)
    again = checker.check(site)
    assert len(again.findings) == 6
    assert _Handler.hits["/astronaut.png"] == hits["/astronaut.png"]  # served from the disk cache
    assert _Handler.hits["/gone.png"] == hits["/gone.png"] + 1  # failures are not cached
    checker.close()


def test_changed_content_under_the_same_name_is_scanned_again(tmp_path: Path) -> None:
    checker = checker_for(tmp_path, FAST)
    scanned: list[int] = []
    real_scan = checker.scanner.scan

    def counting(jobs, **kw):
        scanned.append(len(jobs))
        return real_scan(jobs, **kw)

    checker.scanner.scan = counting  # type: ignore[method-assign]
    clean = jpeg(Image.fromarray(data.chelsea()), 90)
    site = make_site(tmp_path, {}, {"images/cat.jpg": clean})
    assert checker.check(site).findings == []
    assert checker.check(site).findings == []
    assert scanned == [1, 0]  # the second build reused the result

    (tmp_path / "content/images/cat.jpg").write_bytes(photo_with_gps("JPEG"))
    [finding] = checker.check(site).findings
    assert finding.rule == "location-metadata"
    assert scanned == [1, 0, 1]

    (tmp_path / "content/images/copy.jpg").write_bytes(clean)  # same bytes, new name
    site = make_site(tmp_path, {}, {"images/copy.jpg": clean})
    assert checker.check(site).findings == []
    assert scanned == [1, 0, 1, 0]
    checker.close()


def test_a_new_policy_or_reference_logo_invalidates_the_cache(tmp_path: Path) -> None:
    first = checker_for(tmp_path, FAST)
    second = checker_for(tmp_path, FAST + "max_frames = 4\n")
    third = checker_for(tmp_path, FAST, seal=True)
    versions = {first.cache.version, second.cache.version, third.cache.version}
    assert len(versions) == 3


def test_allowance_by_content_hash(tmp_path: Path) -> None:
    import hashlib

    raw = png(Image.fromarray(data.astronaut()))
    sha = hashlib.sha256(raw).hexdigest()
    allow = (
        f'\n[[images.allow]]\nsha256 = "{sha}"\nrules = ["nudity"]\nreason = "a NASA portrait"\n'
    )
    checker = checker_for(tmp_path, FACE + allow)
    report = checker.check(make_site(tmp_path, {}, {"images/a.png": raw}))
    assert report.findings == [] and not report.failed
    [allowance] = report.allowances
    assert allowance.reason == "a NASA portrait" and allowance.finding.rule == "nudity"
    assert allowance.where.path == "guardrails.toml"
    checker.close()
