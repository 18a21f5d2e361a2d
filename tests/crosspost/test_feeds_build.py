"""Real Pelican builds with several cross-post targets, read as a partner would."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from sitebuild.build import build
from tests.conftest import copy_project

from .consumer import is_absolute, published, read_atom, read_json_feed, urls_in

SITEURL = "https://notebook.example.org"

# Posts added to the sample notebook. Each names its partners; some must never
# reach a feed (draft, hidden), one is outside a partner's categories.
POSTS = {
    "partner-links.md": """\
Title: Notes on reusable form patterns
Date: 2026-11-20 09:00
Modified: 2026-11-21 08:30
Category: Working in the open
Tags: forms, design
Author: Alex Doe
Summary: What we learned from <a href="/tags/">tagging</a> form patterns.
Crosspost: kind-of-digital, govloop, newpartner

Some notes on patterns, with [the about page](/about/), a
[relative link](../../10/notes/), [a footnote](#details) and
[a sibling post]({filename}/posts/2026-10-05-offer-content-reviews.md).

![Desk]({static}/images/notebook-desk.png)

![A relative picture](../images/notebook-desk.png)

<picture><source srcset="/images/notebook-desk.png 1x, ../images/notebook-desk.png 2x" type="image/png">
<img src="/images/notebook-desk.png" srcset="/images/notebook-desk.png 1x, desk-2x.png 2x" alt="Desk again"></picture>

Elsewhere: [a reading list](https://design.example.net/reading-list/),
[protocol-relative](//cdn.example.net/patterns/), [write to me](mailto:sam@example.org).

## Details {: #details }

Plain text to close.
""",
    "control-characters.md": """\
Title: Pasted\x0b from a word processor
Date: 2026-11-15 12:00
Category: Notes
Tags: writing
Crosspost: kind-of-digital, newpartner, NewPartner

This paragraph was pasted with a vertical tab\x0b and an escape\x1b[0m inside,
and a form feed\x0c too. Readers see none of them.
""",
    "events-only.md": """\
Title: A meetup on service design
Date: 2026-11-18 18:00
Category: Events
Tags: events
Crosspost: govloop, kind-of-digital

We meet on Thursday to talk about service design.
""",
    "draft.md": """\
Title: A draft for partners
Date: 2026-11-19 10:00
Category: Working in the open
Status: draft
Crosspost: kind-of-digital, govloop, newpartner

Not finished yet.
""",
    "hidden.md": """\
Title: A hidden note
Date: 2026-11-19 11:00
Category: Working in the open
Status: hidden
Crosspost: kind-of-digital, govloop, newpartner

Only for people with the link.
""",
}

# What each partner must get, newest first (the sample posts name two of them).
EXPECTED = {
    "kind-of-digital": [
        "Notes on reusable form patterns",
        "A meetup on service design",
        "Pasted from a word processor",
        "Join a webchat on plain language, 15 October",
        "Staying out of trouble online when you work in the public service",
    ],
    # GovLoop takes only "Working in the open" and "Offers" (pelicanconf.py).
    "govloop": [
        "Notes on reusable form patterns",
        "An offer: I will review one page of your writing",
        "Staying out of trouble online when you work in the public service",
    ],
    # Not configured at all: the metadata alone makes the feed.
    "newpartner": ["Notes on reusable form patterns", "Pasted from a word processor"],
}
ATTRIBUTION = {
    "kind-of-digital": "Cross posted from {link}.",
    "govloop": "Originally published by {author} at {link}.",
    "newpartner": "Originally published at {link}.",
}
NEVER = ("A draft for partners", "A hidden note")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("crosspost") / "site")
    for name, text in POSTS.items():
        (project / "content/posts" / name).write_text(text, encoding="utf-8")
    # A picture beside the post, for a bare relative URL (the image guardrails
    # read every picture a post shows, so each must exist).
    shutil.copy(project / "content/images/notebook-desk.png", project / "content/posts/desk-2x.png")
    return build(project / "pelicanconf.py").output


def _feed_paths(out: Path, target: str) -> tuple[Path, Path]:
    return out / f"feeds/crosspost/{target}.atom.xml", out / f"feeds/crosspost/{target}.json"


def test_each_target_gets_exactly_its_published_posts_newest_first(site: Path) -> None:
    written = {p.name for p in (site / "feeds/crosspost").iterdir()}
    assert written == {f"{t}.atom.xml" for t in EXPECTED} | {f"{t}.json" for t in EXPECTED}
    for target, titles in EXPECTED.items():
        atom_path, json_path = _feed_paths(site, target)
        atom = read_atom(atom_path)
        assert [e.title for e in atom.entries] == titles, target
        doc = read_json_feed(json_path)
        assert [i["title"] for i in doc["items"]] == titles, target
        dates = [published(i) for i in doc["items"]]
        assert dates == sorted(dates, reverse=True)
        assert [e.published_parsed for e in atom.entries] == sorted(
            (e.published_parsed for e in atom.entries), reverse=True
        )
        for entry in atom.entries:
            assert entry.title not in NEVER


def test_entries_are_whole_posts_with_canonical_link_dates_author_categories(site: Path) -> None:
    atom = read_atom(_feed_paths(site, "govloop")[0])
    doc = read_json_feed(_feed_paths(site, "govloop")[1])
    entry, item = atom.entries[0], doc["items"][0]
    canonical = f"{SITEURL}/2026/11/notes-on-reusable-form-patterns/"
    assert entry.link == canonical and item["url"] == canonical and item["id"] == canonical
    assert [link.rel for link in entry.links] == ["alternate"]
    # The post's page says the same canonical address.
    page = (site / "2026/11/notes-on-reusable-form-patterns/index.html").read_text()
    assert f'<link rel="canonical" href="{canonical}">' in page
    # Whole post: the last paragraph is there, not a summary.
    html = entry.content[0].value
    assert "Plain text to close." in html and "Plain text to close." in item["content_html"]
    assert entry.summary == (
        f'<p>What we learned from <a href="{SITEURL}/tags/">tagging</a> form patterns.</p>'
    )
    assert item["summary"] == "What we learned from tagging form patterns."
    assert entry.author == "Alex Doe" and item["authors"] == [{"name": "Alex Doe"}]
    assert entry.published == "2026-11-20T09:00:00-05:00"
    assert entry.updated == "2026-11-21T08:30:00-05:00"
    assert item["date_published"] == "2026-11-20T09:00:00-05:00"
    assert item["date_modified"] == "2026-11-21T08:30:00-05:00"
    assert [t.term for t in entry.tags] == ["Working in the open", "forms", "design"]
    assert item["tags"] == ["Working in the open", "forms", "design"]
    # The same entry id as in the site's own Atom feed: one post, one id.
    [own] = [e for e in read_atom(site / "feeds/all.atom.xml").entries if e.link == canonical]
    assert entry.id == own.id and entry.id.startswith("tag:notebook.example.org,2026-11-20:")
    assert atom.feed.title == "Sam's Online Notebook: posts for GovLoop"
    self_link = [link.href for link in atom.feed.links if link.rel == "self"]
    assert self_link == [f"{SITEURL}/feeds/crosspost/govloop.atom.xml"]
    assert doc["feed_url"] == f"{SITEURL}/feeds/crosspost/govloop.json"


def test_every_url_in_every_entry_is_absolute(site: Path) -> None:
    base = f"{SITEURL}/2026/11/notes-on-reusable-form-patterns/"
    # Pelican's own feeds (all, every category, every tag) and the partners'.
    feeds = sorted((site / "feeds").rglob("*.xml"))
    assert len(feeds) > 20
    bodies: list[tuple[str, str]] = []
    for path in feeds:
        parsed = feedparser.parse(
            path.read_bytes(), resolve_relative_uris=False, sanitize_html=False
        )
        assert not parsed.bozo, path
        for entry in parsed.entries:
            for part in (*entry.get("content", []), entry.get("summary_detail")):
                if part:
                    bodies.append((f"{path.name}: {entry.title}", part.value))
    for target in [*EXPECTED, None]:
        path = site / "feeds/all.json" if target is None else _feed_paths(site, target)[1]
        for item in read_json_feed(path)["items"]:
            bodies.append((f"{path.name}: {item['title']}", item["content_html"]))
    checked = 0
    for where, html in bodies:
        for tag, attr, url in urls_in(html):
            assert is_absolute(url), f"{where}: <{tag} {attr}={url!r}>"
            checked += 1
    assert checked > 200
    # And each resolves where the browser resolves it on the post's page.
    html = read_json_feed(_feed_paths(site, "newpartner")[1])["items"][0]["content_html"]
    found = {url for _, _, url in urls_in(html)}
    assert {
        f"{SITEURL}/about/",
        f"{SITEURL}/2026/10/notes/",
        f"{base}#details",
        f"{SITEURL}/2026/10/an-offer-i-will-review-one-page-of-your-writing/",
        f"{SITEURL}/images/notebook-desk.png",
        f"{SITEURL}/2026/11/images/notebook-desk.png",
        f"{base}desk-2x.png",
        "https://design.example.net/reading-list/",
        "https://cdn.example.net/patterns/",
        "mailto:sam@example.org",
    } <= found
    assert (
        f'srcset="{SITEURL}/images/notebook-desk.png 1x, {SITEURL}/2026/11/images/notebook-desk.png 2x"'
        in html
    )


def test_attribution_closes_each_entry_per_target(site: Path) -> None:
    for target, sentence in ATTRIBUTION.items():
        atom = read_atom(_feed_paths(site, target)[0])
        doc = read_json_feed(_feed_paths(site, target)[1])
        for entry, item in zip(atom.entries, doc["items"], strict=True):
            link = f'<a href="{entry.link}">Sam&#x27;s Online Notebook</a>'
            author = entry.author
            expected = sentence.format(link=link, author=author)
            last = re.findall(r"<p[^>]*>(.*?)</p>", entry.content[0].value, re.S)[-1]
            assert last == expected, (target, entry.title)
            assert item["content_html"].endswith(f"{expected}</p>")
    # The site's own feeds carry no attribution.
    own = read_json_feed(site / "feeds/all.json")
    assert all("crosspost-attribution" not in i["content_html"] for i in own["items"])


def test_drafts_and_hidden_posts_are_in_no_feed(site: Path) -> None:
    for path in (site / "feeds").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for title in NEVER:
                assert title not in text, path
    assert (site / "drafts/a-draft-for-partners/index.html").is_file()  # still published as draft


def test_control_characters_are_dropped_and_every_feed_stays_valid(site: Path) -> None:
    # Every Atom and RSS feed the build wrote parses cleanly, Pelican's own included.
    feeds = sorted(p for p in (site / "feeds").rglob("*.xml"))
    assert len(feeds) > 10
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')!r}"
        raw = path.read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", raw), path
    for target in ("kind-of-digital", "newpartner"):
        doc = read_json_feed(_feed_paths(site, target)[1])
        [item] = [i for i in doc["items"] if i["title"] == "Pasted from a word processor"]
        assert (
            "a vertical tab and an escape[0m inside,\nand a form feed too." in item["content_html"]
        )
    page = (site / "2026/11/pasted-from-a-word-processor/index.html").read_text()
    assert "\x0b" not in page and "\x1b" not in page and "\x0c" not in page


def test_all_json_matches_the_main_atom_feed(site: Path) -> None:
    atom = read_atom(site / "feeds/all.atom.xml")
    doc = read_json_feed(site / "feeds/all.json")
    assert [i["url"] for i in doc["items"]] == [e.link for e in atom.entries]
    assert len(doc["items"]) == 8  # five samples and three new published posts
    assert doc["title"] == "Sam's Online Notebook"
    assert doc["home_page_url"] == f"{SITEURL}/"
    assert doc["feed_url"] == f"{SITEURL}/feeds/all.json"
    assert doc["authors"] == [{"name": "Sam Rivers", "url": f"{SITEURL}/"}]
    for item, entry in zip(doc["items"], atom.entries, strict=True):
        assert item["content_html"] == entry.content[0].value


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link":
            self.links.append(dict(attrs))


def _links(page: Path) -> list[dict[str, str | None]]:
    head = _Head()
    head.feed(page.read_text(encoding="utf-8"))
    return head.links


def test_every_page_has_one_absolute_canonical_and_the_json_feed_link(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        links = _links(page)
        canonical = [lk["href"] for lk in links if lk.get("rel") == "canonical"]
        assert len(canonical) == 1, page
        assert canonical[0].startswith(f"{SITEURL}/"), page
        json_links = [lk for lk in links if lk.get("type") == "application/feed+json"]
        assert [lk["href"] for lk in json_links] == [f"{SITEURL}/feeds/all.json"], page
        assert json_links[0]["rel"] == "alternate"
    # A post's and a page's canonical is its own address.
    for rel, url in (
        ("2026/11/a-meetup-on-service-design/index.html", "2026/11/a-meetup-on-service-design/"),
        ("about/index.html", "about/"),
        ("category/events/index.html", "category/events/"),
    ):
        [canonical] = [lk["href"] for lk in _links(site / rel) if lk.get("rel") == "canonical"]
        assert canonical == f"{SITEURL}/{url}"
