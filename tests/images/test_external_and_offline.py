"""Nothing remote is published unjudged: SVG external references, embedded
documents, offline builds; and each unreadable image says what to do.

A local HTTP server on 127.0.0.1 stands for the image host; "offline" is a
closed port (connection refused at once).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image
from skimage import data

from prudent.images import ImageChecker
from prudent.images.svg import scan_svg
from tests.images.conftest import FAST, checker_for, make_site
from tests.images.synth import png
from tests.images.test_unscannable import _png_claiming

SVG_NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
EXTERNAL_SVGS = {
    "import.svg": f"<svg {SVG_NS}><style>@import url(https://x.example/a.css);</style></svg>",
    "bare-import.svg": f"<svg {SVG_NS}><style>@import 'theme.css';</style><rect/></svg>",
    "style-url.svg": f'<svg {SVG_NS}><rect style="fill:url(https://x.example/p.svg#g)"/></svg>',
    "fill-url.svg": f'<svg {SVG_NS}><rect fill="url(//x.example/p.svg#g)"/></svg>',
    "sheet-url.svg": (
        f"<svg {SVG_NS}><style>rect {{ background: url('https://x.example/b.png') }}</style></svg>"
    ),
    "xlink.svg": f'<svg {SVG_NS}><image xlink:href="https://x.example/a.png"/></svg>',
    "use.svg": f'<svg {SVG_NS}><use href="https://x.example/icons.svg#i"/></svg>',
    "pattern.svg": f'<svg {SVG_NS}><pattern id="p" href="http://x.example/p.svg#q"/></svg>',
    "base.svg": f'<svg {SVG_NS} xml:base="https://x.example/"><image href="a.png"/></svg>',
    "animated.svg": (
        f'<svg {SVG_NS}><image href="#"><set attributeName="href" to="https://x.example/n.png"/>'
        "</image></svg>"
    ),
    "pi.svg": f'<?xml-stylesheet href="https://x.example/s.css"?><svg {SVG_NS}/>',
    # Red team F4: CSS escapes and comments hid these (u\72l is url, @\69mport is @import).
    "escaped-style-url.svg": (
        f'<svg {SVG_NS}><rect style="fill:u\\72l(https://x.example/esc.svg#a)"/></svg>'
    ),
    "escaped-letter.svg": f"<svg {SVG_NS}><style>rect{{fill:u\\rl(https://x.example/r.svg#a)}}</style></svg>",
    "escaped-import.svg": f'<svg {SVG_NS}><style>@\\69mport "https://x.example/z.css";</style></svg>',
    "commented-import.svg": (
        f"<svg {SVG_NS}><style>@import/**/url(https://x.example/c.css);</style></svg>"
    ),
    "relative-import-url.svg": f"<svg {SVG_NS}><style>@import url('theme.css');</style></svg>",
    "image-set.svg": (
        f'<svg {SVG_NS}><style>rect{{fill:image-set("https://x.example/i.png" 1x)}}</style></svg>'
    ),
}
SAFE_SVG = (
    f'<svg {SVG_NS}><a href="https://x.example/"><text>a link loads nothing</text></a>'
    '<rect fill="url(#g)"/><use href="#r"/><image href="photo.png"/>'
    "<style>/* url(https://x.example/commented-out.png) */ rect { fill: url(#g) }</style>"
    '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<x rdf:resource="http://creativecommons.org/licenses/by/4.0/"/></rdf:RDF></metadata></svg>'
)


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ImageChecker]:
    c = checker_for(tmp_path_factory.mktemp("ext"), FAST + "max_pixels = 1_000_000\n")
    yield c
    c.close()


@pytest.mark.parametrize("name", sorted(EXTERNAL_SVGS))
def test_an_svg_that_loads_from_elsewhere_is_refused(
    checker: ImageChecker, tmp_path: Path, name: str
) -> None:
    site = make_site(tmp_path, {}, {f"images/{name}": EXTERNAL_SVGS[name].encode()})
    findings = checker.check(site).findings
    assert findings, name
    assert {(f.rule, str(f.location)) for f in findings} == {
        ("unscannable-image", f"content/images/{name}:1:1")
    }
    assert "is never judged" in findings[0].message and findings[0].matched in findings[0].message
    assert "data: URI" in findings[0].fix


def test_references_within_the_svg_or_the_site_and_links_are_not_external() -> None:
    assert scan_svg(SAFE_SVG.encode(), max_bytes=10**6).external == []


class _Images(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = png(Image.fromarray(data.astronaut()))
        if self.path.endswith((".html", ".css")):
            self.send_response(200)
            self.send_header("Content-Type", "text/" + self.path.rsplit(".", 1)[1])
            self.end_headers()
            self.wfile.write(b"<html>a page</html>")
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Images)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


FACE = FAST + '[images.nudity]\nblock = ["FACE_FEMALE"]\nmin_score = 0.4\n'


def test_object_embed_and_iframe_images_are_judged_like_img(server: str, tmp_path: Path) -> None:
    post = (
        "Title: Embeds\nDate: 2026-01-01\n\n"
        f'<object data="{server}/a.png" type="image/png"></object>\n'
        f'<embed src="{server}/b.png">\n'
        f'<iframe src="{server}/c.png"></iframe>\n'
        f'<object data="{server}/page.html"></object>\n'
        '<iframe src="https://www.youtube.com/embed/xyz"></iframe>\n'
        '<object data="{static}/images/gone.svg"></object>\n'
    )
    checker = checker_for(tmp_path, FACE)
    findings = {
        (f.location.line, f.rule): f
        for f in checker.check(make_site(tmp_path, {"e.md": post}, {})).findings
    }
    checker.close()
    assert set(findings) == {
        (4, "nudity"),
        (5, "nudity"),
        (6, "nudity"),
        (7, "unscannable-image"),
        (9, "unscannable-image"),
    }
    assert "text/html, not an image" in findings[(7, "unscannable-image")].message
    missing = findings[(9, "unscannable-image")]
    assert "looked for content/images/gone.svg" in missing.message
    assert "Fix the path" in missing.fix and "PNG or JPEG" not in missing.message + missing.fix


def test_what_a_posts_css_and_link_tags_load_is_judged(server: str, tmp_path: Path) -> None:
    # Red team F4: escaped CSS in a post and a <link> to a remote style sheet were published.
    post = (
        "Title: Styles\nDate: 2026-01-01\n\n"
        f'<div style="background:u\\72l({server}/d.png)">Escaped.</div>\n'
        f'<link rel="stylesheet" href="{server}/l.css">\n'
        f'<style>@\\69mport "{server}/s.css"; p {{ color: red }}</style>\n'
        f'<p style="background:url(&quot;{server}/e.png&quot;)">entities</p>\n'
        f'<link rel="canonical" href="{server}/page.html">\n'
    )
    checker = checker_for(tmp_path, FACE)
    findings = {
        (f.location.line, f.location.col, f.rule): f
        for f in checker.check(make_site(tmp_path, {"s.md": post}, {})).findings
    }
    checker.close()
    assert set(findings) == {
        (4, 30, "nudity"),
        (5, 30, "unscannable-image"),
        (6, 19, "unscannable-image"),
        (7, 32, "nudity"),
    }
    stylesheet = findings[(5, 30, "unscannable-image")]
    assert stylesheet.matched == f"{server}/l.css"
    assert "text/css, not an image" in stylesheet.message
    assert findings[(6, 19, "unscannable-image")].matched == f"{server}/s.css"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed when the socket goes: a refused connection


def test_offline_the_message_names_the_url_the_error_and_the_switch(
    server: str, tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}/pic.png"
    post = f"Title: P\nDate: 2026-01-01\n\n![p]({dead})\n![q]({server}/fetched-once.png)\n"
    online = checker_for(tmp_path, FAST)
    site = make_site(tmp_path, {"p.md": post}, {})
    [finding] = online.check(site).findings
    online.close()
    assert (finding.rule, str(finding.location)) == ("unscannable-image", "content/posts/p.md:4:6")
    assert finding.matched == dead
    assert dead in finding.message and "connection refused" in finding.message.lower()
    assert "offline = true under [images.remote] in guardrails.toml" in finding.fix

    # The switch: the copy fetched before is judged, however old; the network is
    # never tried, and what was never fetched still fails closed.
    offline = checker_for(tmp_path, FAST + "[images.remote]\noffline = true\ncache_hours = 0\n")
    [never] = offline.check(site).findings
    offline.close()
    assert never.matched == dead and "never downloaded" in never.message
    assert "offline = true forbids the network" in never.message


def test_a_decompression_bomb_quotes_the_policy_limit(
    checker: ImageChecker, tmp_path: Path
) -> None:
    post = "Title: T\nDate: 2026-01-01\n\n![x]({static}/images/bomb.png)\n"
    site = make_site(tmp_path, {"t.md": post}, {"images/bomb.png": _png_claiming(30000, 30000)})
    [finding] = checker.check(site).findings
    assert "900,000,000 pixels is more than the 1,000,000 allowed by images.max_pixels" in (
        finding.message
    )
    assert "178,956,970" not in finding.message and ".." not in finding.message
    small = make_site(
        tmp_path / "small", {"t.md": post}, {"images/bomb.png": _png_claiming(2000, 1000)}
    )
    [finding] = checker.check(small).findings
    assert "2000x1000 pixels is more than the 1,000,000 allowed by images.max_pixels" in (
        finding.message
    )
