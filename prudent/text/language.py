"""Which language each piece of text is in, so that each is judged by its own rules.

A document's language is its ``Lang:`` (Pelican) or ``lang:`` (YAML) metadata when
it has one; otherwise py3langid (the maintained ``langid.py``, whose model ships
in its wheel) decides, once for the whole document, among the languages the
policy names (``text.languages``). A mixed post is then read paragraph by
paragraph: a paragraph that looks like another of those languages (its function
words say so, and py3langid agrees on that paragraph alone) is judged as that
language. Pages, feed entries, a bookmark's note and a setting are documents
too, each with its own language.

A text with no word of another language's function words is left in the first
language without asking py3langid (an English-only site never loads it).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from prudent.document import TextDocument
from prudent.text.prepare import metadata_fields

SUPPORTED = ("en", "fr")
DEFAULT = ["en", "fr"]
POLICY_KEY = "text.languages"

# Function words, common and short, that tell the languages apart cheaply (run on
# prepared prose: lower case after ``fold``, accents dropped).
_MARKERS = {
    "en": re.compile(
        r"\b(?:the|and|of|to|is|are|was|were|with|that|this|have|has|which|from|it|not|"
        r"you|we|they|be|been|for|will|would|our|their|what|how)\b"
    ),
    "fr": re.compile(
        r"\b(?:le|la|les|des|du|est|une|un|pour|dans|que|qui|pas|sur|avec|nous|vous|je|"
        r"au|aux|ce|cette|ces|sont|mais|il|elle|ils|elles|ne|leur|leurs|notre|nos|votre|"
        r"tres|ou|donc|aussi|ete|etre|avons|avez|sommes|etes|chez)\b|"
        r"\b(?:l|d|j|n|c|qu|s)['’](?=[a-z])"
    ),
}
_WORD = re.compile(r"[^\W\d_]+")
_FRENCH_LETTERS = re.compile(r"[éèêàçùâîôûëïœÉÈÊÀÇ]")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
# A paragraph this short is too little to tell a language by.
MIN_WORDS = 6
# How sure py3langid must be (normalised probability) to call a paragraph another language.
PARAGRAPH_CONFIDENCE = 0.9


@dataclass(frozen=True)
class Span:
    start: int  # offsets in the prepared text
    end: int
    language: str


_lock = threading.Lock()
_identifier: Any = None
# Fewer words than this: too little for py3langid to tell French from its
# neighbours, so only the site's languages are compared.
SHORT = 12


def _classify(text: str, languages: tuple[str, ...]) -> tuple[str, float, str]:
    """(the best of ``languages``, its probability against the others of them, the
    best of all py3langid's languages). A Spanish post is "es", not French."""
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        ranked = _identifier.rank(text)
    probs = {str(lang): float(p) for lang, p in ranked}
    top = str(ranked[0][0]) if ranked else languages[0]
    best = max(languages, key=lambda k: probs.get(k, 0.0))
    total = sum(probs.get(k, 0.0) for k in languages) or 1.0
    return best, probs.get(best, 0.0) / total, top


def identifier_loaded() -> bool:
    """Whether py3langid's model was loaded in this process (tests)."""
    return _identifier is not None


def declared(doc: TextDocument) -> str | None:
    """The language the document declares (``Lang:``/``lang:``), as a two-letter code."""
    value = doc.metadata.get("lang") if doc.metadata else None
    if not value:
        for key, start, end in metadata_fields(doc):
            if key == "lang":
                value = doc.text[start:end]
                break
    if not value:
        return None
    code = str(value).strip().strip("'\"").lower().replace("_", "-").split("-")[0]
    return code or None


def _counts(folded: str, start: int, end: int, languages: tuple[str, ...]) -> dict[str, int]:
    return {lang: len(_MARKERS[lang].findall(folded, start, end)) for lang in languages}


def _looks_other(counts: dict[str, int], base: str) -> str | None:
    """The language other than ``base`` whose function words outnumber ``base``'s."""
    best = max((lang for lang in counts if lang != base), key=lambda k: counts[k], default=None)
    if best is None or counts[best] < 1 or counts[best] <= counts.get(base, 0):
        return None
    return best


def spans(doc: TextDocument, text: str, languages: tuple[str, ...]) -> list[Span]:
    """The language of every paragraph of ``text`` (the prepared prose of ``doc``).

    ``languages`` are the ones the site judges, the first being the fallback. One
    span for the whole text when it is all one language.
    """
    if not text:
        return [Span(0, 0, languages[0])]
    if len(languages) == 1:
        return [Span(0, len(text), languages[0])]
    folded = text.lower()
    if len(folded) != len(text):
        folded = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    first = languages[0]
    base = declared(doc)
    if base is not None and base not in languages:
        return [Span(0, len(text), first)]  # a language the site does not judge: as before
    # the common case, an English text: one cheap scan for French function words
    if (
        first != "fr"
        and "fr" in languages
        and base in (None, first)
        and len(text) > 200
        and len(_MARKERS["fr"].findall(folded)) < 3
    ):
        return [Span(0, len(text), first)]
    whole = _counts(folded, 0, len(folded), languages)
    if base is None:
        # py3langid only when another language's function words outnumber the first's
        other = _looks_other(whole, first)
        if (
            other is None
            and "fr" in languages
            and first != "fr"
            and _FRENCH_LETTERS.search(doc.text)
            and (not any(whole.values()) or len(_WORD.findall(folded)) < MIN_WORDS)
        ):
            # a short text with no function word of either language, but French letters
            # ("Réélisez Jeanne Tremblay!"): py3langid decides
            other = "fr"
        if other is None:
            base = first
        else:
            best, _, top = _classify(text, languages)
            if top in languages:
                base = top
            elif len(_WORD.findall(folded)) < SHORT:
                base = best  # a title, a setting: only the site's languages compared
            else:
                base = first  # another language altogether: judged as the first, as before
    if all(whole[k] < 3 for k in languages if k != base):
        return [Span(0, len(text), base)]  # no paragraph can be another language
    out: list[Span] = []
    pieces, pos = [], 0
    for m in _PARAGRAPH.finditer(text):
        pieces.append((pos, m.start()))
        pos = m.start()
    pieces.append((pos, len(text)))
    for a, b in pieces:
        lang = base
        counts = _counts(folded, a, b, languages)
        other = _looks_other(counts, base)
        if (
            other is not None
            and counts[other] >= 3
            and len(_WORD.findall(folded, a, b)) >= MIN_WORDS
        ):
            got, prob, top = _classify(text[a:b], languages)
            if got == other and top == other and prob >= PARAGRAPH_CONFIDENCE:
                lang = other
        if out and out[-1].language == lang:
            out[-1] = Span(out[-1].start, b, lang)
        else:
            out.append(Span(a, b, lang))
    return out


def only(text: str, found: list[Span], language: str) -> str:
    """``text`` with every paragraph not in ``language`` blanked (offsets kept)."""
    if all(s.language == language for s in found):
        return text
    parts = []
    for s in found:
        piece = text[s.start : s.end]
        parts.append(piece if s.language == language else _BLANK.sub(" ", piece))
    return "".join(parts)


_BLANK = re.compile(r"[^\n]")


def languages_of(found: list[Span]) -> set[str]:
    return {s.language for s in found if s.end > s.start}


def check_languages(values: list[str]) -> list[str]:
    """The ``text.languages`` list, or a message saying what is wrong with it."""
    for v in values:
        if v not in SUPPORTED:
            raise ValueError(
                f"'{POLICY_KEY}' names {v!r}; the languages Prudent judges are "
                + ", ".join(repr(s) for s in SUPPORTED)
            )
    if not values:
        raise ValueError(f"'{POLICY_KEY}' is empty; name at least one of " + ", ".join(SUPPORTED))
    return values
