"""The learned half of ``personal-attack``: a linear model over words and letters.

A logistic regression trained on OLID (``invoke train-attack-model``; the build
never trains) scores a sentence for "an offensive attack on an individual". Its
features, computed here for training and for checking alike:

* words and word pairs of the folded text (an @handle reads ``@user``, a link
  ``url``, digits ``0``), and the letter n-grams (2 to 5) inside each word, so
  "id1ots" and "idiooot" land near "idiot";
* a few cues of who is spoken of: an @handle first, "you", "he"/"she", a group
  ("they", "liberals"), and whether a listed insult or a very negative word
  follows "you" or a pronoun closely.

Each feature is hashed (CRC-32) into ``2**BITS`` buckets; a sentence's vector is
the sum of its features divided by the square root of its number of words, so
a word's part of the score is the same in any sentence and is computed once
per distinct word (``_word_part``). The weights ship as a NumPy ``.npz`` (no
pickle: loading it runs no code) with their metadata as JSON inside.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np

from prudent.text.nlp import ModelUnavailable

FORMAT = 1
BITS = 18
CHAR_NGRAMS = (2, 5)
# Word forms that stand for any of their kind.
_TOKEN = re.compile(
    r"(?P<handle>(?<![\w@])@\w{1,30})|(?P<url>\bURL\b|https?://\S+)|"
    r"(?P<word>[a-z0-9]+(?:['’][a-z]+)*)|(?P<sym>[^\s\w])",
    re.IGNORECASE,
)
_SECOND = frozenset(
    ["you", "your", "you're", "youre", "yourself", "yourselves", "u", "ur", "ya", "y'all"]
)
_THIRD = frozenset(
    ["he", "she", "him", "her", "his", "hers", "himself", "herself", "he's", "she's"]
)
_GROUP = frozenset(
    [
        "they",
        "them",
        "their",
        "these",
        "those",
        "people",
        "liberals",
        "conservatives",
        "democrats",
        "republicans",
        "dems",
        "libs",
        "leftists",
        "antifa",
        "everyone",
    ]
)
DENSE = (
    "handle_first",
    "handles",
    "second_person",
    "third_person",
    "group",
    "insults",
    "second_person_insult",
    "third_person_insult",
    "most_negative",
)
_NEAR = 4  # words between "you"/"he" and the insult


class ModelError(ModelUnavailable):
    """The shipped model file is missing or damaged; the message says how to rebuild it."""


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str  # normalised: lower case, @user, url, 0


def tokens(text: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "handle":
            t = "@user"
        elif kind == "url":
            t = "url"
        elif kind == "word":
            t = m.group().lower().replace("’", "'")
            if t.isdigit():
                t = "0"
        else:
            if m.group() in _SKIPPED:
                continue  # punctuation says little; emoji and "!" do
            t = m.group()
        out.append(Token(m.start(), m.end(), t))
    return out


_SKIPPED = frozenset("'’\"“”.,;:-()[]*_/\\")


def token_texts(text: str) -> list[str]:
    """``[t.text for t in tokens(text)]``, faster (every sentence is scored this way)."""
    out = []
    for handle, url, word, sym in _TOKEN.findall(text.lower()):
        if word:
            w = word.replace("’", "'")
            out.append("0" if w.isdigit() else w)
        elif handle:
            out.append("@user")
        elif url:
            out.append("url")
        elif sym not in _SKIPPED:
            out.append(sym)
    return out


_CUT = " \x00 "  # between sentences: a token of its own, which no sentence holds


def token_runs(text: str, spans: Sequence[tuple[int, int]]) -> list[list[str]]:
    """``token_texts`` of each ``text[start:end]``, in one scan of the text."""
    joined = _CUT.join(text[a:b].replace("\x00", " ") for a, b in spans)
    runs: list[list[str]] = [[]]
    for word in token_texts(joined):
        if word == "\x00":
            runs.append([])
        else:
            runs[-1].append(word)
    return runs if spans else []


def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & ((1 << BITS) - 1)


def feature_names(word: str) -> list[str]:
    """The features of one word: the word itself and its letter n-grams (2 to 5)."""
    names = ["w:" + word]
    if word.isalpha() and len(word) > 1:
        padded = f"<{word}>"
        lo, hi = CHAR_NGRAMS
        for n in range(lo, hi + 1):
            names.extend("c:" + padded[i : i + n] for i in range(len(padded) - n + 1))
    return names


def word_features(word: str) -> list[int]:
    """The buckets of one word's features."""
    return [_bucket(name) for name in feature_names(word)]


