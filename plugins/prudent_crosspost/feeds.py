"""Writing a list of entries as Atom (RFC 4287) and as JSON Feed 1.1.

Plain values in, files out: no Pelican here. Atom goes through feedgenerator,
the library Pelican's own feeds use, so both kinds of feed look alike.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feedgenerator import Atom1Feed

from .entries import Entry
from .xml_safe import xml_safe

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class FeedInfo:
    title: str
    home_url: str  # the site, ending in "/"
    feed_url: str  # where this very feed is published
    description: str = ""
    language: str = ""
    author: str = ""


def write_atom(path: Path, info: FeedInfo, entries: Sequence[Entry]) -> None:
    feed = Atom1Feed(
        title=xml_safe(info.title),
        link=info.home_url,
        description=xml_safe(info.description),
        subtitle=xml_safe(info.description) or None,
        feed_url=info.feed_url,
        feed_guid=info.feed_url,  # unique per feed: several feeds share the site's link
        language=info.language or None,
        author_name=xml_safe(info.author) or None,
        author_link=info.home_url if info.author else None,
    )
    for entry in entries:
        feed.add_item(
            title=entry.title,
            link=entry.url,
            unique_id=entry.id,
            description=entry.summary_html or None,
            content=entry.content_html,
            author_name=", ".join(entry.authors) or None,
            pubdate=entry.published,
            updateddate=entry.updated,
            categories=entry.categories,
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        feed.write(fh, "utf-8")


def json_feed(info: FeedInfo, entries: Sequence[Entry]) -> dict[str, Any]:
    """A JSON Feed 1.1 document (https://jsonfeed.org/version/1.1)."""
    doc: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": info.title,
        "home_page_url": info.home_url,
        "feed_url": info.feed_url,
    }
    if info.description:
        doc["description"] = info.description
    if info.language:
        doc["language"] = info.language
    if info.author:
        doc["authors"] = [{"name": info.author, "url": info.home_url}]
    doc["items"] = [_json_item(entry) for entry in entries]
    return doc


def _json_item(entry: Entry) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": entry.url,
        "url": entry.url,
        "title": entry.title,
        "content_html": entry.content_html,
    }
    if entry.summary_text:
        item["summary"] = entry.summary_text
    item["date_published"] = _rfc3339(entry.published)
    item["date_modified"] = _rfc3339(entry.updated)
    if entry.authors:
        item["authors"] = [{"name": name} for name in entry.authors]
    item["tags"] = entry.categories
    if entry.language:
        item["language"] = entry.language
    return item


def _rfc3339(moment: dt.datetime) -> str:
    if moment.tzinfo is None:  # Pelican gives aware dates; never write an ambiguous one
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat(timespec="seconds")


def write_json_feed(path: Path, info: FeedInfo, entries: Sequence[Entry]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(json_feed(info, entries), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
