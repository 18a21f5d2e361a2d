"""Decoded text that remembers where each character came from in a published file.

A feed holds HTML escaped as XML text, a JSON Feed holds HTML in JSON strings
with ``\\u`` escapes: what a reader gets is two decodings away from the bytes.
``Mapped`` keeps, for every run of decoded characters, the offset of the
characters it came from, so a finding points at ``output/feeds/all.atom.xml:LINE:COL``
of the file itself, through every layer.
"""

from __future__ import annotations

import bisect
import html
import re


class Mapped:
    """Text built piece by piece; ``origin(i)`` is the source offset of character ``i``.

    An *exact* piece is the source verbatim (its characters advance together);
    any other piece (a decoded ``&amp;``, an escape) maps wholly to where it starts.
    """

    __slots__ = ("_exact", "_parts", "_src", "_starts", "_text", "n")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._src: list[int] = []
        self._exact: list[bool] = []
        self.n = 0
        self._text: str | None = None

    @classmethod
    def verbatim(cls, text: str, src: int = 0) -> Mapped:
        m = cls()
        m.add(text, src)
        return m

    def add(self, text: str, src: int, exact: bool = True) -> None:
        if not text:
            return
        self._parts.append(text)
        self._starts.append(self.n)
        self._src.append(src)
        self._exact.append(exact)
        self.n += len(text)
        self._text = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self._parts)
        return self._text

    def __len__(self) -> int:
        return self.n

    def origin(self, i: int) -> int:
        if not self._starts:
            return 0
        i = max(0, min(i, self.n - 1))
        k = bisect.bisect_right(self._starts, i) - 1
        return self._src[k] + (i - self._starts[k] if self._exact[k] else 0)

    def pieces(self) -> list[tuple[int, int, bool]]:
        """(offset in ``text``, source offset, exact) for each piece."""
        return list(zip(self._starts, self._src, self._exact, strict=True))

    def rebase(self, outer: Mapped) -> Mapped:
        """This text, whose source is ``outer.text``, mapped to ``outer``'s own source."""
        out = Mapped()
        for part, src, exact in zip(self._parts, self._src, self._exact, strict=True):
            if not exact:
                out.add(part, outer.origin(src), False)
                continue
            pos, rest = src, part
            while rest:
                k = bisect.bisect_right(outer._starts, pos) - 1
                piece_end = outer._starts[k + 1] if k + 1 < len(outer._starts) else outer.n
                run = max(1, min(len(rest), piece_end - pos))
                if outer._exact[k]:
                    out.add(rest[:run], outer._src[k] + pos - outer._starts[k], True)
                else:
                    out.add(rest[:run], outer._src[k], False)
                pos, rest = pos + run, rest[run:]
        return out


# -- decoders: (raw text, where it starts) -> Mapped --------------------------------

ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")


def add_entities(out: Mapped, raw: str, base: int, *, attribute: bool = False) -> None:
    """HTML/XML character references decoded; everything else verbatim.

    In an attribute, a named reference without its ";" before a letter, a digit or
    "=" stays as written, as browsers read it ("?a=1&region=2" keeps "&region").
    """
    if "&" not in raw:
        out.add(raw, base)
        return
    pos = 0
    for m in ENTITY.finditer(raw):
        token = m.group(0)
        if attribute and not token.endswith(";") and not token.startswith("&#"):
            following = raw[m.end() : m.end() + 1]
            if following.isalnum() or following == "=":
                continue
        decoded = html.unescape(token)
        if decoded == token:
            continue  # not an entity ("&T"): stays as written
        out.add(raw[pos : m.start()], base + pos)
        out.add(decoded, base + m.start(), False)
        pos = m.end()
    out.add(raw[pos:], base + pos)


_JSON_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|(.))", re.S)
_JSON_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/", "\\": "\\"}


def json_string(raw: str, base: int) -> Mapped:
    """The value of a JSON string literal's body (between the quotes)."""
    out = Mapped()
    pos = 0
    pending_high = ""  # a UTF-16 high surrogate waiting for its low half
    for m in _JSON_ESCAPE.finditer(raw):
        out.add(raw[pos : m.start()], base + pos)
        if m.group(1):
            ch = chr(int(m.group(1), 16))
            if 0xD800 <= ord(ch) < 0xDC00:
                pending_high = ch
                pos = m.end()
                continue
            if pending_high and 0xDC00 <= ord(ch) < 0xE000:
                ch = (pending_high + ch).encode("utf-16", "surrogatepass").decode("utf-16")
            pending_high = ""
        else:
            ch = _JSON_SIMPLE.get(m.group(2), m.group(2))
        out.add(ch, base + m.start(), False)
        pos = m.end()
    out.add(raw[pos:], base + pos)
    return out


_CSS_ESCAPE = re.compile(r"\\(?:([0-9A-Fa-f]{1,6})[ \t\n]?|\n|(.))", re.S)


def css_string(raw: str, base: int) -> Mapped:
    """A CSS string's body: ``\\201C`` is a character, a backslash-newline nothing."""
    out = Mapped()
    pos = 0
    for m in _CSS_ESCAPE.finditer(raw):
        out.add(raw[pos : m.start()], base + pos)
        if m.group(1):
            code = int(m.group(1), 16)
            out.add(chr(code) if 0 < code <= 0x10FFFF else "\ufffd", base + m.start(), False)
        elif m.group(2) is not None:
            out.add(m.group(2), base + m.start(), False)
        pos = m.end()
    out.add(raw[pos:], base + pos)
    return out


_CSS_COMMENT_OR_ESCAPE = re.compile(
    r"/\*.*?(?:\*/|\Z)|\\(?:([0-9A-Fa-f]{1,6})(?:\r\n|[ \t\n\r\f])?|\n|(.))", re.S
)


def css_source(raw: str, base: int = 0) -> Mapped:
    """CSS as a browser tokenises it: escapes (``u\\72l``, ``\\@``) decoded, comments spaces.

    What loads a resource (``url(``, ``@import``, ``image-set(``) is looked for in
    this text, not in the raw one, so that ``u\\72l(https://...)`` or
    ``@import/**/url(...)`` cannot hide a remote load. A comment separates tokens
    as a space does, so it reads as one.
    """
    out = Mapped()
    pos = 0
    for m in _CSS_COMMENT_OR_ESCAPE.finditer(raw):
        out.add(raw[pos : m.start()], base + pos)
        if m.group(0).startswith("/*"):
            out.add(" ", base + m.start(), False)
        elif m.group(1):
            code = int(m.group(1), 16)
            ok = 0 < code <= 0x10FFFF and not 0xD800 <= code < 0xE000
            out.add(chr(code) if ok else "\ufffd", base + m.start(), False)
        elif m.group(2) is not None:
            out.add(m.group(2), base + m.start(), False)
        pos = m.end()
    out.add(raw[pos:], base + pos)
    return out


_JS_ESCAPE = re.compile(
    r"\\(?:u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|x([0-9A-Fa-f]{2})|\r?\n|(.))", re.S
)
_JS_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def js_string(raw: str, base: int) -> Mapped:
    out = Mapped()
    pos = 0
    for m in _JS_ESCAPE.finditer(raw):
        out.add(raw[pos : m.start()], base + pos)
        code = m.group(1) or m.group(2) or m.group(3)
        if code:
            value = int(code, 16)
            out.add(chr(value) if value <= 0x10FFFF else "\ufffd", base + m.start(), False)
        elif m.group(4) is not None:
            out.add(_JS_SIMPLE.get(m.group(4), m.group(4)), base + m.start(), False)
        pos = m.end()
    out.add(raw[pos:], base + pos)
    return out