def pair_feature(a: str, b: str) -> int:
    return _bucket(f"p:{a} {b}")


class Cues:
    """The insult list and VADER's valences: what the dense cues look for."""

    def __init__(self, insults: Iterable[str], valence: dict[str, float]) -> None:
        self.insults = frozenset(w.lower() for w in insults if " " not in w)
        self.valence = valence
        self._cache: dict[str, tuple[bool, bool, bool, bool, bool, float]] = {}

    def _flags(self, w: str) -> tuple[bool, bool, bool, bool, bool, float]:
        """(bad, second person, third person, group, listed insult, valence) of a word."""
        got = self._cache.get(w)
        if got is None:
            valence = self.valence.get(w, 0.0)
            insult = w in self.insults
            bad = insult or valence <= -1.5 or w.rstrip("s") in self.insults
            got = (bad, w in _SECOND, w in _THIRD, w in _GROUP, insult, valence)
            if len(self._cache) < 500_000:
                self._cache[w] = got
        return got

    def dense(self, toks: Sequence[Token]) -> list[float]:
        return self.dense_words([t.text for t in toks])

    def dense_words(self, words: Sequence[str]) -> list[float]:
        flags = [self._flags(w) for w in words]
        near_second = near_third = False
        for i, f in enumerate(flags):
            if f[0] and i:
                window = flags[max(0, i - _NEAR) : i]
                near_second = near_second or any(g[1] for g in window)
                near_third = near_third or any(g[2] for g in window)
        most_negative = min((f[5] for f in flags), default=0.0)
        return [
            float(bool(words) and words[0] == "@user"),
            min(3, words.count("@user")) / 3,
            float(any(f[1] for f in flags)),
            float(any(f[2] for f in flags)),
            float(any(f[3] for f in flags)),
            min(3, sum(f[4] for f in flags)) / 3,
            float(near_second),
            float(near_third),
            -most_negative / 4,
        ]


def features(toks: Sequence[Token]) -> list[int]:
    """Every feature occurrence of a token run (training builds its matrix from these)."""
    words = [t.text for t in toks]
    feats: list[int] = []
    for w in words:
        feats.extend(word_features(w))
    feats.extend(pair_feature(a, b) for a, b in pairwise(words))
    return feats


def profanity_logit(p: float) -> float:
    """alt-profanity-check's probability as a log-odds feature (bounded)."""
    p = min(max(p, 1e-3), 1 - 1e-3)
    return math.log(p / (1 - p))


@dataclass
class Scored:
    probability: float
    parts: list[tuple[Token, float]]  # each word's part of the log-odds: which words weigh


