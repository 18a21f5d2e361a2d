"""Bookmarks as read from an export, and as published: pure data and rules.

An ``Entry`` is one bookmark exactly as an export file holds it, with the
position (``line``, ``col``, 1-based, in characters) of every piece of text, so
problems and guardrail findings point into the file. A ``Bookmark`` is what
the site publishes: entries for one URL merged, private ones and private tags
gone.

Duplicates: entries whose URLs are the same (``url_key``) become one bookmark.
The newest entry wins (its title, notes, date and "to read" mark: the latest
save is the author's latest word); the tags of all of them are kept. If any
copy is private the bookmark stays private: a URL marked private once is
never published (fail closed).

Secrets: a URL's user name and password and its secret-looking parameters
(``?token=``, ``?key=``, ``?sig=``...; ``prudent.secrets``) are removed from
the published URL, and their values from every title and note. Entries that are
the same page once stripped are one bookmark.

Browser-internal and local URLs (Firefox's ``place:`` smart folders,
``about:``, ``chrome:``, ``file:`` and the like) are not bookmarks of the web
and a ``file:`` path tells where the author's files are: they are left out.
Any other URL is published, but only http(s) URLs become links.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

from prudent.secrets import Stripped, builtin_matcher, redact, strip_secrets

RULE_ID = "bookmark-export"  # the id malformed exports are reported under


@dataclass(frozen=True)
class Text:
    """A piece of text and where it starts in its export file."""

    value: str
    line: int
    col: int


@dataclass(frozen=True)
class Entry:
    """One bookmark as an export file holds it."""

    path: str  # the export file, relative to the project root
    number: int  # 1-based position of the entry in its file
    line: int  # where the entry starts
    col: int
    url: Text
    title: Text | None
    notes: Text | None
    tags: tuple[Text, ...]  # every tag, private ones included
    time: datetime | None  # timezone-aware; None when the export has no date
    private: bool
    toread: bool
    # Why it was kept private without being marked so: an attribute given twice
    # with different values, a "shared" that is not exactly "yes". Told as warnings.
    doubts: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Bookmark:
    """One published bookmark: public, merged, with public tags only."""

    url: str
    title: str
    notes: str
    time: datetime | None
    toread: bool
    tags: tuple[str, ...]  # public tags
    tag_texts: tuple[tuple[str, Text], ...]  # (export file, tag) where each was first written
    entries: tuple[Entry, ...]  # the entries merged into it, newest first
    removed: tuple[str, ...] = ()  # secrets taken out of the newest entry's URL

    @property
    def linkable(self) -> bool:
        return is_linkable(self.url)

    @property
    def anchor(self) -> str:
        """A stable HTML id for the bookmark (the same URL keeps the same id)."""
        return "b-" + hashlib.sha1(url_key(self.url).encode("utf-8")).hexdigest()[:10]

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "") if self.linkable else ""

    @property
    def source(self) -> Entry:
        """The entry whose title, notes and date are published."""
        return self.entries[0]


@dataclass(frozen=True)
class Problem:
    """Why an export cannot be read, at a place in the file."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: error {RULE_ID}: {self.message}"


class ExportError(Exception):
    """An export file is malformed; ``problems`` says where and why."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col))
        files = sorted({p.path for p in self.problems})
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(
            f"Cannot read the bookmarks export {', '.join(files)}:\n{lines}\n"
            "Fix the entry (or export the file again) and build again."
        )


class LineIndex:
    """Offsets in a text to 1-based (line, col), in characters."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        idx = bisect.bisect_right(self._starts, offset) - 1
        return idx + 1, offset - self._starts[idx] + 1


# -- URLs ---------------------------------------------------------------------

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_UNSAFE = re.compile(r"[\x00-\x20\x7f]")  # controls and spaces: browsers strip or rewrite them


# Schemes that only mean something inside the author's own browser or computer.
INTERNAL_SCHEMES = frozenset(
    [
        "about",
        "blob",
        "brave",
        "chrome",
        "chrome-extension",
        "edge",
        "file",
        "moz-extension",
        "opera",
        "place",
        "resource",
        "safari-extension",
        "view-source",
        "vivaldi",
    ]
)


def url_scheme(url: str) -> str:
    m = _SCHEME.match(url)
    return m.group(1).lower() if m else ""


def is_linkable(url: str) -> bool:
    """Only plain http(s) URLs with a host become links, exactly as written."""
    if _UNSAFE.search(url) or url_scheme(url) not in ("http", "https"):
        return False
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:
        return False


def url_key(url: str) -> str:
    """The identity of a URL for merging duplicates.

    Scheme and host are case-insensitive and a default port is the same as
    none; path, query and fragment are compared as written.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url
    netloc = parts.netloc.lower()
    default = ":80" if scheme == "http" else ":443"
    if netloc.endswith(default):
        netloc = netloc[: -len(default)]
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, parts.fragment))


# -- tags -----------------------------------------------------------------------


def is_private_tag(tag: str) -> bool:
    """Pinboard's private tags start with a dot."""
    return tag.startswith(".")


