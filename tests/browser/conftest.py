"""The built sample site, served on 127.0.0.1, and a real headless Chromium.

The site is built once per session by the real build (``sitebuild.build.build``)
with a smaller pagination, so that the five sample posts span several pages.
Chromium is Debian's (``apt-get install -y chromium``), driven by Playwright;
axe-core comes from npm (``npm ci``). Nothing here skips: a missing browser or
axe-core fails the tests with the command that installs it.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from sitebuild.build import build

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("PRUDENT_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
TEST_PAGINATION = 2

# Chromium on a machine without network: no background requests, no GPU.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--metrics-recording-only",
    "--no-default-browser-check",
]

MISSING_CHROMIUM = (
    "The browser tests need Debian's Chromium at {path}, which is missing. "
    "Install it with `apt-get install -y chromium` (as root; `make test` does this "
    "for you when run as root), or point PRUDENT_CHROMIUM at a Chromium binary. "
    "Never `playwright install`: the tests use the system browser."
)
MISSING_AXE = (
    "The browser tests need axe-core from npm at {path}, which is missing. "
    "Run `npm ci` in the project folder (`make test` does this for you)."
)


def require_chromium(path: Path = CHROMIUM) -> Path:
    """The Chromium binary, or a failed test that says how to install it."""
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(MISSING_CHROMIUM.format(path=path), pytrace=False)
    return path


def require_axe(path: Path = AXE) -> str:
    """axe-core's source, or a failed test that says how to install it."""
    if not path.is_file():
        pytest.fail(MISSING_AXE.format(path=path), pytrace=False)
    return path.read_text(encoding="utf-8")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Site:
    """The built site: its output folder and the address it is served at."""

    output: Path
    base_url: str

    def url(self, path: str = "/") -> str:
        return self.base_url + path


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Build the sample notebook once and serve it on a free port of 127.0.0.1."""
    scratch = tmp_path_factory.mktemp("browser-site")
    output = scratch / "output"
    # Bind first: the site's absolute URLs need the port before the build.
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(output))
    )
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        build(
            ROOT / "pelicanconf.py",
            output=output,
            overrides={
                "SITEURL": base_url,
                "FEED_DOMAIN": base_url,
                "DEFAULT_PAGINATION": TEST_PAGINATION,
                "CACHE_PATH": str(scratch / "cache"),
            },
        )
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield Site(output, base_url)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return require_axe()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageWatch:
    """What went wrong while a page was open: console errors, failed requests."""

    base_url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on(
            "console",
            lambda m: (
                self.console_errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
            ),
        )
        page.on("pageerror", lambda e: self.page_errors.append(f"{page.url}: {e}"))
        # ERR_ABORTED is the browser dropping a late request (the favicon) because
        # the test moved on to the next page; a missing file is a 404 response.
        page.on(
            "requestfailed",
            lambda r: (
                None
                if r.failure == "net::ERR_ABORTED"
                else self.failed_requests.append(f"{r.url}: {r.failure}")
            ),
        )
        page.on(
            "response",
            lambda r: (
                self.failed_requests.append(f"{r.url}: HTTP {r.status}")
                if r.status >= 400
                else None
            ),
        )
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((self.base_url + "/", "data:", "blob:"))
                else self.external_requests.append(r.url)
            ),
        )

    def problems(self) -> list[str]:
        return [
            *(f"console error: {m}" for m in self.console_errors),
            *(f"page error: {m}" for m in self.page_errors),
            *(f"failed request: {m}" for m in self.failed_requests),
            *(
                f"request off the site (the theme must work offline): {u}"
                for u in self.external_requests
            ),
        ]


@pytest.fixture
def open_page(browser, site: Site) -> Iterator:
    """open_page(path, width=1280, color_scheme="light") -> (page, watch)."""
    contexts = []

    def _open(path: str = "/", width: int = 1280, color_scheme: str = "light"):
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            color_scheme=color_scheme,
            device_scale_factor=1,
            reduced_motion="reduce",
        )
        contexts.append(context)
        page = context.new_page()
        watch = PageWatch(site.base_url)
        watch.attach(page)
        page.goto(site.url(path), wait_until="load")
        return page, watch

    yield _open
    for context in contexts:
        context.close()


@dataclass(frozen=True)
class Post:
    """A published post as its Markdown source declares it."""

    title: str
    date: str  # "YYYY-MM-DD HH:MM" as written, sortable
    source: Path
    image: str | None
    category: str
    tags: tuple[str, ...]


def published_posts(folder: Path = ROOT / "content" / "posts") -> list[Post]:
    """The sample's published posts, newest first, read from their metadata headers."""
    posts = []
    for path in sorted(folder.rglob("*.md")):
        meta: dict[str, str] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                break
            key, _, value = line.partition(":")
            meta[key.strip().lower()] = value.strip()
        if meta.get("status", "published").lower() in {"draft", "hidden", "skip"}:
            continue
        tags = tuple(t.strip() for t in meta.get("tags", "").split(",") if t.strip())
        posts.append(
            Post(meta["title"], meta["date"], path, meta.get("image"), meta["category"], tags)
        )
    return sorted(posts, key=lambda p: p.date, reverse=True)


def site_paths(output: Path) -> list[str]:
    """The URL path of every HTML page the build wrote."""
    paths = []
    for html in sorted(output.rglob("*.html")):
        rel = html.relative_to(output).as_posix()
        paths.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return paths


def run_axe(page: Page, axe_source: str) -> list[dict]:
    """axe-core's violations on the open page (all its default rules)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ['violations']});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary),
            }));
        }"""
    )


def describe_violations(path: str, violations: list[dict]) -> str:
    return "\n".join(
        f"{path}: {v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"][:5])
        for v in violations
    )


def normalise(text: str) -> str:
    """Compare titles as a reader sees them: typographic quotes, single spaces."""
    for fancy, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "--"), ("—", "---")):
        text = text.replace(fancy, plain)
    return " ".join(text.split())
