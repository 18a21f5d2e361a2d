"""The bookmarks page (prudent_bookmarks) as a reader meets it."""

from __future__ import annotations

import json
from urllib.parse import urlparse

from tests.browser.conftest import ARTIFACTS, ROOT


def _public_bookmarks() -> list[dict]:
    """The sample's Pinboard export, less what is private."""
    exported = json.loads((ROOT / "content" / "bookmarks" / "pinboard.json").read_text("utf-8"))
    return [b for b in exported if str(b.get("shared", "yes")).lower() not in {"no", "false"}]


def test_bookmarks_page_lists_the_public_bookmarks_and_their_tags(open_page) -> None:
    public = _public_bookmarks()
    exported = json.loads((ROOT / "content" / "bookmarks" / "pinboard.json").read_text("utf-8"))
    private = [b["description"] for b in exported if b not in public]
    assert public and private, "the sample has public and private bookmarks"

    page, watch = open_page("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Bookmarks").click()
    page.wait_for_load_state("load")
    assert urlparse(page.url).path == "/bookmarks/"
    assert page.locator("main h1").inner_text() == "Bookmarks"
    shown = [t.strip() for t in page.locator("main .bookmark-title a").all_inner_texts()]
    assert sorted(shown) == sorted(b["description"] for b in public)
    text = page.locator("main").inner_text()
    assert not [title for title in private if title in text]

    # A tag leads to the bookmarks with that tag, and the links go to the bookmarked pages.
    tag = max(
        {t for b in public for t in b["tags"].split() if not t.startswith(".")},
        key=lambda t: sum(t in b["tags"].split() for b in public),
    )
    page.locator(".tag-cloud a", has_text=tag).first.click()
    page.wait_for_load_state("load")
    tagged = [b for b in public if tag in b["tags"].split()]
    links = page.locator("main .bookmark-title a")
    assert links.count() == len(tagged)
    assert sorted(links.evaluate_all("els => els.map(a => a.href)")) == sorted(
        b["href"] for b in tagged
    )
    assert watch.problems() == []


def test_screenshots_of_the_bookmarks_page(open_page) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for device, width in (("desktop", 1280), ("phone", 375)):
        page, watch = open_page("/bookmarks/", width=width)
        target = ARTIFACTS / f"bookmarks-{device}.png"
        target.unlink(missing_ok=True)
        page.screenshot(path=str(target), full_page=True)
        data = target.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(data[16:20], "big") == width
        assert watch.problems() == []