def tag_slug(tag: str) -> str:
    """A URL slug for a tag: lower case letters and digits (any script) and hyphens."""
    text = unicodedata.normalize("NFKC", tag).lower()
    slug = re.sub(r"[\W_]+", "-", text).strip("-")
    digest = hashlib.sha1(tag.encode("utf-8")).hexdigest()[:8]
    if len(slug) > 60:  # keep folder names well under file system limits
        slug = f"{slug[:50].rstrip('-')}-{digest}"
    return slug or f"tag-{digest}"


def split_tags(text: str, line: int, col: int, *, commas: bool | None = None) -> list[Text]:
    """Tags in ``text`` (starting at line/col), each with its own position.

    Pinboard's JSON separates tags by spaces; browser exports by commas (and
    some by spaces). With ``commas=None`` a comma anywhere means commas.
    """
    if commas is None:
        commas = "," in text
    pattern = _COMMA_TAG if commas else _SPACE_TAG
    index = LineIndex(text) if "\n" in text else None
    tags = []
    for m in pattern.finditer(text):
        raw = m.group(0)
        value = raw.strip()
        if not value:
            continue
        offset = m.start() + (len(raw) - len(raw.lstrip()))
        tl, tc = index.position(offset) if index else (1, offset + 1)
        tags.append(Text(value, line + tl - 1, tc + col - 1 if tl == 1 else tc))
    return tags


_COMMA_TAG = re.compile(r"[^,]+")
_SPACE_TAG = re.compile(r"\S+")


# -- merging ------------------------------------------------------------------

_OLDEST = datetime.min.replace(tzinfo=UTC)


def merge(
    entries: Iterable[Entry], strip: Callable[[str], Stripped] | None = None
) -> list[Bookmark]:
    """Public bookmarks, one per URL, newest first (undated ones last, in file order).

    ``strip`` takes the secrets out of a URL (``SecretUrlRule.strip``; by default
    the built-in parameter names).
    """
    strip = strip or (lambda url: strip_secrets(url, builtin_matcher()))
    groups: dict[str, list[tuple[Entry, Stripped]]] = {}
    for entry in entries:
        if url_scheme(entry.url.value) in INTERNAL_SCHEMES:
            continue
        stripped = strip(entry.url.value)
        groups.setdefault(url_key(stripped.url), []).append((entry, stripped))
    # A secret removed from any URL is removed from every title and note.
    secret_values = tuple(sorted({v for ps in groups.values() for _, st in ps for v in st.values}))
    bookmarks = []
    for pairs in groups.values():
        if any(e.private for e, _ in pairs):
            continue
        # Newest first; among equal dates, the one read first.
        pairs = sorted(pairs, key=lambda p: p[0].time or _OLDEST, reverse=True)
        ordered = [e for e, _ in pairs]
        newest, stripped = pairs[0]
        values = Stripped(stripped.url, stripped.removed, secret_values)
        tags: dict[str, tuple[str, Text]] = {}
        for entry in ordered:
            for tag in entry.tags:
                if not is_private_tag(tag.value):
                    tags.setdefault(tag_slug(tag.value), (entry.path, tag))
        url = stripped.url
        raw = newest.url.value
        title = redact(newest.title.value, values, raw) if newest.title else url
        bookmarks.append(
            Bookmark(
                url=url,
                title=title,
                notes=redact(newest.notes.value, values, raw) if newest.notes else "",
                time=newest.time,
                toread=newest.toread,
                tags=tuple(t.value for _, t in tags.values()),
                tag_texts=tuple(tags.values()),
                entries=tuple(ordered),
                removed=stripped.removed,
            )
        )
    dated = sorted((b for b in bookmarks if b.time), key=lambda b: b.time, reverse=True)
    return dated + [b for b in bookmarks if not b.time]


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    bookmarks: tuple[Bookmark, ...]

    @property
    def count(self) -> int:
        return len(self.bookmarks)


def tags_of(bookmarks: list[Bookmark]) -> list[Tag]:
    """Every public tag with its bookmarks (in the given order), sorted by name.

    Tags that differ only in case or punctuation share a slug and a page; the
    spelling of the newest bookmark names it.
    """
    names: dict[str, str] = {}
    members: dict[str, list[Bookmark]] = {}
    for bookmark in bookmarks:
        for tag in bookmark.tags:
            slug = tag_slug(tag)
            names.setdefault(slug, tag)
            members.setdefault(slug, []).append(bookmark)
    tags = [Tag(names[s], s, tuple(members[s])) for s in names]
    return sorted(tags, key=lambda t: (t.name.casefold(), t.slug))
