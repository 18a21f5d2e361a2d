"""Reading feeds the way a partner's feed reader does, and checking what it finds.

feedparser reads Atom; JSON Feed 1.1 is checked against the spec's rules
(https://jsonfeed.org/version/1.1) field by field. No help from the plugin.
"""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser

URL_ATTRIBUTES = {"href", "src", "poster", "cite", "action", "formaction", "data", "longdesc"}
SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}


def read_atom(path: Path) -> Any:
    """The feed as feedparser gives it: no URL fixing, no sanitising, no bozo."""
    feed = feedparser.parse(path.read_bytes(), resolve_relative_uris=False, sanitize_html=False)
    assert not feed.bozo, f"{path}: {feed.get('bozo_exception')!r}"
    assert feed.version == "atom10", (path, feed.version)
    return feed


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.urls.append((tag, name, value))
            elif name in SRCSET_ATTRIBUTES:
                for candidate in value.split(","):
                    if candidate.strip():
                        self.urls.append((tag, name, candidate.split()[0]))


def urls_in(html: str) -> list[tuple[str, str, str]]:
    parser = _Urls()
    parser.feed(html)
    parser.close()
    return parser.urls


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel", "data"):
        return True
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _rfc3339(value: Any, where: str) -> dt.datetime:
    assert isinstance(value, str), where
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert moment.tzinfo is not None, f"{where}: {value} has no time zone (RFC 3339)"
    return moment


def _authors(value: Any, where: str) -> None:
    assert isinstance(value, list) and value, f"{where}: authors must be a non-empty array"
    for author in value:
        assert isinstance(author, dict), where
        assert {"name", "url", "avatar"} & author.keys(), f"{where}: author needs name/url/avatar"
        for key in ("name", "url", "avatar"):
            if key in author:
                assert isinstance(author[key], str), f"{where}: author.{key}"


def read_json_feed(path: Path) -> dict[str, Any]:
    """A JSON Feed 1.1, checked against the spec's required fields and types."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    where = str(path)
    assert doc.get("version") == "https://jsonfeed.org/version/1.1", where
    assert isinstance(doc.get("title"), str) and doc["title"], f"{where}: title is required"
    assert isinstance(doc.get("items"), list), f"{where}: items is required"
    for key in ("home_page_url", "feed_url", "description", "language", "icon", "favicon"):
        if key in doc:
            assert isinstance(doc[key], str), f"{where}: {key}"
    for key in ("home_page_url", "feed_url"):
        if key in doc:
            assert is_absolute(doc[key]), f"{where}: {key} {doc[key]!r}"
    if "authors" in doc:
        _authors(doc["authors"], where)
    ids = []
    for index, item in enumerate(doc["items"]):
        at = f"{where}: items[{index}]"
        assert isinstance(item, dict), at
        assert isinstance(item.get("id"), str) and item["id"], f"{at}: id is required"
        ids.append(item["id"])
        assert isinstance(item.get("content_html"), str) or isinstance(
            item.get("content_text"), str
        ), f"{at}: content_html or content_text is required"
        for key in ("url", "external_url", "title", "summary", "image", "language"):
            if key in item:
                assert isinstance(item[key], str), f"{at}: {key}"
        for key in ("url", "external_url", "image"):
            if key in item:
                assert is_absolute(item[key]), f"{at}: {key} {item[key]!r}"
        for key in ("date_published", "date_modified"):
            if key in item:
                _rfc3339(item[key], f"{at}: {key}")
        if "tags" in item:
            assert isinstance(item["tags"], list), at
            assert all(isinstance(t, str) for t in item["tags"]), at
        if "authors" in item:
            _authors(item["authors"], at)
    assert len(ids) == len(set(ids)), f"{where}: item ids must be unique"
    return doc


def published(item: dict[str, Any]) -> dt.datetime:
    return _rfc3339(item["date_published"], item["id"])
