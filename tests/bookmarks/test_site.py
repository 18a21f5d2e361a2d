"""Real Pelican builds of a copy of the project with bookmark exports in it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from sitebuild.build import BuildFailed, build, check
from tests.conftest import tree_digest

HERE = Path(__file__).parent
SITE = "https://notebook.example.org"


class Links(HTMLParser):
    """Every href and the <link rel=alternate> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.alternates: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("href") is not None:
            self.hrefs.append(a["href"] or "")
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append(a)


def links(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def every_file_text(out: Path) -> str:
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in out.rglob("*") if p.is_file()
    )


def position(text: str, needle: str) -> tuple[int, int]:
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_sample_bookmarks_page_tags_feed_and_nav(project: Path) -> None:
    sample = json.loads((project / "content/bookmarks/pinboard.json").read_text())
    public = [p for p in sample if p["shared"] == "yes"]
    private = [p for p in sample if p["shared"] == "no"]
    assert len(public) >= 10 and len(private) >= 2

    result = build(project / "pelicanconf.py")
    out = result.output
    assert not result.report.failed
    # Every public URL, title, note and tag went to the guardrails, nothing private.
    public_tags = sum(1 for p in public for t in p["tags"].split() if not t.startswith("."))
    (project / "content/bookmarks/pinboard.json").write_text("[]")
    without = check(project / "pelicanconf.py").report.checked["texts"]
    assert result.report.checked["texts"] - without == len(public) * 3 + public_tags
    page = (out / "bookmarks/index.html").read_text()
    # Newest first, each with its title linking to its URL, its date and its tags.
    newest = sorted(public, key=lambda p: p["time"], reverse=True)
    positions = [page.index(f'<a href="{p["href"]}">') for p in newest]
    assert positions == sorted(positions)
    assert page.count('class="toread"') == sum(p["toread"] == "yes" for p in public)
    assert page.count("<time datetime=") == len(public)
    # In the theme, linked from the navigation of every page.
    home = links(out / "index.html")
    assert f"{SITE}/bookmarks/" in home.hrefs
    assert "views here are my own" in page
    # The feed is announced on the bookmarks pages, with an absolute URL.
    feed_url = f"{SITE}/feeds/bookmarks.atom.xml"
    assert any(a["href"] == feed_url for a in links(out / "bookmarks/index.html").alternates)
    # A page per tag, linked from each bookmark and from the tag cloud with its count.
    tag_counts: dict[str, int] = {}
    for p in public:
        for tag in p["tags"].split():
            if not tag.startswith("."):
                tag_counts[tag] = tag_counts.get(tag, 0) + 1
    for tag, count in tag_counts.items():
        tag_page = out / f"bookmarks/tag/{tag}/index.html"
        text = tag_page.read_text()
        assert text.count('class="bookmark"') == count, tag
        assert f'href="{SITE}/bookmarks/tag/{tag}/">{tag}</a> <span class="count">({count})' in page
        assert any(a["href"] == feed_url for a in links(tag_page).alternates)
    assert sorted(p.name for p in (out / "bookmarks/tag").iterdir()) == sorted(tag_counts)

    # Private bookmarks and private tags appear nowhere, feeds included.
    everything = every_file_text(out)
    for p in private:
        for secret in (p["href"], p["description"], p["extended"]):
            assert secret not in everything
    for p in sample:
        for tag in p["tags"].split():
            if tag.startswith("."):
                assert tag not in everything and tag[1:] not in everything
    # The export itself is not published, nor read by Pelican as content.
    assert not list(out.rglob("pinboard.json"))

    feed = feedparser.parse((out / "feeds/bookmarks.atom.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title.endswith(": bookmarks")
    assert [e.link for e in feed.entries] == [p["href"] for p in newest]
    assert feed.entries[0].title == newest[0]["description"]
    assert newest[0]["extended"] in feed.entries[0].summary
    assert all(e.id.startswith("tag:notebook.example.org,") for e in feed.entries)
    for e in feed.entries:
        for link in e.links:
            assert link.href.startswith("https://")


HOSTILE_JSON = [
    {
        "href": "javascript:alert(document.cookie)",
        "description": "<script>alert('title')</script> Free prize",
        "extended": "<img src=x onerror=alert('notes')> & more",
        "time": "2026-11-21T09:00:00Z",
        "shared": "yes",
        "toread": "no",
        "tags": "<b>bold</b> safe",
    },
    {
        "href": " JavaScript:alert(2)",
        "description": "Disguised",
        "extended": "",
        "time": "2026-11-21T08:00:00Z",
        "shared": "yes",
        "toread": "no",
        "tags": "safe",
    },
    {
        "href": "https://every-layout.dev/layouts/stack/",
        "description": "The Stack (from Pinboard)",
        "extended": "Newer notes from Pinboard.",
        "time": "2026-11-25T08:00:00Z",
        "shared": "yes",
        "toread": "no",
        "tags": "layout pinboard-only",
    },
]


def _write_hostile_site(project: Path, many: int = 0) -> None:
    folder = project / "content/bookmarks"
    (folder / "pinboard.json").unlink()
    posts = list(HOSTILE_JSON)
    for i in range(many):
        posts.append(
            {
                "href": f"https://reading.example.org/{i:02d}",
                "description": f"Reading number {i:02d}",
                "extended": "",
                "time": f"2026-10-{i + 1:02d}T12:00:00Z",
                "shared": "yes",
                "toread": "no",
                "tags": "reading",
            }
        )
    (folder / "pinboard.json").write_text(json.dumps(posts, indent=2))
    (folder / "browser.html").write_text((HERE / "firefox.html").read_text())


def test_hostile_and_merged_bookmarks_from_both_formats(project: Path) -> None:
    _write_hostile_site(project, many=7)
    out = build(project / "pelicanconf.py", overrides={"BOOKMARKS_PER_PAGE": 4}).output

    everything = every_file_text(out)
    # Escaped, never markup.
    assert "<script>alert(" not in everything
    assert "<img src=x" not in everything
    assert "<b>bold</b>" not in everything
    page1 = (out / "bookmarks/index.html").read_text()
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Free prize" in page1
    assert "&lt;img src=x onerror=alert(&#39;notes&#39;)&gt; &amp; more" in page1
    # Only http(s) links, anywhere in the output.
    for html_page in out.rglob("*.html"):
        for href in links(html_page).hrefs:
            assert href.startswith(("https://", "http://", "#")), (html_page, href)
    assert "not a web link" in page1
    # The Firefox export: private entries and the private tag gone, place: dropped.
    assert "secret.example.org" not in everything and "private note" not in everything
    assert ".mine" not in everything and "Most Visited" not in everything
    # Duplicates merged: Pinboard's newer copy wins, the tags of both are kept.
    stack = [b for b in _bookmarks(out) if "every-layout.dev/layouts/stack" in b]
    assert len(stack) == 1
    assert "The Stack (from Pinboard)" in stack[0] and "Newer notes" in stack[0]
    for tag in ("layout", "pinboard-only", "css"):
        assert f"/bookmarks/tag/{tag}/" in stack[0]
    # Pagination: 10 from Pinboard, 3 public from the browser of which one is merged,
    # 4 a page.
    assert len(_bookmarks(out)) == 12
    pages = sorted((out / "bookmarks/page").iterdir())
    assert [p.name for p in pages] == ["2", "3"]
    assert f'rel="next" href="{SITE}/bookmarks/page/2/"' in page1
    last = (out / "bookmarks/page/3/index.html").read_text()
    assert f'rel="prev" href="{SITE}/bookmarks/page/2/"' in last and 'rel="next"' not in last
    assert "Page 3 of 3" in last
    # Undated (a browser export without ADD_DATE): last on the page, not in the feed.
    assert "Line length" in last
    # Tag pages are paginated the same way.
    assert (out / "bookmarks/tag/reading/page/2/index.html").is_file()
    # Pelican did not read the browser export as a page or copy it.
    assert not list(out.rglob("browser.html"))
    assert "NETSCAPE" not in everything

    feed = feedparser.parse((out / "feeds/bookmarks.atom.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    titles = [e.title for e in feed.entries]
    assert "<script>alert('title')</script> Free prize" in titles  # text, as written
    hostile = feed.entries[titles.index("<script>alert('title')</script> Free prize")]
    assert hostile.link == f"{SITE}/bookmarks/#" + hostile.link.split("#")[1]
    assert "<img" not in hostile.summary and "&lt;img src=x" in hostile.summary
    assert "Line length" not in titles
    for e in feed.entries:
        assert e.link.startswith("https://")


def _bookmarks(out: Path) -> list[str]:
    items = []
    for page in [out / "bookmarks/index.html", *sorted((out / "bookmarks/page").rglob("*.html"))]:
        text = page.read_text()
        items += text.split('<li class="bookmark"')[1:]
    return items


@pytest.mark.parametrize(
    ("posts", "needle", "message"),
    [
        ("[{]", "]", "not valid JSON"),
        (
            '[\n  {"href": "https://a.example/", "time": "2026-11-20T10:00:00Z", "shared": "yes"},'
            '\n  {"description": "Lost", "time": "2026-11-20T10:00:00Z", "shared": "yes"}\n]',
            '{"description"',
            'entry 2: has no "href"',
        ),
        (
            '[\n  {"href": "https://a.example/",\n   "time": "2026-13-45T10:00:00Z", '
            '"shared": "yes"}\n]',
            '"2026-13-45',
            "entry 1 (https://a.example/): \"time\" is '2026-13-45T10:00:00Z', not a date",
        ),
    ],
)
def test_malformed_export_stops_the_build_and_keeps_output(
    project: Path, posts: str, needle: str, message: str
) -> None:
    build(project / "pelicanconf.py")
    before = tree_digest(project / "output")
    (project / "content/bookmarks/pinboard.json").write_text(posts)
    line, col = position(posts, needle)
    with pytest.raises(BuildFailed) as caught:
        build(project / "pelicanconf.py")
    text = str(caught.value)
    assert f"content/bookmarks/pinboard.json:{line}:{col}: error bookmark-export: {message}" in text
    assert "Traceback" not in text
    assert tree_digest(project / "output") == before
    assert not list(project.glob(".output-*"))


def test_build_task_reports_a_malformed_export_without_a_traceback(project: Path) -> None:
    export = (
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n"
        '    <DT><A HREF="https://a.example/" ADD_DATE="soon">A</A>\n</DL>\n'
    )
    (project / "content/bookmarks/browser.html").write_text(export)
    line, col = position(export, "soon")
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "build"],
        cwd=project,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert (
        f"content/bookmarks/browser.html:{line}:{col}: error bookmark-export: bookmark 1 "
        "(https://a.example/): ADD_DATE is 'soon'" in result.stderr
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert not (project / "output").exists()
    # ``check`` fails the same way (it reads the exports too) and writes nothing.
    checked = subprocess.run(
        [sys.executable, "-m", "invoke", "check"],
        cwd=project,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode != 0
    assert f"content/bookmarks/browser.html:{line}:{col}: error bookmark-export" in checked.stderr
    assert "Traceback" not in checked.stdout + checked.stderr
    assert not (project / "output").exists()


def test_guardrails_check_bookmarks_at_their_place_in_the_export(project: Path) -> None:
    """Needs the text rules (partisan, official-link) from main: fails until they land."""
    path = project / "content/bookmarks/pinboard.json"
    posts = json.loads(path.read_text())
    posts.append(
        {
            "href": "https://www.usa.gov/",
            "description": "A portal",
            "extended": "Republican Party: why I will vote for them in the next election.",
            "time": "2026-11-21T10:00:00Z",
            "shared": "yes",
            "toread": "no",
            "tags": "links",
        }
    )
    text = json.dumps(posts, indent=2)
    path.write_text(text)
    with pytest.raises(BuildFailed) as caught:
        build(project / "pelicanconf.py")
    report = str(caught.value)
    line, col = position(text, "Republican Party:")
    assert f"content/bookmarks/pinboard.json:{line}:{col}: error partisan:" in report
    line, col = position(text, "https://www.usa.gov/")
    assert f"content/bookmarks/pinboard.json:{line}:{col}: error official-link:" in report
    assert not (project / "output").exists()
