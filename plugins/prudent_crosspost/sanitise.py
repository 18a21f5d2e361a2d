"""Keep control characters out of everything Pelican renders and feeds.

A ``\\x0b`` or ``\\x1b`` pasted into a post makes Pelican's own Atom writer
stop the build (XML 1.0 cannot carry it) and is invisible noise on the page.
Posts and pages are cleaned as Pelican creates them; Pelican's Atom and RSS
feeds are cleaned (and their URLs made absolute) just before they are written.
"""

from __future__ import annotations

import logging
from typing import Any

from markupsafe import Markup

from .absolute_urls import absolutize_html
from .xml_safe import count_unsafe, xml_safe

logger = logging.getLogger("prudent_crosspost")

_TEXT_ATTRIBUTES = ("_content", "title")


def sanitise_content(content: Any) -> None:
    """``content_object_init``: drop XML-unsafe characters from a post or page."""
    dropped = 0
    for attr in _TEXT_ATTRIBUTES:
        value = getattr(content, attr, None)
        if isinstance(value, str) and (cleaned := xml_safe(value)) != value:
            dropped += count_unsafe(value) or 1
            setattr(content, attr, type(value)(cleaned) if isinstance(value, Markup) else cleaned)
    metadata = getattr(content, "metadata", None) or {}
    for key, value in list(metadata.items()):
        if isinstance(value, str) and (cleaned := xml_safe(value)) != value:
            dropped += count_unsafe(value) or 1
            metadata[key] = cleaned
            if getattr(content, key, None) == value:
                setattr(content, key, cleaned)
    if dropped:
        logger.info(
            "%s: dropped %d control character(s) that no page or feed can carry",
            getattr(content, "source_path", "?"),
            dropped,
        )


def clean_pelican_feed(context: Any, feed: Any) -> None:
    """``feed_generated``: Pelican's own Atom/RSS feed, XML-safe with absolute URLs."""
    feed.feed["title"] = xml_safe(feed.feed.get("title") or "")
    for key in ("description", "subtitle"):
        if isinstance(feed.feed.get(key), str):
            feed.feed[key] = xml_safe(feed.feed[key])
    for item in feed.items:
        link = str(item.get("link") or "")
        for key in ("title", "author_name"):
            if isinstance(item.get(key), str):
                item[key] = xml_safe(item[key])
        for key in ("description", "content"):
            if isinstance(item.get(key), str):
                item[key] = (
                    absolutize_html(xml_safe(item[key]), link) if link else xml_safe(item[key])
                )
        if item.get("categories"):
            item["categories"] = tuple(xml_safe(str(c)) for c in item["categories"])
