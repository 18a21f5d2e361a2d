"""Where the site's texts point at images, and which file or URL each one means.

A reference is placed at the first character of its URL in the source file, so
a finding about the image lands on ``PATH:LINE:COL`` of the ``![...](here)``,
the ``src="here"`` or the ``Image: here`` line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from prudent.document import (
    HTML,
    IMAGE_SUFFIXES,
    MARKDOWN,
    PLAIN,
    RST,
    TEMPLATE,
    Site,
    TextDocument,
)
from prudent.findings import Location
from prudent.images.css import css_loads
from prudent.published.mapped import Mapped, add_entities

LOCAL, REMOTE, DATA = "local", "remote", "data"


# Metadata keys whose value is an image (Pelican themes and SEO plugins use these).
METADATA_KEYS = (
    "image",
    "cover",
    "og_image",
    "og:image",
    "twitter_image",
    "twitter:image",
    "thumbnail",
    "featured_image",
    "banner",
    "header_cover",
)


@dataclass(frozen=True)
class Reference:
    location: Location
    written: str  # the URL as written in the source
    kind: str  # LOCAL | REMOTE | DATA
    path: Path | None = None  # LOCAL: the resolved file (may not exist)
    url: str = ""  # REMOTE: the absolute URL; DATA: the data: URI


_MD_INLINE = re.compile(r"!\[(?:[^\]\\\n]|\\.)*\]\(\s*(<[^>\n]*>|[^)\s]+)")
_MD_REF_USE = re.compile(r"!\[((?:[^\]\\\n]|\\.)*)\](?:\[((?:[^\]\\\n]|\\.)*)\])?")
_MD_DEF = re.compile(r"^[ ]{0,3}\[((?:[^\]\\\n]|\\.)+)\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
# <object data>, <embed src> and an <iframe src> that shows an image put another
# document or picture in the page, and a <link href> (a style sheet, an icon, a
# preload) has the browser fetch it: each is judged like an <img>.
_TAG = re.compile(
    r"<(img|source|image|video|input|use|feImage|object|embed|iframe|link)\b[^>]*>", re.I | re.S
)
_REL = re.compile(r"""\srel\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
# <link rel=...> values that name a page or a person rather than load anything;
# any other rel (stylesheet, icon, preload, import, manifest, one not known) loads.
_REL_NOT_LOADING = frozenset(
    [
        "alternate",
        "author",
        "bookmark",
        "canonical",
        "external",
        "help",
        "license",
        "me",
        "next",
        "nofollow",
        "noopener",
        "noreferrer",
        "opener",
        "pingback",
        "prev",
        "search",
        "shortlink",
        "tag",
        "webmention",
    ]
)
_ABSOLUTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)
# CSS in a page: a <style> sheet and style= attributes (of any element).
_STYLE_SHEET = re.compile(r"<style\b[^>]*>(.*?)(?:</style\s*>|\Z)", re.I | re.S)
_STYLE_ATTR = re.compile(
    r"""<[A-Za-z][^\s/>]*[^>]{0,4000}?\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
    re.I | re.S,
)
_ATTR = re.compile(
    r"""\s((?:xlink:)?href|src|srcset|data-src|data-srcset|poster|data)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))""",
    re.I,
)
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')\s]+)\1\s*\)""", re.I)
_META_LINE = re.compile(
    r"^[ \t]*:?({})[ \t]*:[ \t]*(\S.*?)[ \t]*$".format(
        "|".join(re.escape(k) for k in METADATA_KEYS)
    ),
    re.I | re.M,
)
_META_TAG = re.compile(
    r"""<meta\b[^>]*\b(?:name|property)\s*=\s*["']({})["'][^>]*>""".format(
        "|".join(re.escape(k) for k in METADATA_KEYS)
    ),
    re.I,
)
_CONTENT_ATTR = re.compile(r"""\bcontent\s*=\s*("([^"]*)"|'([^']*)')""", re.I)
_PELICAN_PREFIX = re.compile(r"^(?:\{(static|attach|filename)\}|\|(static|attach|filename)\|)")
_SITEURL = re.compile(r"^\{\{\s*SITEURL\s*\}\}")


