"""HTML and XML as a reader gets them: blocks of visible text, attributes, comments, links.

A *block* is what a reader takes in as one piece: a paragraph, a heading, a list
item (inline elements such as ``<a>``, ``<em>`` or SVG's ``<tspan>`` stay inside
it, so "Vote <em>Labour</em>" is one phrase), the value of an attribute people
see or machines quote (``alt``, ``title``, ``aria-label``, ``content`` of a
``<meta>``, ``og:*``), a comment, a string of an inline script. Links
(``href``, ``src``, ``srcset``...) are blocks of their own, judged as links.

Text escaped as XML inside a feed (``<content type="html">``) is HTML again:
it is read the same way, and every position maps back to the feed file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from prudent.published.mapped import Mapped, add_entities

TEXT, ATTRIBUTE, COMMENT, LINK = "text", "attribute", "comment", "link"


@dataclass
class Block:
    text: Mapped  # origins are offsets in the file's decoded text
    where: str  # what a reader sees it as, for the report: "<p> text", "alt of <img>"
    kind: str = TEXT  # TEXT | ATTRIBUTE | COMMENT | LINK


# Elements that do not break the flow of words (HTML phrasing content, SVG text runs).
INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font",
    "i", "ins", "kbd", "label", "mark", "output", "q", "rp", "rt", "ruby", "s", "samp", "small",
    "span", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr", "br", "img", "picture",
    "source", "tspan", "textpath", "tref", "altglyph",
})  # fmt: skip
# Attributes people see (tooltips, alt text, labels) or machines quote.
SHOWN = frozenset({
    "alt", "title", "aria-label", "aria-description", "aria-roledescription",
    "aria-placeholder", "aria-valuetext", "placeholder", "label", "summary", "abbr", "term",
    "text",
})  # fmt: skip
# Attributes that hold a URL a reader can follow or a page loads.
URLS = frozenset({
    "href", "src", "action", "formaction", "cite", "poster", "data", "background", "longdesc",
    "manifest", "ping", "xlink:href", "url", "uri", "resource",
})  # fmt: skip
# <meta> names whose content is technical, not words anyone reads.
TECHNICAL_META = frozenset({
    "viewport", "color-scheme", "theme-color", "robots", "googlebot", "referrer",
    "format-detection", "generator", "charset", "twitter:card", "og:type", "og:locale",
    "og:locale:alternate", "og:image:width", "og:image:height", "og:image:type",
    "article:published_time", "article:modified_time", "article:expiration_time",
    "google-site-verification", "msvalidate.01", "csrf-token", "apple-mobile-web-app-capable",
    "mobile-web-app-capable", "apple-mobile-web-app-status-bar-style",
    "msapplication-tilecolor", "msapplication-config",
})  # fmt: skip
_VALUE_SHOWN = frozenset({"input", "button", "option"})
_READ = SHOWN | URLS | {"style", "content", "srcset"}
_WANTED = re.compile(
    r"(?:^|[\s:])(?:" + "|".join(re.escape(n) for n in sorted(_READ | {"value"})) + r")\s*=", re.I
)
ABSOLUTE = re.compile(r"^\s*(?:(?:https?|ftp):|//|www\.)", re.I)

_COMMON = [
    r"(?P<comment><!--.*?(?:-->|\Z))",
    r"(?P<cdata><!\[CDATA\[(?P<cbody>.*?)(?:\]\]>|\Z))",
    r"(?P<decl><![^>]*>|<\?.*?(?:\?>|\Z))",
]
_TAGS = [
    r"(?P<end></(?P<endtag>[A-Za-z][^\s/>]*)[^>]*>)",
    r"(?P<start><(?P<tag>[A-Za-z][^\s/>]*)(?P<attrs>(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>)",
]
_RAW = (
    r"(?P<raw><(?P<rawtag>script|style|textarea|title|xmp)\b"
    r"(?P<rawattrs>(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>(?P<rawbody>.*?)(?:</(?P=rawtag)\s*>|\Z))"
)
# Every token starts with "<": the look-ahead lets the scanner skip text at C speed.
HTML_TOKENS = re.compile("(?=<)(?:" + "|".join([*_COMMON, _RAW, *_TAGS]) + ")", re.S | re.I)
XML_TOKENS = re.compile("(?=<)(?:" + "|".join([*_COMMON, *_TAGS]) + ")", re.S)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_DIRECTIVE = re.compile(r"<!--\s*guardrails\s*:", re.I)
_SCRIPT_DATA = re.compile(r"json|ld\+json", re.I)

# Readers for what a page embeds: set by ``formats`` (CSS, scripts, JSON-LD).
Embedded = Callable[[str, int, str], list[Block]]  # (text, its offset, where) -> blocks


@dataclass
class _Embedders:
    css: Embedded | None = None
    js: Embedded | None = None
    json: Embedded | None = None


EMBED = _Embedders()


class _Flow:
    """The block being read; a block-level tag ends it."""

    def __init__(self, out: list[Block], where: str) -> None:
        self.out = out
        self.where = where
        self.text = Mapped()
        self.words = False  # whether the block holds more than white space

    def add(self, text: str, src: int, exact: bool = True) -> None:
        self.text.add(text, src, exact)
        self.words = self.words or not text.isspace()

    def flush(self, where: str | None = None) -> None:
        if self.words:
            self.out.append(Block(self.text, self.where))
            self.text = Mapped()
            self.words = False
        elif self.text.n:
            self.text = Mapped()
        if where is not None:
            self.where = where


def read_markup(text: str, *, xml: bool = False, context: str = "") -> list[Block]:
    """The blocks of an HTML page or an XML file; origins are offsets in ``text``.

    ``context`` names the place a fragment comes from ("Atom <content>"), for
    the labels of its blocks.
    """
    out: list[Block] = []
    default = f"{context}: text" if context else "page text"
    flow = _Flow(out, default)
    tokens = XML_TOKENS if xml else HTML_TOKENS
    pos = 0
    stack: list[str] = []  # open XML elements (local names), for the labels
    for m in tokens.finditer(text):
        if m.start() > pos:
            _text(text, pos, m.start(), flow, xml, stack, out, context)
        pos = m.end()
        kind = m.lastgroup
        if kind == "comment":
            if not _DIRECTIVE.match(m.group(0)) and m.group(0)[4:-3].strip():
                out.append(Block(Mapped.verbatim(m.group(0), m.start()), "comment", COMMENT))
        elif kind == "cdata":
            body = m.group("cbody")
            if xml and "<" in body:  # HTML in CDATA (RSS does this)
                inner = Mapped.verbatim(body, m.start("cbody"))
                _embedded(inner, _label(stack, context), flow, out)
            else:
                flow.add(body, m.start("cbody"))
        elif kind == "raw":
            _raw(m, flow, out, context)
        elif kind == "start":
            name = m.group("tag").lower() if not xml else m.group("tag")
            local = name.rsplit(":", 1)[-1].lower()
            _attributes(m.group("attrs"), m.start("attrs"), local, out, context)
            if xml and not m.group(0).endswith("/>"):
                stack.append(local)
            if local == "br":
                flow.add("\n", m.start(), False)
            elif local not in INLINE:
                flow.flush(f"{context}: <{local}>" if context else f"<{local}> text")
        elif kind == "end":
            local = m.group("endtag").rsplit(":", 1)[-1].lower()
            if xml and local in stack:
                while stack and stack.pop() != local:
                    pass
            if local not in INLINE:
                flow.flush(default)
    if pos < len(text):
        _text(text, pos, len(text), flow, xml, stack, out, context)
    flow.flush()
    return out


def _label(stack: list[str], context: str) -> str:
    where = f"<{stack[-1]}>" if stack else "text"
    return f"{context} {where}".strip()


def _text(
    text: str,
    start: int,
    end: int,
    flow: _Flow,
    xml: bool,
    stack: list[str],
    out: list[Block],
    context: str,
) -> None:
    raw = text[start:end]
    if raw.isspace():
        flow.add(raw, start)
        return
    if xml:
        decoded = Mapped()
        add_entities(decoded, raw, start)
        if "<" in decoded.text and re.search(r"<[A-Za-z!/]", decoded.text):
            _embedded(decoded, _label(stack, context), flow, out)  # escaped HTML
            return
        if stack and not flow.words:  # the element the block starts in
            flow.where = _label(stack, context)
        for part, src, exact in _runs(decoded):
            flow.add(part, src, exact)
        return
    add_entities(flow.text, raw, start)
    flow.words = True


def _runs(m: Mapped) -> list[tuple[str, int, bool]]:
    text = m.text
    pieces = m.pieces()
    out = []
    for i, (at, src, exact) in enumerate(pieces):
        end = pieces[i + 1][0] if i + 1 < len(pieces) else len(text)
        out.append((text[at:end], src, exact))
    return out


def _embedded(decoded: Mapped, where: str, flow: _Flow, out: list[Block]) -> None:
    """HTML inside an XML text node: read as HTML, mapped back to the file."""
    flow.flush()
    for block in read_markup(decoded.text, context=where):
        out.append(Block(block.text.rebase(decoded), block.where, block.kind))


def _raw(m: re.Match[str], flow: _Flow, out: list[Block], context: str) -> None:
    tag = m.group("rawtag").lower()
    _attributes(m.group("rawattrs"), m.start("rawattrs"), tag, out, context)
    body, at = m.group("rawbody"), m.start("rawbody")
    prefix = f"{context}: " if context else ""
    if tag in ("title", "textarea"):
        flow.flush()
        block = Mapped()
        add_entities(block, body, at)
        if block.text.strip():
            out.append(Block(block, f"{prefix}<{tag}>"))
        return
    if tag == "xmp":
        flow.flush()
        out.append(Block(Mapped.verbatim(body, at), f"{prefix}<xmp>"))
        return
    attrs = m.group("rawattrs") or ""
    reader = EMBED.css if tag == "style" else EMBED.js
    if tag == "script" and _SCRIPT_DATA.search(attrs):
        reader = EMBED.json
    if reader is not None and body.strip():
        out.extend(reader(body, at, f"{prefix}<{tag}>"))


def _attributes(attrs: str, base: int, tag: str, out: list[Block], context: str) -> None:
    if not attrs or "=" not in attrs or not _WANTED.search(attrs):
        return  # most tags carry only classes and ids
    found = []
    for m in _ATTR.finditer(attrs):
        value = m.group(2)
        gi = 2 if value is not None else 3 if m.group(3) is not None else 4
        value = m.group(gi)
        if value is not None:
            found.append((m.group(1).lower(), value, base + m.start(gi)))
    names = {name: value for name, value, _ in found}
    prefix = f"{context}: " if context else ""
    meta_name = ""
    if tag == "meta":
        meta_name = (
            names.get("name") or names.get("property") or names.get("itemprop") or ""
        ).lower()
        equiv = names.get("http-equiv", "").lower()
        if equiv and equiv != "refresh":
            return
    for name, value, at in found:
        local = name.rsplit(":", 1)[-1] if name != "xlink:href" else name
        if not value.strip() or not (
            name in _READ or local in URLS or (name == "value" and tag in _VALUE_SHOWN)
        ):
            continue
        decoded = Mapped()
        add_entities(decoded, value, at, attribute=True)
        if name == "style" and EMBED.css is not None:
            out.extend(EMBED.css(value, at, f"{prefix}style of <{tag}>"))
        elif name == "content" and tag == "meta":
            _meta(decoded, meta_name, names, out, prefix)
        elif name == "srcset":
            _srcset(decoded, tag, out, prefix)
        elif name in URLS or local in URLS:
            if ABSOLUTE.match(decoded.text):
                out.append(Block(decoded, f"{prefix}{name} of <{tag}>", LINK))
        elif name in SHOWN or (name == "value" and tag in _VALUE_SHOWN):
            out.append(Block(decoded, f"{prefix}{name} of <{tag}>", ATTRIBUTE))


def _meta(
    decoded: Mapped, meta_name: str, names: dict[str, str], out: list[Block], prefix: str
) -> None:
    if names.get("http-equiv", "").lower() == "refresh":
        url = re.search(r"url\s*=\s*['\"]?([^'\"\s]+)", decoded.text, re.I)
        if url:
            at = decoded.origin(url.start(1))
            out.append(Block(Mapped.verbatim(url.group(1), at), f"{prefix}meta refresh", LINK))
        return
    if not meta_name or meta_name in TECHNICAL_META or meta_name.startswith("guardrails-"):
        return
    label = f'{prefix}content of <meta "{meta_name}">'
    if ABSOLUTE.match(decoded.text):
        out.append(Block(decoded, label, LINK))
    else:
        out.append(Block(decoded, label, ATTRIBUTE))


def _srcset(decoded: Mapped, tag: str, out: list[Block], prefix: str) -> None:
    text = decoded.text
    for m in re.finditer(r"[^\s,][^\s]*", text):
        url = m.group(0).rstrip(",")
        if ABSOLUTE.match(url):
            piece = Mapped()
            piece.add(url, decoded.origin(m.start()), all(e for _, _, e in decoded.pieces()))
            out.append(Block(piece, f"{prefix}srcset of <{tag}>", LINK))
