"""Every link target in a source text, with its offset, and its real host name.

Found: Markdown inline links and images (``[t](url)``, ``![a](url)``),
reference definitions (``[id]: url``), autolinks (``<https://...>``), bare
URLs (``https://...``, ``www....``), raw HTML attributes (``href``, ``src``,
``srcset``, ``action``...), reStructuredText links (`` `t <url>`_ ``), and a
setting whose whole value is a URL. Text inside HTML comments is not
published as a link and is skipped.

The host is parsed the way a browser does (userinfo and port dropped,
backslashes read as slashes, percent-escapes and HTML entities decoded,
IDNA/UTS-46 mapping, trailing dot removed), so ``https://gov.uk@evil.example``
points at ``evil.example`` and ``ｇｏｖ.ｕｋ`` at ``gov.uk``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import idna


@dataclass(frozen=True)
class Link:
    start: int  # offset of the URL in the source text
    end: int
    url: str  # as written (entities decoded)
    host: str  # normalised host name, "" for relative links


_URL_CHARS = r"[^\s<>\"'`]"
# Each pattern starts with a literal, so the regex engine jumps from one
# candidate to the next instead of trying every pattern at every character.
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_MD_INLINE = re.compile(r"\]\(\s*(?:<(?P<angle>[^>\n]+)>|(?P<url>[^)\s]+(?:\([^)\s]*\)[^)\s]*)*))")
_MD_REF = re.compile(r"\[(?!\^)[^\]\n]+\]:[ \t]*<?(?P<url>[^\s>]+)")
_AUTO = re.compile(r"<(?P<url>(?:https?|ftp)://[^>\s]+|www\.[^>\s]+)>", re.I)
_ATTR_VALUE = re.compile(r"=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'>]+))")
_ATTR_NAME = re.compile(
    r"\b(?P<name>href|src|action|formaction|cite|poster|data|srcset|background|xlink:href)\s*$",
    re.I,
)
_SCHEME_URL = re.compile(r"(?:https?|ftp):" + _URL_CHARS + "+", re.I)
_SCHEME_AT = re.compile(r"://")
_URL_RUN = re.compile(_URL_CHARS + "+")
_PROTOCOL_RELATIVE = re.compile(r"//(?=[\w-]+\.)" + _URL_CHARS + "+")
_TRAILING = ".,;:!?*_~'\")]}"


def find_links(text: str) -> list[Link]:
    links: dict[int, Link] = {}
    comments = [(m.start(), m.end()) for m in _COMMENT.finditer(text)] if "<!--" in text else []

    def add(start: int, end: int, raw: str, trim: bool = False) -> None:
        if any(a <= start < b for a, b in comments):
            return
        if trim:
            raw, end = _trim(raw, start)
        _add(links, start, end, raw)

    if "](" in text:
        for m in _MD_INLINE.finditer(text):
            g = "angle" if m.group("angle") is not None else "url"
            add(m.start(g), m.end(g), m.group(g))
    if "]:" in text:
        for m in _MD_REF.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if m.start() - line_start <= 3 and not text[line_start : m.start()].strip():
                add(m.start("url"), m.end("url"), m.group("url"))
    if "<" in text:
        for m in _AUTO.finditer(text):
            add(m.start("url"), m.end("url"), m.group("url"))
    if "=" in text:
        for m in _ATTR_VALUE.finditer(text):
            name = _ATTR_NAME.search(text, max(0, m.start() - 24), m.start())
            if not name:
                continue
            g = "dq" if m.group("dq") is not None else "sq" if m.group("sq") is not None else "bare"
            start, raw = m.start(g), m.group(g)
            if name.group("name").lower() == "srcset":
                for part in raw.split(","):
                    url = part.strip().split(" ")[0]
                    if url:
                        at = start + raw.find(url)
                        add(at, at + len(url), url)
            else:
                add(start, m.end(g), raw)
    for m in _SCHEME_AT.finditer(text):
        scheme = re.search(r"(?:https?|ftp)$", text[max(0, m.start() - 5) : m.start()], re.I)
        if scheme:
            at = m.start() - len(scheme.group(0))
            if at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_"):
                continue
            um = _SCHEME_URL.match(text, at)
            if um:
                add(at, um.end(), um.group(0), trim=True)
    low = text.lower()
    at = low.find("www.")
    while at >= 0:
        if not (at > 0 and (text[at - 1].isalnum() or text[at - 1] in "./_-")):
            um = _URL_RUN.match(text, at)
            if um:
                add(at, um.end(), um.group(0), trim=True)
        at = low.find("www.", at + 4)
    at = text.find("//")
    while at >= 0:
        if not (at > 0 and (text[at - 1].isalnum() or text[at - 1] in "@./:-_")):
            um = _PROTOCOL_RELATIVE.match(text, at)
            if um:
                add(at, um.end(), um.group(0), trim=True)
        at = text.find("//", at + 2)
    # A link inside another (the URL of "[x](https://...)") is one link.
    out: list[Link] = []
    for link in sorted(links.values(), key=lambda lk: (lk.start, -lk.end)):
        if out and link.start < out[-1].end:
            continue
        out.append(link)
    return out


def _add(links: dict[int, Link], start: int, end: int, raw: str) -> None:
    url = html.unescape(raw).strip()
    if start in links or not url:
        return
    links[start] = Link(start, end, url, host_of(url))


def _trim(raw: str, start: int) -> tuple[str, int]:
    while raw and raw[-1] in _TRAILING:
        if raw[-1] == ")" and raw.count("(") >= raw.count(")"):
            break
        raw = raw[:-1]
    return raw, start + len(raw)


# Browsers ignore tabs and newlines in a URL; zero-width characters hide in pasted ones.
_INVISIBLE = dict.fromkeys(map(ord, "\t\r\n\u200b\u200c\u200d\u2060\ufeff"))
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def host_of(url: str) -> str:
    """The host a browser would contact for ``url`` ("" if none or not http(s))."""
    url = url.strip().replace("\\", "/")
    url = url.translate(_INVISIBLE)
    if url.lower().startswith("www."):
        url = "http://" + url
    elif url.startswith("//"):
        url = "http:" + url
    elif not _SCHEME.match(url):
        return ""
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):/*", url)
    if not m or m.group(1).lower() not in ("http", "https", "ftp", "ws", "wss"):
        return ""
    # Browsers accept any number of slashes after the scheme.
    url = f"{m.group(1)}://{url[m.end() :]}"
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return normalise_host(unquote(host))


def normalise_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host:
        return ""
    if host.isascii():
        return host  # punycode stays punycode: "xn--..." is another host
    try:
        # UTS-46 maps full-width letters and other compatibility forms as browsers do.
        return idna.encode(host, uts46=True).decode("ascii").rstrip(".")
    except (idna.IDNAError, UnicodeError):
        return host
