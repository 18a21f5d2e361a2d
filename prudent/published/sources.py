"""What was judged at its source, and where published text came from.

Text is compared by its *skeleton*: the prose folded as the rules read it
(``prepare.fold``: look-alike letters, leetspeak, accents), in lower case,
with everything but letters and digits dropped. Markup, typography (curly
quotes, dashes) and line breaks differ between a Markdown post and its page;
its skeleton does not.

A source's *units* are the skeletons of its lines, its paragraphs, pairs of
lines, and the comma-separated items of a line (a post's tags): a published
block whose skeleton is a unit is that source's text, judged there.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from prudent.document import PLAIN, TEMPLATE, TextDocument
from prudent.text.prepare import Prepared, fold, fold_char, prepare

_NON_WORD = re.compile(r"[\W_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_NON_ASCII_SIGN = re.compile(r"[^\w\x00-\x7f]")  # dropped by the skeleton anyway
_WORD = re.compile(r"\w{3,}")
_PARAGRAPHS = re.compile(r"\n[ \t\r]*\n")


def skeleton(text: str) -> str:
    if not text.isascii():  # fold only the few characters that need it
        text = _NON_ASCII_SIGN.sub(" ", _NON_ASCII.sub(_fold_match, text))
    return _NON_WORD.sub("", fold(text).casefold())


def _fold_match(m: re.Match[str]) -> str:
    return fold_char(m.group(0))


def unit_key(skel: str) -> str:
    return hashlib.blake2b(skel.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def units_of(prose: str) -> list[str]:
    """The unit keys of a source's prepared prose (see the module's docstring)."""
    skels: set[str] = set()
    for para in _PARAGRAPHS.split(prose):
        skels.add(skeleton(para))
        lines = para.split("\n")
        for i, line in enumerate(lines):
            skels.add(skeleton(line))
            if i + 1 < len(lines):
                skels.add(skeleton(line + lines[i + 1]))
            if "," in line:
                skels.update(skeleton(item) for item in line.split(","))
    skels.discard("")
    return sorted(unit_key(s) for s in skels)


@dataclass
class Prose:
    """A source document's prose skeleton, and the source offset of each of its characters."""

    doc: TextDocument
    skel: str
    _at: list[int]  # prepared offset of each skeleton character
    prepared: Prepared

    @classmethod
    def of(cls, doc: TextDocument) -> Prose:
        prepared = prepare(doc)
        chars: list[str] = []
        at: list[int] = []
        for i, ch in enumerate(prepared.text):
            folded = ch.casefold()
            if folded.isalnum():
                chars.append(folded)
                at.extend([i] * len(folded))
        skel = "".join(chars)
        # fold() was applied by prepare(); a few characters casefold to two.
        return cls(doc, skel, at[: len(skel)], prepared)

    def offset(self, skel_index: int) -> int:
        """The source offset (in ``doc.text``) of skeleton character ``skel_index``."""
        if not self._at:
            return 0
        i = self._at[max(0, min(skel_index, len(self._at) - 1))]
        return self.prepared.source_offset(i)


# What a source is, for the report: the route published text came by.
def route(doc: TextDocument) -> str:
    if doc.kind == TEMPLATE:
        return f"the template {doc.path}"
    if doc.label == "template expression":
        return f"an expression of the template {doc.path}"
    if doc.label.startswith("setting "):
        return f"the {doc.label.split(' (')[0]}"
    if doc.label:
        return f"{doc.label} ({doc.path})"
    return doc.path


class SourceIndex:
    """The documents the build judged at their source, searchable by skeleton."""

    def __init__(self, docs: Iterable[TextDocument]) -> None:
        self.docs = list(docs)
        self._prose: dict[str, Prose] = {}
        self._raw: list[tuple[TextDocument, str]] | None = None

    def prose(self, doc: TextDocument) -> Prose:
        found = self._prose.get(doc.digest)
        if found is None:
            found = self._prose[doc.digest] = Prose.of(doc)
        return found

    def _raw_texts(self) -> list[tuple[TextDocument, str]]:
        if self._raw is None:
            self._raw = [(d, d.text.casefold()) for d in self.docs]
        return self._raw

    def candidates(self, words: str) -> list[TextDocument]:
        """Documents whose text holds the longest word of ``words`` (cheap pre-selection)."""
        found = _WORD.findall(words.casefold())
        if not found:
            return []
        longest = max(found, key=len)
        return [d for d, raw in self._raw_texts() if longest in raw]

    def containing(self, skel: str, words: str) -> list[tuple[Prose, int]]:
        """Sources whose prose skeleton contains ``skel``, with where it starts."""
        out = []
        if not skel:
            return out
        for doc in self.candidates(words):
            prose = self.prose(doc)
            at = prose.skel.find(skel)
            if at >= 0:
                out.append((prose, at))
        return out

    def holding_word(self, word: str) -> list[tuple[Prose, int, int]]:
        """Sources whose prose has ``word`` as a word: (prose, source start, source end)."""
        pattern = re.compile(rf"(?<!\w){re.escape(word.casefold())}(?!\w)")
        out = []
        for doc in self.candidates(word):
            prose = self.prose(doc)
            m = pattern.search(prose.prepared.text.casefold())
            if m:
                start = prose.prepared.source_offset(m.start())
                out.append((prose, start, max(start + 1, prose.prepared.source_end(m.end()))))
        return out

    def templates_hold(self, skel: str) -> bool:
        """Whether some template's (or setting's) prose holds ``skel``: the theme's own words."""
        if len(skel) < 3:
            return True
        return any(
            skel in self.prose(doc).skel
            for doc in self.docs
            if doc.kind == TEMPLATE or (doc.kind == PLAIN and doc.label.startswith("setting "))
        )


def rank(prose: Prose) -> int:
    """Which traced source to name first: the theme, settings, then the rest."""
    doc = prose.doc
    if doc.kind == TEMPLATE or doc.label == "template expression":
        return 1
    if doc.label.startswith("setting "):
        return 2
    return 3