class AttackModel:
    """The shipped weights; ``logit``/``score`` a run of tokens.

    A feature's value is its count times its inverse document frequency, over
    the root of the run's summed squared IDFs (each occurrence counted, so the
    sum splits over words); the IDF is folded into the stored weights.
    """

    def __init__(self, weights: np.ndarray, idf2: np.ndarray, dense: np.ndarray, meta: dict):
        self.weights = weights  # per bucket: coefficient x IDF (0 for unseen buckets)
        self.idf2 = idf2  # per bucket: IDF squared (0 for unseen buckets)
        self.dense = dense  # DENSE cues, then the profanity log-odds
        self.meta = meta
        self.bias = float(meta["bias"])
        self.threshold = float(meta["threshold"])
        self._word: dict[str, tuple[float, float, int, bytes]] = {}
        self._fast: dict[int, dict[str, tuple]] = {}
        self._gram: dict[str, tuple[float, float]] = {}
        self._gram_bucket: dict[str, int] = {}
        # batch_logits: an id per word, its row of parts and cue flags, its pair seeds
        self._vocab: dict[str, int] = {}
        self._rows: list[tuple] = []
        self._pair_seed: list[tuple[int, bytes]] = []
        self._table = np.zeros((0, 8))
        self._pairs: dict[int, int] = {}
        self._table_cues = 0

    @classmethod
    def from_arrays(cls, index, weights, idf, dense, meta) -> AttackModel:
        w = np.zeros(1 << BITS)
        q = np.zeros(1 << BITS)
        w[index] = weights
        q[index] = np.asarray(idf, dtype=np.float64) ** 2
        return cls(w, q, np.asarray(dense, dtype=np.float64), meta)

    @classmethod
    def load(cls, path: Path, shown: str | None = None) -> AttackModel:
        name = shown or str(path)
        fix = (
            "rebuild it from the OLID training set with `.venv/bin/invoke train-attack-model` "
            f"or restore the shipped file with `git checkout -- {name}`"
        )
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode("utf-8"))
                index, weights, idf = data["index"], data["weights"], data["idf"]
                dense = data["dense"]
        except FileNotFoundError:
            raise ModelError(f"{name}: the personal-attack model is missing; {fix}") from None
        except Exception as exc:  # a damaged zip, array or JSON: all say the same
            raise ModelError(
                f"{name}: the personal-attack model cannot be read ({exc}); {fix}"
            ) from None
        problems = []
        if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("bits") != BITS:
            problems.append(f"it is not format {FORMAT} with {BITS}-bit hashing")
        elif tuple(meta.get("dense", ())) != (*DENSE, "profanity"):
            problems.append("its cues are not this code's")
        elif not (index.shape == weights.shape == idf.shape and dense.shape == (len(DENSE) + 1,)):
            problems.append("its arrays do not fit together")
        elif index.size and (int(index.min()) < 0 or int(index.max()) >= 1 << BITS):
            problems.append("its feature indices are out of range")
        elif not all(np.all(np.isfinite(a)) for a in (weights, idf, dense)):
            problems.append("its weights are not finite numbers")
        elif not all(isinstance(meta.get(k), (int, float)) for k in ("bias", "threshold")):
            problems.append("it has no bias or threshold")
        if problems:
            raise ModelError(
                f"{name}: the personal-attack model is not usable: {problems[0]}; {fix}"
            )
        return cls.from_arrays(index.astype(np.int64), weights, idf, dense, meta)

    def _word_part(self, word: str) -> tuple[float, float, int, bytes]:
        """(weight, squared IDF) of a word's own features, and what its pairs hash from."""
        got = self._word.get(word)
        if got is None:
            a = q = 0.0
            for gram in feature_names(word):  # n-grams recur across words: hash each once
                wq = self._gram.get(gram)
                if wq is None:
                    f = _bucket(gram)
                    wq = self._gram[gram] = (float(self.weights[f]), float(self.idf2[f]))
                a += wq[0]
                q += wq[1]
            got = (
                a,
                q,
                zlib.crc32(f"p:{word}".encode()),  # a pair "p:a b" hashes on from "p:a"
                f" {word}".encode(),
            )
            if len(self._word) < 500_000:
                self._word[word] = got
        return got

    def prime(self, words: Iterable[str]) -> None:
        """Compute the parts of all these words at once (NumPy sums; a corpus has
        tens of thousands of distinct words, each with some 30 n-grams)."""
        new = [w for w in set(words) if w not in self._word]
        if not new:
            return
        names = [feature_names(w) for w in new]
        grams = self._gram_bucket
        index = []
        for n in names:
            for g in n:
                f = grams.get(g)
                if f is None:
                    f = grams[g] = _bucket(g)
                index.append(f)
        idx = np.fromiter(index, dtype=np.int64, count=len(index))
        starts = np.cumsum([0] + [len(n) for n in names[:-1]])
        a = np.add.reduceat(self.weights[idx], starts)
        q = np.add.reduceat(self.idf2[idx], starts)
        for w, wa, wq in zip(new, a.tolist(), q.tolist(), strict=True):
            if len(self._word) >= 500_000:
                break
            self._word[w] = (wa, wq, zlib.crc32(f"p:{w}".encode()), f" {w}".encode())

    def lexical_words(self, words: Sequence[str]) -> float:
        """The n-gram part of the log-odds of a run of words."""
        parts = [self._word_part(w) for w in words]
        a = sum(p[0] for p in parts)
        q = sum(p[1] for p in parts)
        mask = (1 << BITS) - 1
        w, q2 = self.weights, self.idf2
        for x, y in pairwise(parts):
            f = zlib.crc32(y[3], x[2]) & mask  # == pair_feature(a, b)
            a += w[f]
            q += q2[f]
        return a / math.sqrt(q) if q > 0 else 0.0

    def lexical(self, toks: Sequence[Token]) -> tuple[float, list[float]]:
        """The n-gram part of the log-odds, and each word's share of it."""
        words = [t.text for t in toks]
        total = self.lexical_words(words)
        parts = [self._word_part(w) for w in words]
        q = sum(p[1] for p in parts) + sum(
            self.idf2[pair_feature(x, y)] for x, y in pairwise(words)
        )
        if q <= 0:
            return 0.0, [0.0] * len(words)
        norm = math.sqrt(q)
        return total, [p[0] / norm for p in parts]

    def word_weights(self, toks: Sequence[Token], cues: Cues) -> list[float]:
        """Each word's part in the score: its n-grams, and its share of the cues it
        sets off (a listed insult, a very negative word). The words that weigh most
        are the ones a finding quotes."""
        _, parts = self.lexical(toks)
        insult_w = self.dense[DENSE.index("insults")] / 3
        negative_w = self.dense[DENSE.index("most_negative")] / 4
        out = []
        for t, part in zip(toks, parts, strict=True):
            w = part
            if t.text in cues.insults or t.text.rstrip("s") in cues.insults:
                w += max(0.0, insult_w)
            v = cues.valence.get(t.text, 0.0)
            if v <= -1.5:
                w += max(0.0, -v * negative_w)
            out.append(w)
        return out

    def batch_logits(self, runs: Sequence[Sequence[str]], cues: Cues) -> np.ndarray:
        """``fast_logit`` of many runs of words at once, with NumPy (every sentence of
        every post goes through here; ``fast_logit`` is the reference, and equal)."""
        out = np.full(len(runs), self.bias)
        lengths = np.fromiter((len(r) for r in runs), dtype=np.int64, count=len(runs))
        flat = [w for r in runs for w in r]
        if not flat:
            return out
        self.prime(flat)
        if self._table_cues != id(cues):  # the cue flags in the table are one Cues' own
            self._vocab, self._rows, self._pair_seed, self._pairs = {}, [], [], {}
            self._table_cues = id(cues)
        vocab = self._vocab
        new = [w for w in set(flat) if w not in vocab]
        if new:
            for w in sorted(new):
                vocab[w] = len(self._rows)
                part = self._word_part(w)
                self._rows.append((*part[:2], *cues._flags(w)))
                self._pair_seed.append(part[2:])
            self._table = np.array(self._rows, dtype=np.float64)
        table = self._table
        ids = np.fromiter((vocab[w] for w in flat), dtype=np.int64, count=len(flat))
        nonempty = lengths > 0
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[nonempty]
        rows = table[ids]
        a = np.add.reduceat(rows[:, 0], starts)
        q = np.add.reduceat(rows[:, 1], starts)
        # word pairs inside each run: every position but a run's first
        first = np.zeros(len(flat), dtype=bool)
        first[starts] = True
        later = np.flatnonzero(~first)
        if later.size:
            left, right = ids[later - 1], ids[later]
            keys = left * (1 << 32) + right
            buckets = self._pair_buckets(keys)
            run_of = np.repeat(np.arange(len(starts)), lengths[nonempty])
            a += np.bincount(run_of[later], self.weights[buckets], minlength=len(starts))
            q += np.bincount(run_of[later], self.idf2[buckets], minlength=len(starts))
        lexical = np.where(q > 0, a / np.sqrt(np.where(q > 0, q, 1.0)), 0.0)
        bad, s2, s3, grp, ins, val = (rows[:, k] for k in range(2, 8))
        # "you"/"he" within _NEAR words before a bad word of the same run
        pos = np.arange(len(flat)) - np.repeat(starts, lengths[nonempty])
        near = []
        for flag in (s2, s3):
            c = np.cumsum(flag)
            lo = np.maximum(np.arange(len(flat)) - _NEAR, np.arange(len(flat)) - pos)
            before = c - flag - np.where(lo > 0, c[np.maximum(lo - 1, 0)], 0.0)
            hit = (bad > 0) & (pos > 0) & (before > 0)
            near.append(np.maximum.reduceat(hit.astype(np.float64), starts))
        handle = (ids == vocab.get("@user", -1)).astype(np.float64)
        d = self.dense
        cue = (
            d[0] * handle[starts]
            + d[1] * np.minimum(3, np.add.reduceat(handle, starts)) / 3
            + d[2] * np.maximum.reduceat(s2, starts)
            + d[3] * np.maximum.reduceat(s3, starts)
            + d[4] * np.maximum.reduceat(grp, starts)
            + d[5] * np.minimum(3, np.add.reduceat(ins, starts)) / 3
            + d[6] * near[0]
            + d[7] * near[1]
            + d[8] * -np.minimum.reduceat(val, starts) / 4
        )
        out[nonempty] = self.bias + lexical + cue
        return out

    def _pair_buckets(self, keys: np.ndarray) -> np.ndarray:
        """The hashed bucket of each (left word id, right word id) key."""
        unique, inverse = np.unique(keys, return_inverse=True)
        cache, seeds = self._pairs, self._pair_seed
        mask = (1 << BITS) - 1
        got = np.empty(len(unique), dtype=np.int64)
        for k, key in enumerate(unique.tolist()):
            b = cache.get(key)
            if b is None:
                left, right = divmod(key, 1 << 32)
                b = cache[key] = zlib.crc32(seeds[right][1], seeds[left][0]) & mask
            got[k] = b
        return got[inverse]

    def fast_logit(self, words: Sequence[str], cues: Cues) -> float:
        """``bias + lexical_words(words) + cue part``, all but the classifier's part,
        in one pass over the words (every sentence of every post is scored this way;
        ``lexical_words`` and ``Cues.dense_words`` are the reference, and equal)."""
        key = id(cues)
        cache = self._fast.get(key)
        if cache is None:
            cache = self._fast[key] = {}
        d = self.dense
        n = len(words)
        a = q = 0.0
        prev = None
        mask = (1 << BITS) - 1
        w8, q8 = self.weights, self.idf2
        second = third = group = near2 = near3 = False
        insults = 0
        low = math.inf
        recent2 = recent3 = -99  # where "you" / "he" was last seen
        for i, word in enumerate(words):
            got = cache.get(word)
            if got is None:
                part = self._word_part(word)
                got = (*part, *cues._flags(word))
                if len(cache) < 500_000:
                    cache[word] = got
            a += got[0]
            q += got[1]
            if prev is not None:
                f = zlib.crc32(got[3], prev[2]) & mask
                a += w8[f]
                q += q8[f]
            bad, s2, s3, grp, ins, val = got[4:]
            if bad and i:
                near2 = near2 or i - recent2 <= _NEAR
                near3 = near3 or i - recent3 <= _NEAR
            if s2:
                second = True
                recent2 = i
            if s3:
                third = True
                recent3 = i
            group = group or grp
            insults += ins
            if val < low:
                low = val
            prev = got
        lexical = a / math.sqrt(q) if q > 0 else 0.0
        cue = (
            (d[0] if n and words[0] == "@user" else 0.0)
            + d[1] * min(3, words.count("@user")) / 3
            + (d[2] if second else 0.0)
            + (d[3] if third else 0.0)
            + (d[4] if group else 0.0)
            + d[5] * min(3, insults) / 3
            + (d[6] if near2 else 0.0)
            + (d[7] if near3 else 0.0)
            + d[8] * (-low if n else 0.0) / 4  # the most negative valence
        )
        return self.bias + lexical + cue

    def logit(self, lexical: float, cues: Sequence[float], profanity: float) -> float:
        d = self.dense
        return (
            self.bias + lexical + float(np.dot(d[:-1], cues)) + d[-1] * profanity_logit(profanity)
        )

    def max_profanity_part(self) -> float:
        """The most the profanity cue can add to a log-odds (a bound for skipping it)."""
        return max(0.0, self.dense[-1] * profanity_logit(1.0))


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0
