"""Make every URL in an HTML fragment absolute, as a browser on the post's page would.

A post read in a partner's feed reader has no page around it: ``images/a.png``
or ``/about/`` would point into the partner's site. Each URL-bearing attribute
(``href``, ``src``, ``srcset`` candidates, ...) is resolved against the post's
own address, exactly as the browser resolves it on this site, and rewritten in
place; everything else in the HTML is left byte for byte.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urljoin

URL_ATTRIBUTES = frozenset(
    ["href", "src", "poster", "cite", "action", "formaction", "data", "longdesc", "background"]
)
SRCSET_ATTRIBUTES = frozenset(["srcset", "imagesrcset"])

# A quick, conservative look for URL attributes: when every value found has a
# scheme, the exact (slower) parse is skipped. Anything unclear takes it.
_URL_ATTRIBUTE_VALUE = re.compile(
    r"(?<![\w:.-])(?P<name>"
    + "|".join(sorted(URL_ATTRIBUTES | SRCSET_ATTRIBUTES))
    + r""")\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]*))""",
    re.IGNORECASE,
)
_HAS_SCHEME = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.\-]*:")
_SRCSET_RELATIVE = re.compile(r"(?:^|,)\s*(?![A-Za-z][A-Za-z0-9+.\-]*:)[^\s,]")

_TAG_NAME = re.compile(r"<[^\s/>]+")
# An attribute in a start tag, as html.parser's tolerant scanner reads it.
_ATTRIBUTE = re.compile(
    r"""(?<=['"\s/])(?P<name>[^\s/>][^\s/=>]*)(?P<eq>\s*=+\s*(?P<value>'[^']*'|"[^"]*"|(?!['"])[^>\s]*))?"""
)


class _StartTags(HTMLParser):
    """Finds the raw text and offset of every start tag (comments, scripts skipped)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.tags: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text()
        if raw is None:
            return
        line, col = self.getpos()
        offset = self.line_starts[line - 1] + col
        if self.text.startswith(raw, offset):
            self.tags.append((offset, raw))

    handle_startendtag = handle_starttag


def _all_absolute(fragment: str) -> bool:
    for match in _URL_ATTRIBUTE_VALUE.finditer(fragment):
        value = match.group("dq", "sq", "bare")
        value = next(v for v in value if v is not None)
        if match.group("name").lower() in SRCSET_ATTRIBUTES:
            if _SRCSET_RELATIVE.search(value):
                return False
        elif not _HAS_SCHEME.match(value):
            return False
    return True


@lru_cache(maxsize=4096)  # a post is in many feeds: all, its category, each tag, ×2
def absolutize_html(fragment: str, base_url: str) -> str:
    """``fragment`` with each URL attribute resolved against ``base_url``."""
    if not fragment or "<" not in fragment or _all_absolute(fragment):
        return fragment
    scanner = _StartTags(fragment)
    scanner.feed(fragment)
    scanner.close()
    out: list[str] = []
    cursor = 0
    for offset, raw in scanner.tags:
        out.append(fragment[cursor:offset])
        out.append(_rewrite_tag(raw, base_url))
        cursor = offset + len(raw)
    out.append(fragment[cursor:])
    return "".join(out)


def _rewrite_tag(raw: str, base_url: str) -> str:
    name = _TAG_NAME.match(raw)
    if name is None:
        return raw
    pieces: list[str] = [raw[: name.end()]]
    cursor = name.end()
    for attr in _ATTRIBUTE.finditer(raw, name.end()):
        value = attr.group("value")
        key = attr.group("name").lower()
        if value is None or (key not in URL_ATTRIBUTES and key not in SRCSET_ATTRIBUTES):
            continue
        quoted = value[:1] in ("'", '"')
        plain = html.unescape(value[1:-1] if quoted else value)
        fixed = (
            absolute_srcset(plain, base_url)
            if key in SRCSET_ATTRIBUTES
            else absolute_url(plain, base_url)
        )
        if fixed == plain:
            continue
        start = attr.start("value")
        pieces.append(raw[cursor:start])
        pieces.append('"' + html.escape(fixed, quote=True) + '"')
        cursor = attr.end("value")
    pieces.append(raw[cursor:])
    return "".join(pieces)


def absolute_url(url: str, base_url: str) -> str:
    """``url`` resolved against ``base_url``; URLs with a scheme are left as written."""
    stripped = url.strip()
    if re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", stripped):
        return url  # https:, mailto:, data:, tel:, ...
    return urljoin(base_url, stripped)


def absolute_srcset(srcset: str, base_url: str) -> str:
    """A ``srcset`` with each candidate's URL made absolute, descriptors kept."""
    candidates = []
    for url, descriptor in parse_srcset(srcset):
        fixed = absolute_url(url, base_url)
        candidates.append(f"{fixed} {descriptor}" if descriptor else fixed)
    return ", ".join(candidates) if candidates else srcset


def parse_srcset(srcset: str) -> list[tuple[str, str]]:
    """``[(url, descriptor), ...]`` following the HTML standard's srcset parsing."""
    result: list[tuple[str, str]] = []
    pos, end = 0, len(srcset)
    while pos < end:
        while pos < end and (srcset[pos].isspace() or srcset[pos] == ","):
            pos += 1
        if pos >= end:
            break
        start = pos
        while pos < end and not srcset[pos].isspace():
            pos += 1
        url = srcset[start:pos]
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth, start = 0, pos
            while pos < end and (depth or srcset[pos] != ","):
                depth += {"(": 1, ")": -1}.get(srcset[pos], 0)
                pos += 1
            descriptor = " ".join(srcset[start:pos].split())
        if url:
            result.append((url, descriptor))
    return result