def find_references(site: Site) -> list[Reference]:
    refs: list[Reference] = []
    seen: set[tuple[Location, str]] = set()
    for doc in site.texts:
        for offset, written in _candidates(doc):
            ref = resolve(written, doc, site, offset)
            if ref is not None and (ref.location, written) not in seen:
                seen.add((ref.location, written))
                refs.append(ref)
    return refs


_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ ]{0,3}\1[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)[^`\n].*?\1")


def _mask_code(text: str) -> str:
    """Blank Markdown code (fenced blocks, code spans): an example is not an embed."""

    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))


def _candidates(doc: TextDocument) -> Iterator[tuple[int, str]]:
    """(offset, URL as written) of every image reference in ``doc``."""
    text = _mask_code(doc.text) if doc.kind == MARKDOWN else doc.text
    if doc.kind == PLAIN:
        stripped = text.strip()
        if _looks_like_image(stripped) and _is_one_url(stripped):
            yield text.find(stripped), stripped
        return
    if doc.kind in (MARKDOWN, HTML):
        header = _header(text, doc.kind)
        for m in _META_LINE.finditer(text, 0, header):
            yield m.start(2), m.group(2)
    elif doc.kind == RST:  # docinfo fields follow the title
        for m in _META_LINE.finditer(text):
            if m.group(0).lstrip().startswith(":"):
                yield m.start(2), m.group(2)
    if doc.kind == MARKDOWN:
        yield from _markdown(text)
    yield from _html(text)
    if doc.kind == RST:
        for m in re.finditer(r"^\s*\.\.\s+(?:image|figure)::\s*(\S+)", text, re.M):
            yield m.start(1), m.group(1)


def _header(text: str, kind: str) -> int:
    """End offset of the metadata block (Markdown: up to the first blank line)."""
    if kind == HTML:
        end = text.lower().find("</head>")
        return end if end >= 0 else len(text)
    m = re.search(r"\n[ \t]*\n", text)
    return m.start() if m else len(text)


def _markdown(text: str) -> Iterator[tuple[int, str]]:
    for m in _MD_INLINE.finditer(text):
        url = m.group(1)
        start = m.start(1)
        if url.startswith("<"):
            url, start = url[1:-1], start + 1
        yield start, url
    defs = {m.group(1).strip().lower(): m for m in _MD_DEF.finditer(text)}
    used: set[str] = set()
    for m in _MD_REF_USE.finditer(text):
        if text.startswith("(", m.end()):
            continue  # inline, handled above
        label = (m.group(2) or m.group(1) or "").strip().lower()
        if label in defs:
            used.add(label)
    for label, m in defs.items():
        url, start = m.group(2), m.start(2)
        if url.startswith("<"):
            url, start = url[1:-1], start + 1
        if label in used or _looks_like_image(url):
            yield start, url


def _html(text: str) -> Iterator[tuple[int, str]]:
    for tag in _TAG.finditer(text):
        for attr in _ATTR.finditer(tag.group(0)):
            name = attr.group(1).lower()
            value = attr.group(3) if attr.group(3) is not None else attr.group(4)
            if value is None:
                value = attr.group(5)
            vstart = tag.start() + attr.start(2) + (0 if attr.group(5) is not None else 1)
            element = tag.group(1).lower()
            if element == "link":
                url = value.strip()
                loads = name == "href" and _link_loads(tag.group(0))
                if loads and (_ABSOLUTE.match(url) or _looks_like_image(url)):
                    yield vstart + (len(value) - len(value.lstrip())), url
                continue
            if name.endswith("srcset"):
                yield from _srcset(value, vstart)
            elif name.endswith("href") and element not in ("image", "use", "feimage"):
                continue
            elif (name == "data") != (element == "object"):
                continue  # an <object>'s document is its data=; data= means nothing elsewhere
            elif element == "iframe" and not _looks_like_image(value.strip()):
                continue  # a page in a frame (a video player) is a link's business
            else:
                yield vstart + (len(value) - len(value.lstrip())), value.strip()
    for m in _META_TAG.finditer(text):
        c = _CONTENT_ATTR.search(m.group(0))
        if c:
            value = c.group(2) if c.group(2) is not None else c.group(3)
            yield m.start() + c.start(1) + 1, value.strip()
    for m in _CSS_URL.finditer(text):
        if _looks_like_image(m.group(2)):
            yield m.start(2), m.group(2)
    yield from _css(text)


def _css(text: str) -> Iterator[tuple[int, str]]:
    """What the page's CSS loads, read with escapes decoded (``u\\72l(``, ``@\\69mport``).

    Whatever would come from another server is a reference, whatever it looks like
    (a style sheet, a font, an image without a suffix); a local one when it names
    an image.
    """
    sheets = [Mapped.verbatim(m.group(1), m.start(1)) for m in _STYLE_SHEET.finditer(text)]
    for m in _STYLE_ATTR.finditer(text):
        group = next(g for g in (1, 2, 3) if m.group(g) is not None)
        value = Mapped()
        add_entities(value, m.group(group), m.start(group), attribute=True)
        sheets.append(value)
    for sheet in sheets:
        for load in css_loads(sheet):
            if _ABSOLUTE.match(load.url) or _looks_like_image(load.url):
                yield load.offset, load.url


def _link_loads(tag: str) -> bool:
    """Whether a ``<link>`` has the browser fetch its href (a style sheet, an icon, ...)."""
    m = _REL.search(tag)
    rel = next((g for g in m.groups() if g is not None), "") if m else ""
    tokens = set(rel.lower().split())
    return not tokens or not tokens <= _REL_NOT_LOADING


def _srcset(value: str, start: int) -> Iterator[tuple[int, str]]:
    # Each candidate is a URL (no spaces) and an optional descriptor, comma-separated;
    # a URL may itself contain commas (data: URIs), so split on "," followed by space
    # or a descriptor's end, the way browsers do.
    pos = 0
    while pos < len(value):
        m = re.compile(r"[\s,]*").match(value, pos)
        pos = m.end() if m else pos
        if pos >= len(value):
            break
        url_m = re.compile(r"\S+").match(value, pos)
        assert url_m is not None
        url = url_m.group(0)
        end = url_m.end()
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            desc = re.compile(r"[^,]*").match(value, end)
            end = desc.end() if desc else end
        yield start + pos, url
        pos = end + 1


def _is_one_url(text: str) -> bool:
    """Whether a plain text is a URL or path alone, not CSS or a sentence that ends in one.

    An SVG's ``<style>`` sheet reaches here as plain text: its ``url()``s are the
    SVG scan's business (``svg.py``), not a file named ``rect{fill:url(...``.
    """
    rest = _PELICAN_PREFIX.sub("", _SITEURL.sub("", text))
    return not re.search(r"[\s{}()<>;\\\"']", rest)


def _looks_like_image(url: str) -> bool:
    if url.lower().startswith("data:image/"):
        return True
    path = urlsplit(url).path if "://" in url else url.split("?")[0].split("#")[0]
    return path.lower().endswith(tuple(IMAGE_SUFFIXES))


def resolve(written: str, doc: TextDocument, site: Site, offset: int) -> Reference | None:
    """What ``written`` (in ``doc`` at ``offset``) points at, or None if not an image we publish."""
    url = written.strip().strip("\"'")
    location = doc.location(offset)
    if not url:
        return None
    if url.lower().startswith("data:"):
        if url.lower().startswith("data:image/"):
            return Reference(location, written, DATA, url=url)
        return None
    if url.startswith("//"):
        url = "https:" + url
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("http", "https"):
        return Reference(location, written, REMOTE, url=url)
    if scheme and len(scheme) > 1:
        return None  # mailto:, javascript:, ... (one letter would be a Windows drive)
    url = _SITEURL.sub("", url)
    if "{{" in url or "{%" in url:
        return None  # a template expression: resolved by Pelican, checked as a file
    if doc.kind == TEMPLATE and not url.startswith("/"):
        return None
    prefix = _PELICAN_PREFIX.match(url)
    rest = url[prefix.end() :] if prefix else url
    rest = unquote(rest.split("#", 1)[0].split("?", 1)[0])
    if not rest:
        return None
    doc_dir = (site.root / doc.path).parent
    content = site.content_dir
    if rest.startswith("/"):
        candidates = [content / rest.lstrip("/")]
    else:
        candidates = [doc_dir / rest, content / rest]
    for path in candidates:
        if path.is_file():
            return Reference(location, written, LOCAL, path=path.resolve())
    if doc.kind == TEMPLATE:
        return None  # e.g. /theme/...: the theme's own images are checked as files
    if prefix or _looks_like_image(rest):
        return Reference(location, written, LOCAL, path=candidates[0])
    return None
