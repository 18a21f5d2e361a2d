"""Source text -> the prose a reader sees, with a map back to the source.

Every rule reads *prepared* prose, never raw Markdown or HTML, so that
``**Lib**eral`` reads "Liberal", ``&#76;abour`` reads "Labour", a Cyrillic "о"
reads as a Latin "o" and ``T0ries`` reads "Tories". Each prepared character
remembers the offset of the source character it came from, so a finding is
reported at the right ``path:line:col`` of the file the author edits.

Steps, in order: markup (metadata keys, HTML tags and comments, Jinja, link
targets, emphasis, heading and quote markers, escapes) is dropped while
visible text (titles, tags, summaries, link text, ``alt``/``title``
attributes) is kept; entities are decoded; then each character is normalised
(NFKC, look-alike letters from every script folded to Latin with Unicode's
confusables data (UTS #39), accents dropped, zero-width and soft hyphens
removed, curly quotes straightened) and digits inside words that mix letters
and digits are read as letters (leetspeak).

``joined_view`` reads letters split to dodge a word list ("L a b o u r",
"L-a-b-o-u-r", "Lab.our") as one word, with a map back to the prose.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
import unicodedata
from collections.abc import Container, Iterable
from dataclasses import dataclass, field

from prudent.document import HTML, MARKDOWN, PLAIN, RST, TEMPLATE, TextDocument

# Metadata whose value is not prose (or, for the allowance keys, is read by
# suppress.py and must not itself trip a rule).
NON_PROSE_KEYS = frozenset(
    {
        "date",
        "modified",
        "slug",
        "status",
        "template",
        "save_as",
        "url",
        "lang",
        "translation",
        "image",
        "cover",
        "thumbnail",
        "og_image",
        "guardrails-allow",
        "guardrails-reason",
        "redirect_from",
        "permalink",
        "layout",
        "author_gravatar",
        "github",
        "twitter",
        "hero_image",
        "image_accessibility",
        "excerpt_separator",
    }
)

# Attributes whose value a reader sees (alt text, tooltips, meta content).
_VISIBLE_ATTRS = ("alt", "title", "aria-label", "placeholder", "content", "label", "summary")
# <meta> whose content shows up in search results and link previews.
_SHOWN_META = frozenset(
    {"description", "keywords", "author", "title", "tags", "summary", "category"}
    | {"og:title", "og:description", "og:site_name", "twitter:title", "twitter:description"}
)
_INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins"}
    | {"kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u"}
    | {"var", "wbr", "font"}
)
_ATTR_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")

ZERO_WIDTH = frozenset(
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
)

# Typographic double quotes read as ASCII ones (Unicode's confusables data reads
# them as two apostrophes, which would shift every offset after them).
DOUBLE_QUOTES = dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"')


@functools.cache
def latin_twins() -> dict[str, str]:
    """Each non-ASCII character that Unicode's confusables data (UTS #39) reads as
    ASCII letters or an apostrophe: Cyrillic "о", Armenian "օ", Cherokee "Ꮮ", "ł"...

    The data is Unicode's ``confusables.txt`` as packaged by ``confusable_homoglyphs``
    (the maintained Python library that implements UTS #39 confusable detection);
    it is loaded on first use, so plain-ASCII texts never pay for it. A character
    whose prototype is a Latin small capital ("н" reads "ʜ") reads as that letter.
    """
    from confusable_homoglyphs.confusables import confusables_data

    def bare(s: str) -> str:
        return "".join(
            c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn"
        )

    def small_capital(c: str) -> str:
        name = unicodedata.name(c, "")
        prefix = "LATIN LETTER SMALL CAPITAL "
        rest = name.removeprefix(prefix)
        return rest.lower() if name.startswith(prefix) and len(rest) == 1 else ""

    twins: dict[str, str] = {}
    for ch, homoglyphs in confusables_data.items():
        if len(ch) != 1 or ch.isascii():
            continue
        ascii_forms = set()
        for h in homoglyphs:
            form = bare(h["c"])
            if form and form.isascii() and (form.isalpha() or form == "'"):
                ascii_forms.add(form)
            elif len(homoglyphs) == 1 and len(form) == 1 and small_capital(form):
                ascii_forms.add(small_capital(form))
        if len(ascii_forms) == 1:
            twins[ch] = ascii_forms.pop()
        elif small_capital(ch):
            twins[ch] = small_capital(ch)
    return twins


# Digits read as letters inside a word that mixes both ("1d1ot", "T0ries").
LEET = str.maketrans("0134578", "oieastb")
LEET_ONE = "\x01"  # see Prepared.lexical
LEET_UPPER = str.maketrans("0134578", "OIEASTB")
# Numbers with a unit or ordinal ("18F", "10am", "2nd", "1990s", "H1", "v2") stay as written.
_NOT_LEET = re.compile(r"\d+[A-Za-z]{1,3}|[A-Za-z]{1,2}\d+|\d+(?:st|nd|rd|th|s|px|em|pm|am)", re.I)


@dataclass
class Prepared:
    """Prose and, for each of its characters, the offset in the source text."""

    text: str
    _starts: list[int]  # prepared offset where each piece starts
    _src: list[int]  # source offset of that piece
    _exact: list[bool]  # piece is the source verbatim (offsets advance together)
    _src_len: list[int]
    _ones: list[int] = field(default_factory=list)  # where a "1" was read as a letter
    # Metadata values in ``text``: (key in lower case, start, end), one a source line.
    fields: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def lexical(self) -> str:
        """``text`` with each leetspeak "1" as ``LEET_ONE``: word lists read it as "i" or
        "l" there, and only there ("IPC" is not "LPC", "1PC" may be)."""
        if not self._ones:
            return self.text
        chars = list(self.text)
        for i in self._ones:
            chars[i] = LEET_ONE
        return "".join(chars)

    def source_offset(self, i: int) -> int:
        """Offset in the source of prepared character ``i``."""
        if not self._starts:
            return 0
        i = max(0, min(i, len(self.text) - 1)) if self.text else 0
        k = bisect.bisect_right(self._starts, i) - 1
        if self._exact[k]:
            return self._src[k] + (i - self._starts[k])
        return self._src[k]

    def source_end(self, end: int) -> int:
        """Source offset just past prepared character ``end - 1``."""
        if end <= 0 or not self._starts:
            return 0
        i = min(end - 1, len(self.text) - 1)
        k = bisect.bisect_right(self._starts, i) - 1
        if self._exact[k]:
            return self._src[k] + (i - self._starts[k]) + 1
        return self._src[k] + self._src_len[k]


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.src: list[int] = []
        self.exact: list[bool] = []
        self.src_len: list[int] = []
        self.fields: list[tuple[str, int, int]] = []
        self.n = 0

    def add(self, text: str, src: int, exact: bool, src_len: int = 0) -> None:
        if not text:
            return
        if not text.isascii():
            if exact:
                self._add_folded(text, src)
                return
            text = "".join(fold_char(c) for c in text)
            if not text:
                return
        self._append(text, src, exact, src_len)

    def _add_folded(self, text: str, src: int) -> None:
        """Source text with non-ASCII characters: fold them (one-to-one folds stay exact)."""
        origin, pos, run = 0, 0, []  # the current exact run starts at ``origin``
        for m in _NON_ASCII.finditer(text):
            j = m.start()
            folded = fold_char(m.group(0))
            run.append(text[pos:j])
            pos = j + 1
            if len(folded) == 1:
                run.append(folded)
                continue
            self._append("".join(run), src + origin, True, 0)
            if folded:  # a ligature, "ß": several characters from one
                self._append(folded, src + j, False, 1)
            run, origin = [], j + 1
        run.append(text[pos:])
        self._append("".join(run), src + origin, True, 0)

    def _append(self, text: str, src: int, exact: bool, src_len: int) -> None:
        if not text:
            return
        self.parts.append(text)
        self.starts.append(self.n)
        self.src.append(src)
        self.exact.append(exact)
        self.src_len.append(len(text) if exact else max(1, src_len))
        self.n += len(text)

    def build(self) -> Prepared:
        return Prepared(
            "".join(self.parts), self.starts, self.src, self.exact, self.src_len, [], self.fields
        )


# -- markup ------------------------------------------------------------------

_MD_META_LINE = re.compile(r"([A-Za-z][\w-]*)[ \t]*:[ \t]?")
_COMMON = [
    r"(?P<comment><!--.*?(?:-->|\Z))",
    r"(?P<script><(?P<stag>script|style)\b[^>]*>.*?(?:</(?P=stag)\s*>|\Z))",
    r"(?P<tag></?[A-Za-z][\w:-]*(?:\s+(?:[^>\"']|\"[^\"]*\"|'[^']*')*)?/?>)",
    r"(?P<decl><![A-Za-z][^>]*>|<\?.*?\?>)",
    r"(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?)",
    r"(?P<url>(?:https?|ftp)://[^\s<>\"'\]\[)]+|\bwww\.[^\s<>\"'\]\[)]+)",
]
_MARKDOWN = [
    r"(?P<fence>^[ \t]*(?:```+|~~~+)[^\n]*$)",
    r"(?P<refdef>^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S+[^\n]*$)",  # not [^1]: footnotes
    r"(?P<target>\]\(\s*<?[^)\s>]*>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\))",
    r"(?P<refuse>\]\[[^\]\n]*\])",
    r"(?P<attrlist>\{:?[ \t]*[#.][^}\n]*\})",
    r"(?P<heading>^[ \t]{0,3}#{1,6}(?=[ \t]|$)|(?<=[ \t])#+[ \t]*$)",
    r"(?P<quote>^[ \t]*(?:>[ \t]?)+)",
    r"(?P<escape>\\[\\`*_{}\[\]()#+\-.!<>|~])",
    r"(?P<mark>[*_`~]+|!?\[|\])",
]
_JINJA = [r"(?P<jinja>\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})"]
_RST = [
    r"(?P<rstlink><(?:https?://|www\.)[^>\s]+>`_{1,2})",
    r"(?P<rsttarget>^\.\.[ \t]+_[^:\n]+:[^\n]*$)",
    r"(?P<role>:[\w-]+:(?=`))",
    r"(?P<directive>^\.\.[ \t]+[\w-]+::)",
    r"(?P<mark>`_{0,2}|\*{1,2}|\|)",
]

# Every pattern starts with one of these characters: a cheap look-ahead lets the
# scanner skip the ordinary letters of the prose without trying each pattern.
_FIRST = r"(?=[<&\]\[!*_`~\\{>#|:]|(?:https?|ftp):|www\.|(?<![^\n])[ \t.])"


def _combined(parts: list[str], flags: int) -> re.Pattern[str]:
    return re.compile(_FIRST + "(?:" + "|".join(parts) + ")", flags)


_PATTERNS = {
    MARKDOWN: _combined(_COMMON + _MARKDOWN, re.S | re.M),
    HTML: _combined(_COMMON, re.S | re.M | re.I),
    TEMPLATE: _combined(_JINJA + _COMMON, re.S | re.M | re.I),
    RST: _combined(_COMMON + _RST, re.S | re.M),
    PLAIN: _combined(_COMMON[4:], re.S | re.M),
}


def prepare(doc: TextDocument) -> Prepared:
    """The prose of ``doc`` with its map back to ``doc.text``."""
    b = _Builder()
    text = doc.text
    pos = 0
    pattern = _PATTERNS.get(doc.kind, _PATTERNS[PLAIN])
    if doc.kind in (MARKDOWN, RST) or (doc.kind == HTML and text.startswith("---")):
        pos = _metadata(text, b, pattern)
    _markup(text, pos, len(text), pattern, b)
    return _normalise(b.build())


def metadata_end(text: str) -> int:
    """Where a Markdown/RST metadata header ends (0 if there is none)."""
    return _metadata(text, None, _PATTERNS[PLAIN])


def metadata_fields(doc: TextDocument) -> list[tuple[str, int, int]]:
    """Every metadata value line of ``doc``: (key in lower case, start, end) in its text.
    A value that runs over several lines (a YAML list) gives one row a line."""
    fields: list[tuple[str, int, int]] = []
    if doc.kind in (MARKDOWN, RST) or (doc.kind == HTML and doc.text.startswith("---")):
        _metadata(doc.text, None, _PATTERNS[PLAIN], fields)
    return fields


def _metadata(
    text: str,
    b: _Builder | None,
    pattern: re.Pattern[str],
    fields: list[tuple[str, int, int]] | None = None,
) -> int:
    """Keep metadata values (title, tags, summary...), drop keys and non-prose values."""
    pos = 1 if text.startswith("\ufeff") else 0  # a byte-order mark
    yaml = text.startswith(("---\n", "---\r\n"), pos)
    if yaml:
        pos = text.index("\n") + 1
    key = ""
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        line = text[pos:end]
        stripped = line.strip()
        if yaml and stripped in ("---", "..."):
            return end + 1 if nl >= 0 else end
        if not yaml and not stripped:
            return pos
        m = _MD_META_LINE.match(line) or (re.match(r":([\w-]+):[ \t]?", line) if not yaml else None)
        if m:
            key = m.group(1).lower()
            value_at = pos + m.end()
        elif line[:1] in (" ", "\t", "-") and key:
            value_at = pos + (len(line) - len(line.lstrip(" \t-")))
        else:
            return pos  # not metadata: the body starts here
        if fields is not None and value_at < end:
            fields.append((key, value_at, end))
        if b is not None and key not in NON_PROSE_KEYS and value_at < end:
            b.add(" ", value_at, False, 1)
            at = b.n
            _markup(text, value_at, end, pattern, b)
            b.fields.append((key, at, b.n))
            b.add("\n", end, False, 1)
        pos = end + 1
    return len(text)


# Dropped with a space in their place (a comment inside a word is invisible, so
# it is dropped without one: "Lib<!-- -->eral" reads "Liberal").
_BLANKED = frozenset({"script", "decl", "fence", "refdef", "rsttarget", "url"})
_BLANKED |= {"rstlink"}  # Jinja output is unknown: dropped without a space too


def _markup(text: str, start: int, end: int, pattern: re.Pattern[str], b: _Builder) -> None:
    pos = start
    for m in pattern.finditer(text, start, end):
        if m.start() > pos:
            b.add(text[pos : m.start()], pos, True)
        kind = m.lastgroup
        s, e = m.start(), m.end()
        if kind == "tag":
            _tag(m.group(0), s, b)
        elif kind == "entity":
            decoded = html.unescape(m.group(0))
            if decoded == m.group(0):
                b.add(decoded, s, True)
            else:
                b.add(decoded, s, False, e - s)
        elif kind == "escape":
            b.add(m.group(0)[1], s + 1, True)
        elif kind in _BLANKED:
            b.add(" ", s, False, 1)
        elif kind == "target":
            pass  # "](url)": the link text before it stays
        # marks, headings, quotes, roles, attribute lists: dropped
        pos = e
    if pos < end:
        b.add(text[pos:end], pos, True)


def _tag(tag: str, start: int, b: _Builder) -> None:
    name = re.match(r"</?([\w:-]+)", tag)
    tagname = name.group(1).lower() if name else ""
    if tagname not in _INLINE_TAGS:
        b.add(" ", start, False, 1)
    if tag.startswith("</"):
        return
    attrs = list(_ATTR_RE.finditer(tag))
    shown_meta = tagname == "meta" and any(
        a.group(1).lower() in ("name", "property")
        and (a.group(2) or a.group(3) or a.group(4) or "").lower() in _SHOWN_META
        for a in attrs
    )
    for m in attrs:
        attr = m.group(1).lower()
        if attr == "content" and not shown_meta:
            continue  # <meta name="viewport" content="...">: not text anyone reads
        if attr in _VISIBLE_ATTRS:
            gi = 2 if m.group(2) is not None else 3 if m.group(3) is not None else 4
            value, vstart = m.group(gi), start + m.start(gi)
            if value and not value.lstrip().startswith(("http:", "https:", "/", "{")):
                b.add(" ", vstart, False, 1)
                _markup(tag, m.start(gi), m.end(gi), _PATTERNS[PLAIN], _Shift(b, start))
                b.add(" ", vstart + len(value), False, 1)


class _Shift(_Builder):
    """A builder view whose source offsets are relative to ``base``."""

    def __init__(self, inner: _Builder, base: int) -> None:
        super().__init__()
        self.inner, self.base = inner, base

    def add(self, text: str, src: int, exact: bool, src_len: int = 0) -> None:
        self.inner.add(text, src + self.base, exact, src_len)


# -- characters --------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """One source character as prose: NFKC, confusables folded (UTS #39), no accents."""
    if ch in ZERO_WIDTH:
        return ""
    if ch in DOUBLE_QUOTES:
        return DOUBLE_QUOTES[ch]
    twins = latin_twins()
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        if c.isascii():
            out.append(c)
        elif c in twins:
            out.append(twins[c])
        elif c in DOUBLE_QUOTES:
            out.append(DOUBLE_QUOTES[c])
        else:
            for d in unicodedata.normalize("NFD", c):
                if unicodedata.category(d) != "Mn":
                    out.append(twins.get(d, d))
    return unicodedata.normalize("NFC", "".join(out))


def fold(text: str) -> str:
    """Normalise a whole string the same way (for lexicon entries and tests)."""
    if not text.isascii():
        text = "".join(fold_char(c) for c in text)
    return _leet(text)


def _leet(text: str) -> str:
    return _leet_with_ones(text)[0]


def _leet_with_ones(text: str) -> tuple[str, list[int]]:
    """Leetspeak folded, and where a "1" was read as a letter (an "i" or an "l")."""
    if not _DIGIT.search(text):
        return text, []
    out: list[str] = []
    ones: list[int] = []
    pos = 0
    for m in _DIGIT_RUN.finditer(text):
        if m.start() < pos:
            continue  # part of a token already handled
        start = m.start()
        while start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
            start -= 1
        tok_m = _ALNUM.match(text, start)
        end = tok_m.end() if tok_m else m.end()
        tok = text[start:end]
        if tok.isdigit() or not tok.isascii() or _NOT_LEET.fullmatch(tok):
            continue
        letters = [c for c in tok if c.isalpha()]
        upper = len(letters) > 1 and all(c.isupper() for c in letters)
        out.append(text[pos:start])
        out.append(tok.translate(LEET_UPPER if upper else LEET))
        ones.extend(start + i for i, c in enumerate(tok) if c == "1")
        pos = end
    if not out:
        return text, []
    out.append(text[pos:])
    return "".join(out), ones


_DIGIT = re.compile(r"[0-9]")
_DIGIT_RUN = re.compile(r"[0-9]+")
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _normalise(p: Prepared) -> Prepared:
    """Characters were folded as pieces were added; what is left is leetspeak."""
    text, ones = _leet_with_ones(p.text)
    return Prepared(text, p._starts, p._src, p._exact, p._src_len, ones, p.fields)


# -- letters split to dodge a word list ----------------------------------------

_L = r"[^\W\d_]"
_MARKS = "-.*_\u00b7\u2022|~"
# Three or more single letters, each from the next by a space or two or by one of
# these marks: "L a b o u r", "L-a-b-o-u-r", "L.a.b.o.u.r", "T * o * r * y". Commas,
# slashes and the like are left alone, so "a, b, c" and "and/or" stay as written.
_SPACED_RUN = re.compile(
    rf"(?<!{_L}){_L}(?:(?:[ \t]{{1,2}}|[ \t]?[{_MARKS}][ \t]?){_L}(?!{_L})){{2,}}"
)
_GAP = re.compile(rf"[ \t]*[{_MARKS}]?[ \t]*")
# Cheap first looks (a pattern that starts with a literal is scanned fast): a
# one-letter word after a space, and a mark before a letter.
_SINGLE = re.compile(rf" {_L}[ {_MARKS}]")
_MARK = re.compile(rf"[{_MARKS}]({_L}+)")
_SPLIT_WORD = re.compile(rf"{_L}+(?:[{_MARKS}]{_L}+)+")


class Vocabulary:
    """The words a word list holds (lower case), for ``joined_view``."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w.lower() for w in words)
        # What can follow a mark inside a split word: the end of some word.
        self.endings = frozenset(w[i:] for w in self.words for i in range(1, len(w)))

    def __contains__(self, word: object) -> bool:
        return word in self.words


@dataclass(frozen=True)
class JoinedView:
    """Prose with split words joined. ``origin[i]`` is where character ``i`` of
    ``text`` is in the prose; ``joins`` are the prose offsets that were taken out."""

    text: str
    origin: list[int]
    joins: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A span of ``text`` as a span of the prose."""
        return self.origin[start], self.origin[end - 1] + 1

    def joined_within(self, start: int, end: int) -> bool:
        """Whether the span (of ``text``) was split in the prose."""
        a, b = self.span(start, end)
        k = bisect.bisect_left(self.joins, a)
        return k < len(self.joins) and self.joins[k] < b


def joined_view(text: str, vocabulary: Vocabulary) -> JoinedView | None:
    """Words split by spaces or marks joined again, or None if there are none.

    Only a split word that ``vocabulary`` holds (lower case; a plural or possessive
    "s" may follow) is joined, so ordinary text is left alone: "a b c" and "node.js"
    stay as they are, "L a b o u r", "L-a-b-o-u-r" and "Lab.our" read "Labour". A
    run of single letters is cut where a capital follows a small letter ("V o t e L a
    b o u r" is "Vote" and "Labour"). The view is for word lists to look at again;
    the prose that rules read and report on is unchanged.
    """
    drop: list[int] = []
    done = 0
    for single in _SINGLE.finditer(text):
        at = single.start() + 1
        if at < done or not _single_letter_follows(text, at + 1):
            continue
        run = _SPACED_RUN.search(text, max(0, at - 40), at + 200)
        while run is not None and run.end() <= at:
            run = _SPACED_RUN.search(text, run.end(), at + 200)
        if run is None or run.start() > at:
            continue
        done = run.end()
        part: list[int] = [run.start()]  # letter offsets of the current part
        gaps: list[list[int]] = []
        pos = run.start() + 1
        while pos < run.end():
            gap = _GAP.match(text, pos)
            assert gap is not None
            nxt = gap.end()
            if text[pos - 1].islower() and text[nxt].isupper():
                _join_if_known(text, part, gaps, vocabulary, drop)
                part, gaps = [], []
            else:
                gaps.append(list(range(pos, nxt)))
            part.append(nxt)
            pos = nxt + 1
        _join_if_known(text, part, gaps, vocabulary, drop)
    done = 0
    for mark in _MARK.finditer(text):
        at = mark.start()
        if at < done or not at or not text[at - 1].isalpha():
            continue  # in a word already looked at, or not inside a word
        if mark.group(1).lower() not in vocabulary.endings:
            continue  # "open-source": no listed word ends in "source"
        a = at - 1
        while a > 0 and (
            text[a - 1].isalpha() or (text[a - 1] in _MARKS and text[a - 2 : a - 1].isalpha())
        ):
            a -= 1
        m = _SPLIT_WORD.match(text, a)
        if m is None:
            continue
        done = m.end()
        if _known("".join(c for c in m.group() if c not in _MARKS), vocabulary):
            drop.extend(i for i in range(m.start(), m.end()) if text[i] in _MARKS)
            if text[m.end() : m.end() + 1] == text[m.start() + 1] == ".":
                drop.append(m.end())  # "V.O.T.E. L.A.B.O.U.R.": the last dot too
    if not drop:
        return None
    drop = sorted(set(drop))
    gone = set(drop)
    origin = [i for i in range(len(text)) if i not in gone]
    return JoinedView("".join(text[i] for i in origin), origin, drop)


def _single_letter_follows(text: str, i: int) -> bool:
    """Whether a gap (a space or two, a mark) then a one-letter word starts at ``i``."""
    n = len(text)
    j = i
    while j < n and j - i < 3 and (text[j] in " \t" or text[j] in _MARKS):
        j += 1
    return j > i and j < n and text[j].isalpha() and (j + 1 >= n or not text[j + 1].isalpha())


def _join_if_known(
    text: str,
    letters: list[int],
    gaps: list[list[int]],
    vocabulary: Container[str],
    drop: list[int],
) -> None:
    """Join the letters if they spell a known word, or known words one after another
    ("V O T E L A B O U R": "VOTE LABOUR", a space kept between the words)."""
    if len(letters) < 3:
        return
    word = "".join(text[i] for i in letters)
    cuts = [] if _known(word, vocabulary) else _segment(word.lower(), vocabulary)
    if cuts is None:
        return
    for k, gap in enumerate(gaps, 1):  # gap k comes after letter k
        if k not in cuts:
            drop.extend(gap)


def _segment(word: str, vocabulary: Container[str]) -> list[int] | None:
    """Where to cut ``word`` into two or three known words of two letters or more."""
    n = len(word)
    for i in range(2, n - 1):
        if _known(word[:i], vocabulary):
            if _known(word[i:], vocabulary):
                return [i]
            for j in range(i + 2, n - 1):
                if _known(word[i:j], vocabulary) and _known(word[j:], vocabulary):
                    return [i, j]
    return None


def _known(word: str, vocabulary: Container[str]) -> bool:
    w = word.lower()
    return w in vocabulary or (w.endswith("s") and w[:-1] in vocabulary)
