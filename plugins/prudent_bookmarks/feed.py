"""The Atom feed of the public bookmarks, with absolute URLs."""

from __future__ import annotations

import html
from collections.abc import Callable
from urllib.parse import urlsplit

from feedgenerator import Atom1Feed, get_tag_uri

from .model import Bookmark


def atom_feed(
    bookmarks: list[Bookmark],
    *,
    title: str,
    site_url: str,
    page_url: str,
    feed_url: str,
    tag_url: Callable[[str], str],
    author: str = "",
    language: str = "en",
    max_items: int | None = None,
) -> Atom1Feed:
    """A feed of ``bookmarks`` (already public and newest first).

    Undated bookmarks (some browser exports have no ADD_DATE) are left out: an
    Atom entry needs a date, and an invented one would reorder readers' lists.
    Each entry links to the bookmarked page when it is an http(s) URL, else to
    the bookmark on the site. Notes are escaped as text inside the HTML summary.
    """
    feed = Atom1Feed(
        title=title,
        link=page_url,
        feed_url=feed_url,
        feed_guid=feed_url,
        description="",
        language=language,
        author_name=author or None,
    )
    dated = [b for b in bookmarks if b.time]
    domain = urlsplit(site_url).hostname or "localhost"
    for bookmark in dated[:max_items]:
        assert bookmark.time is not None
        link = bookmark.url if bookmark.linkable else f"{page_url}#{bookmark.anchor}"
        parts = []
        if bookmark.notes:
            notes = html.escape(bookmark.notes).replace("\n", "<br>\n")
            parts.append(f"<p>{notes}</p>")
        if not bookmark.linkable:
            parts.append(f"<p>Not a web link: <code>{html.escape(bookmark.url)}</code></p>")
        if bookmark.tags:
            links = ", ".join(
                f'<a href="{html.escape(tag_url(t))}">{html.escape(t)}</a>' for t in bookmark.tags
            )
            parts.append(f"<p>Tags: {links}</p>")
        if bookmark.toread:
            parts.append("<p><em>To read</em></p>")
        feed.add_item(
            title=bookmark.title,
            link=link,
            description="\n".join(parts),
            pubdate=bookmark.time,
            unique_id=get_tag_uri(f"https://{domain}/bookmarks/{bookmark.anchor}", bookmark.time),
            categories=list(bookmark.tags),
        )
    return feed
