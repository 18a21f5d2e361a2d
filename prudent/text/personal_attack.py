"""``personal-attack``: insults or demeaning claims aimed at a named or identifiable person.

Two ways in, and one way out: every finding names *who* is attacked and *with
which words*.

1. **The learned score.** A linear model trained on OLID's real tweets
   (``attack_model.py``; ``guardrails/models/personal-attack-en.npz``, rebuilt by
   ``invoke train-attack-model``) scores every sentence for "an offensive attack
   on an individual" from its words, letter n-grams, a few cues of who is spoken
   of, and the offensive-language classifier's score (alt-profanity-check, asked
   only where it could tip the balance). Sentences at or above the model's
   threshold go on.
2. **The insult list.** A listed insult (``guardrails/insults.txt``) or a word
   said of someone ("X is a ...") that the classifier scores as offensive, in a
   position to be aimed at someone: the rule as it was before the model.

Only those few sentences go to spaCy (the sentence before as context), and a
hit needs a target the reader can identify: a ``PERSON`` entity, a title with a
name ("Minister Doe"), an office held by one person ("the Prime Minister", "our
director"), an @handle, "you" in a text that tags or names someone, or a
pronoun whose antecedent is one of those earlier in the paragraph. The parse
aims the insult at the target where it can:

* a predicate of a person: "X is a moron", "what a fool X is", "X looks like an
  idiot", "I think X is clueless", "you are a loser", "X sucks";
* an apposition: "X, that idiot, ...", "that idiot X", "you absolute clown";
* a demeaning trait owned by a person: "X's incompetence";

and for a sentence the model scores as an attack the parse cannot link (tweets
and fragments: "How can X be so stupid?"), the target is the person the
sentence speaks of and the words are the ones that weigh most in the score.
Groups ("#Antifa are cowards"), ideas ("X's proposal is stupid"), the author
("I'm such an idiot"), quoted words and negations ("X is no fool") pass.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from prudent.document import relative_path
from prudent.policy import Policy
from prudent.text import attack_model, nlp
from prudent.text.hits import Hit

KEY = "rules.personal-attack."
# The shipped model for English; another language would ship its own file.
MODEL_FILES = {"en": "models/personal-attack-en.npz"}

_PRONOUNS = frozenset(["he", "she", "him", "her", "his", "hers", "they", "them", "their"])
# "this woman", "that guy": one person the reader can pick out in context
_PERSON_NOUNS = frozenset(
    "woman man guy dude girl boy lady gentleman person fellow chap bloke kid".split()  # noqa: SIM905
)
_DEMONSTRATIVES = frozenset(["this", "that"])
# Insults that name things as often as people: "this nightmare" is a situation
_ALSO_THINGS = frozenset(
    [
        *("nightmare", "joke", "disgrace", "embarrassment", "laughingstock", "fraud"),
        *("hack", "snake", "parasite", "leech", "disaster", "mess", "waste"),
    ]
)
_POINTING = re.compile(r"\b(?:this|that)\s+[a-z]{2,}", re.IGNORECASE)
_POINTED_WORD = re.compile(r"\b(?:this|that)\s+([a-z]{3,})\b(?:\s+([a-z]{3,})\b)?", re.IGNORECASE)
_GENDERED = frozenset(["he", "she", "him", "her", "his", "hers"])
_SECOND_PERSON = frozenset(["you", "your", "yours", "yourself", "u", "ur", "ya"])
_SELF = frozenset(["i", "me", "my", "myself", "we", "us", "our", "ourselves"])
# Whose office it is: "the Prime Minister", "our director" (not "a director").
_NAME_TITLES = frozenset(["mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady"])
_OFFICE_DETERMINERS = frozenset(["the", "our", "my", "your", "his", "her", "their", "this", "that"])
_QUOTES = '"“”«»'
_SECOND = re.compile(r"\b(?:you|your|yours|yourself|you['’]re|u|ur)\b", re.IGNORECASE)
# A word weighs in the learned score when its part of the log-odds is at least this.
_WEIGHS = 0.3
_RELATIVE = frozenset(["who", "whom", "that"])
_BE = frozenset(
    "be is are was were been being am 's ’s 're ’re m 'm ’m".split()  # noqa: SIM905
)
_NEGATORS = frozenset(["not", "n't", "n’t", "never", "no"])
# Words that may stand before an insult aimed at someone: copulas, "like",
# "such", determiners of an apposition, possessives of a trait, commas.
_LEFT_CUE = re.compile(
    r"(?:\b(?:is|are|was|were|be|been|being|am|seems?|seemed|looks?|looked|sounds?|sounded|"
    r"acts?|acted|like|as|such|so|what|that|this|total|complete|utter|absolute|real|"
    r"called|calls?|calling|his|her|their|you)|['’]s|['’]re|,|—|–|:)\W*(?:\w+\W+){0,5}$",
    re.IGNORECASE,
)
_NEGATED_BETWEEN = re.compile(
    r"\b(?:not|never|no|anything but|far from|hardly|by no means)\b|n['’]t\b"
)
_PRONOUN = re.compile(r"\b(?:he|she|him|her|his|hers|they|them|their)\b", re.IGNORECASE)
_RIGHT_NAME = re.compile(r"^\W{0,3}(?:@\w|[A-Z][a-z])")
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{2,30}\b")
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]+\b|(?<![\w@])@\w")
# Capitalised at the start of a sentence, but not names.
_NOT_NAMES = (
    "the this that these those it its we i a an our my your their there here what "
    "when where why how if but and so in on at for to of with as by from after "
    "before while then also however yes no not all some many most each every one"
)
_FUNCTION_WORDS = frozenset(_NOT_NAMES.split())
_TRAIT_SUFFIXES = ("ness", "ity", "ence", "ance", "cy", "ice", "ude")


@dataclass(frozen=True)
class _Target:
    start: int  # offsets in the window
    end: int
    name: str  # who is meant, as written
    via: str  # "" or the pronoun that points back to the name


class PersonalAttackDetector:
    """Finds insults aimed at people in normalised prose (see the module docstring)."""

    def __init__(self, policy: Policy) -> None:
        insults = policy.get(KEY + "insults", str, "insults.txt")
        titles = policy.get(KEY + "titles", str, "person-titles.txt")
        self.insults = nlp.Lexicon(entry for _, entry in policy.read_list(insults))
        self.titles = nlp.Lexicon(entry for _, entry in policy.read_list(titles))
        self.sentence_threshold = _probability(policy, KEY + "sentence_threshold", 0.8)
        self.word_threshold = _probability(policy, KEY + "word_threshold", 0.95)
        self.negative_valence = policy.get(KEY + "negative_valence", float, -1.5)
        if not -4.0 <= self.negative_valence <= 0.0:
            raise policy.error(
                KEY + "negative_valence",
                f"'{KEY}negative_valence' is {self.negative_valence}; VADER's word valences "
                "run from -4 (most negative) to 0",
            )
        self._word_prob: dict[str, float] = {}
        # per candidate sentence, while it is judged (see find_many)
        self._weighing: dict[int, float] = {}
        self._addressee: str | None = None
        self.model = self._load_model(policy)
        self.cues = attack_model.Cues(self.insults.entries, nlp.vader().lexicon)
        self.threshold = _probability(policy, KEY + "threshold", self.model.threshold)

    @staticmethod
    def _load_model(policy: Policy) -> attack_model.AttackModel:
        language = policy.choice(KEY + "language", tuple(MODEL_FILES), "en")
        relpath = policy.get(KEY + "model", str, MODEL_FILES[language])
        path = policy.data_path(relpath)  # the site's own, or the one Prudent ships
        shown = relative_path(path, policy.root)
        return attack_model.AttackModel.load(path, shown)

    # -- the interface ---------------------------------------------------------

    def find_many(self, texts: list[str]) -> list[list[Hit]]:
        results: list[list[Hit]] = [[] for _ in texts]
        if not texts:
            return results
        nlp.start_classifier()  # loads in its own process while the text is scanned
        # Listed insults are parsed first: while spaCy loads and parses them, the
        # classifier (in its own process, see nlp.profanity_probs) is still loading.
        listed, pending = self._scan(texts)
        candidates = sorted(listed.values())
        docs = nlp.parse([texts[ti][ws:se] for ti, ws, _, se in candidates])
        learned = self._learned(texts)
        extra = sorted(
            c
            for key, c in {**self._classify(texts, pending), **learned}.items()
            if key not in listed
        )
        candidates += extra
        docs += nlp.parse([texts[ti][ws:se] for ti, ws, _, se in extra])
        if not candidates:
            return results
        self._score_words(docs, candidates)
        tagged = [bool(_HANDLE.search(t)) for t in texts]
        for (ti, ws, ss, se), doc in zip(candidates, docs, strict=True):
            scored = learned.get((ti, ss))
            self._weighing = self._weighing_words(texts[ti], ws, ss, se) if scored else {}
            self._addressee = self._addressee_of(doc, texts[ti]) if tagged[ti] or doc.ents else None
            found = sorted(self._attacks(doc, ss - ws), key=lambda h: (h.start, -h.end))
            if not found and scored:
                found = list(self._spoken_of(doc, ss - ws))
            merged: list[Hit] = []
            for hit in found:
                if merged and hit.start < merged[-1].end:  # "X is a liar and a fraud": one hit
                    last = merged[-1]
                    if hit.end > last.end:
                        merged[-1] = Hit(last.start, hit.end, "", last.message, last.fix)
                    continue
                merged.append(hit)
            text = texts[ti]
            for h in merged:
                a, b = ws + h.start, ws + h.end
                results[ti].append(Hit(a, b, text[a:b], h.message, h.fix))
        for hits in results:
            hits.sort(key=lambda h: (h.start, h.end))
        return results

    # -- the learned score ------------------------------------------------------------

    def _learned(self, texts: list[str]) -> dict:
        """Sentences the model scores at or above the threshold, as ``_scan`` returns them.

        The n-gram part and the cues are computed for every sentence; the
        classifier is asked only about sentences it could lift over the threshold.
        """
        model = self.model
        needed = math.log(self.threshold / (1 - self.threshold)) if 0 < self.threshold < 1 else 0.0
        if self.threshold >= 1.0:
            return {}
        lift = model.max_profanity_part()
        pending: list[tuple[int, int, int, float]] = []
        runs = []
        for ti, text in enumerate(texts):
            spans = nlp.prepare(text).sentences
            for (s, e), words in zip(spans, attack_model.token_runs(text, spans), strict=True):
                runs.append((ti, s, e, words))
        logits = model.batch_logits([words for *_, words in runs], self.cues)
        for k in np.flatnonzero(logits + lift >= needed).tolist():
            ti, s, e, words = runs[k]
            text = texts[ti]
            if not words:
                continue
            if not (self._may_name_someone(text[s:e]) or _SECOND.search(text, s, e)):
                continue
            pending.append((ti, s, e, float(logits[k])))
        probs = nlp.profanity_probs([texts[ti][s:e] for ti, s, e, _ in pending])
        chosen = {}
        for (ti, s, e, z), p in zip(pending, probs, strict=True):
            if z + model.dense[-1] * attack_model.profanity_logit(p) < needed:
                continue
            ws = nlp.prepare(texts[ti]).paragraph_window(s)
            if not _PRONOUN.search(texts[ti], s, e):
                ws = s  # the sentences before are context for a pronoun only
            chosen[(ti, s)] = (ti, ws, s, e)
        return chosen

    def _weighing_words(self, text: str, ws: int, s: int, e: int) -> dict[int, float]:
        """{offset in the window: weight} for the words that weigh most in the score."""
        toks = attack_model.tokens(text[s:e])
        weights = self.model.word_weights(toks, self.cues)
        if not weights:
            return {}
        top = max(weights)
        return {
            s - ws + t.start: w
            for t, w in zip(toks, weights, strict=True)
            if w >= _WEIGHS and w >= 0.35 * top and t.text not in _FUNCTION_WORDS
        }

    def _addressee_of(self, doc, text: str) -> str | None:
        """Who "you" is in a text that tags or names someone: the handle or name nearest."""
        handles = [t for t in doc if t.text.startswith("@") and _HANDLE.match(t.text)]
        if handles:
            return handles[-1].text
        people = [e for e in doc.ents if e.label_ == "PERSON"]
        if people:
            return people[-1].text
        m = _HANDLE.search(text)
        return m.group() if m else None

    def _spoken_of(self, doc, sentence_offset: int) -> Iterator[Hit]:
        """A sentence the model scores as an attack that the parse could not link:
        its weighing words, said of the one person it speaks of (if there is one)."""
        words = [t for t in doc if t.idx >= sentence_offset and t.idx in self._weighing]
        words = [t for t in words if not _quoted(t) and not _negated(t.head)]
        if not words:
            return
        kept = []
        for t in words:
            subject = _subject_of(t)
            if subject is None or subject.i == t.i:
                kept.append(t)  # a fragment or a vocative: "Total fraud.", "you clown"
            elif subject.lower_ in _SELF:
                continue  # "I'm such an idiot": the author
            elif self._person(subject) or subject.lower_ in _SECOND_PERSON:
                kept.append(t)
            # else said of a thing: "the old form was a disgrace, so Mike rebuilt it"
        words = kept
        if not words:
            return
        target = self._sentence_target(doc, sentence_offset)
        if target is None:
            return
        words.sort(key=lambda t: -self._weighing[t.idx])
        chosen = sorted(words[:2], key=lambda t: t.i)
        said = " ... ".join(t.text for t in chosen)
        start = max(sentence_offset, min(target.start, chosen[0].idx))
        end = max(target.end, chosen[-1].idx + len(chosen[-1]))
        who = target.name if not target.via else f'{target.name} ("{target.via}")'
        yield Hit(
            start,
            end,
            doc.text[start:end],
            f"'{said}' is aimed at {who}: an insult or demeaning claim about a named or "
            "identifiable person (the model trained on real attacks scores this sentence as "
            "one). Public servants must not attack people in public, however they are named",
            "criticise the idea, the decision or the work, not the person; or leave the insult out",
        )

    def _sentence_target(self, doc, sentence_offset: int) -> _Target | None:
        """The one person the sentence speaks of: "you", a handle, a name, an office, "she"."""
        toks = [t for t in doc if t.idx >= sentence_offset]
        for tok in toks:  # the reader addressed, or a handle
            if tok.lower_ in _SECOND_PERSON or tok.text.startswith("@"):
                found = self._person(tok)
                if found:
                    return found[0]
        for tok in toks:
            if tok.ent_type_ in ("PERSON",) or tok.lower_ in _PRONOUNS or tok.text[:1].isupper():
                found = self._person(tok)
                if found and found[0].name.lower() not in ("they", "them", "their"):
                    return found[0]
            office = self._office(tok)
            if office:
                return office
        return None

    # -- stage 1: cheap signals ----------------------------------------------------

    def _scan(self, texts: list[str]) -> tuple[dict, list]:
        """Sentences worth parsing, by three cheap signals.

        A listed insult; a word said of something ("X is a ...", "X looks like
        a ...") that the offensive-language classifier scores as offensive on
        its own; or one that VADER's lexicon scores as negative, kept when the
        classifier finds its whole sentence offensive. Returns the sentences with
        a listed insult, {(text, sentence start): (text, window start, sentence
        start, sentence end)}, and the (text, start, end, signal, word) places
        left for the classifier.
        """
        valence = nlp.vader().lexicon
        listed: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        pending: list[tuple[int, int, int, str, str]] = []
        for ti, text in enumerate(texts):
            prepared = nlp.prepare(text)
            folded = prepared.folded
            for a, b in self.insults.find_folded(folded, words=prepared.words):
                found = self._candidate(texts, ti, a, b, check_position=True)
                if found:
                    listed.setdefault(*found)
            # "this cheating scum": a word pointed at is said of someone too
            pointed = [
                (m.start(g), m.end(g), m.group(g).lower())
                for m in _POINTED_WORD.finditer(folded)
                for g in (1, 2)
                if m.group(g)
            ]
            for a, b, w in [*prepared.predicates, *pointed]:
                if w in self.insults or w in _FUNCTION_WORDS or len(w) < 3:
                    continue
                v = valence.get(w)
                if v is None:
                    pending.append((ti, a, b, "word", w))
                elif v <= self.negative_valence:
                    pending.append((ti, a, b, "negative", w))
        return listed, pending

    def _candidate(
        self, texts: list[str], ti: int, a: int, b: int, check_position: bool
    ) -> tuple[tuple[int, int], tuple[int, int, int, int]] | None:
        """((text, sentence start), (text, window start, start, end)) if worth parsing."""
        text = texts[ti]
        got = nlp.prepare(text).sentence_at(a)
        if got is None:
            return None
        ws, s, e = got
        if check_position and not self._insult_in_position(text, s, e, a, b):
            return None
        if not self._may_name_someone(text[s:e]):
            return None
        if not _PRONOUN.search(text, s, e):
            ws = s  # the sentence before is context for a pronoun only
        return (ti, s), (ti, ws, s, e)

    def _classify(self, texts: list[str], pending: list) -> dict:
        """The pending places the classifier finds offensive (two batched calls)."""
        words = sorted({w for *_, signal, w in pending if signal == "word"} - set(self._word_prob))
        for w, p in zip(words, nlp.profanity_probs(words), strict=True):
            self._word_prob[w] = p
        chosen: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        negative: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for ti, a, b, signal, w in pending:
            if signal == "word" and self._word_prob.get(w, 0.0) < self.word_threshold:
                continue
            # a predicate word is in position by construction ("is a ...")
            found = self._candidate(texts, ti, a, b, check_position=False)
            if found is None:
                continue
            if signal == "word":
                chosen[found[0]] = found[1]
            else:
                negative.setdefault(*found)
        rest = [c for k, c in negative.items() if k not in chosen]
        probs = nlp.profanity_probs([texts[ti][s:e] for ti, _, s, e in rest])
        for cand, p in zip(rest, probs, strict=True):
            if p >= self.sentence_threshold:
                chosen[(cand[0], cand[2])] = cand
        return chosen

    def _may_name_someone(self, sentence: str) -> bool:
        if sentence == sentence.lower():
            return True  # typed all in lower case: names are not capitalised either
        if self.titles.search(sentence):
            return True  # "our director", "the Prime Minister"
        if _POINTING.search(sentence):
            return True  # "that idiot", "this woman"
        for m in _CAPITALISED.finditer(sentence):
            if m.group().lower() not in _FUNCTION_WORDS:
                return True
        return False

    def _insult_in_position(self, text: str, s: int, e: int, a: int, b: int) -> bool:
        left = text[max(s, a - 60) : a]
        right = text[b : min(e, b + 40)]
        if a == s or _LEFT_CUE.search(left) or _RIGHT_NAME.match(right):
            return True
        # "X sucks", "X's incompetence": a name or pronoun right before the word
        prev = left.split()[-1:] if left.strip() else []
        return bool(prev) and (prev[0][:1].isupper() or prev[0].lower() in _PRONOUNS)

    # -- stage 2: the parse ----------------------------------------------------------

    def _score_words(self, docs: list, candidates: list[tuple[int, int, int, int]]) -> None:
        """Word-level classifier scores for the content words of the parsed sentences."""
        new: set[str] = set()
        for (_, ws, ss, _), doc in zip(candidates, docs, strict=True):
            for tok in doc:
                if tok.idx >= ss - ws and tok.is_alpha and len(tok) > 2:
                    w = tok.lower_
                    if w not in self._word_prob and w not in self.insults:
                        new.add(w)
        words = sorted(new)
        for w, p in zip(words, nlp.profanity_probs(words), strict=True):
            self._word_prob[w] = p

    def _is_insult(self, tok) -> str | None:
        base = self.insults.base(tok.text)
        if base:
            return base
        phrase = self.insults.phrase_at([t.lower_ for t in tok.doc[tok.i : tok.i + 5]])
        if phrase:
            return phrase
        if tok.pos_ in ("NOUN", "ADJ", "PROPN") and self._word_prob.get(tok.lower_, 0.0) >= (
            self.word_threshold
        ):
            return tok.lower_
        if tok.idx in self._weighing and tok.pos_ in ("NOUN", "ADJ", "PROPN"):
            return tok.lower_  # a word the model weighs, in a sentence it scores as an attack
        return None

    def _attacks(self, doc, sentence_offset: int) -> Iterator[Hit]:
        for tok in doc:
            if tok.idx < sentence_offset:
                continue
            insult = self._is_insult(tok)
            if not insult or _quoted(tok):
                continue
            head = tok.head if tok.dep_ in ("amod", "compound") and tok.head.i > tok.i else tok
            for target in self._targets_of(tok):
                last = head if head.idx >= target.end or head is tok else tok
                start = min(target.start, tok.idx)
                end = max(target.end, last.idx + len(last))
                if start < sentence_offset:  # the name is context; report the pronoun
                    start = min(tok.idx, target.start) if target.via else tok.idx
                    start = max(start, sentence_offset)
                who = target.name if not target.via else f'{target.name} ("{target.via}")'
                yield Hit(
                    start,
                    end,
                    doc.text[start:end],
                    f"'{insult}' is aimed at {who}: an insult or demeaning claim about a "
                    "named or identifiable person. Public servants must not attack people "
                    "in public, however they are named",
                    "criticise the idea, the decision or the work, not the person; or "
                    "leave the insult out",
                )
                break

    def _targets_of(self, tok) -> Iterator[_Target]:
        """People the insult token is said of, by the dependency parse."""
        doc = tok.doc
        p = tok
        # "an incompetent manager", "stupid Bob": an adjective says it of its noun.
        if (p.dep_ in ("amod", "compound") and p.pos_ == "ADJ") or p.dep_ == "amod":
            if self._person(p.head):
                yield from self._person(p.head)
                return
            p = p.head
        elif p.dep_ == "compound" and p.head.i > p.i and self._person(p.head):
            yield from self._person(p.head)  # "that idiot Bob Smith"
            return
        if (
            p.dep_ == "relcl"
            and p.pos_ == "NOUN"
            and any(c.dep_ == "nsubj" and c.lower_ in ("that", "this") for c in p.children)
        ):
            yield from self._person(p.head)  # "Bob Smith, that clown, ..." parsed as a clause
            return
        if p.dep_ == "acomp" and any(c.dep_ == "prep" and c.lower_ == "of" for c in p.children):
            return  # "ignorant of the rule", "tired of the form"
        while p.dep_ == "conj" and p.head.i != p.i:
            p = p.head
        if _negated(p):
            return
        # The insult is the referent: "shut that wanker up", "that idiot broke it"
        if p.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj") and p is tok:
            pointed = self._pointed_at(tok)
            if pointed:
                yield pointed
                return
        # Appositions: "Bob, that idiot, ...", "that idiot Bob".
        if p.dep_ == "appos":
            yield from self._person(p.head)
        for c in p.children:
            if c.dep_ == "appos":
                yield from self._person(c)
        # Inside a name the model made of it: "Stupid Bob", "idiot Bob".
        if tok.ent_type_ == "PERSON" and tok.ent_iob_ == "B":
            ent = next(e for e in doc.ents if e.start <= tok.i < e.end)
            if ent.end - ent.start > 1:
                rest = doc[tok.i + 1 : ent.end]
                yield _Target(rest.start_char, rest.end_char, rest.text, "")
        # Predicates: "X is a moron", "X looks like an idiot", "called X an idiot".
        verb = None
        if p.dep_ in ("attr", "acomp", "oprd"):
            verb = p.head
        elif p.dep_ == "pobj" and p.head.lower_ in ("like", "as") and p.head.dep_ == "prep":
            verb = p.head.head
        elif tok.pos_ in ("VERB", "AUX") and tok.lower_ in ("sucks", "stinks", "suck", "stink"):
            verb = tok
        elif p.dep_ in ("nsubj", "ROOT") and p.pos_ == "NOUN":
            # "What a fool Bob is" is parsed with the insult as the subject at times.
            verb = p.head if p.dep_ == "nsubj" else None
            if verb is not None and verb.lower_ in _BE:
                for c in verb.children:
                    if c.dep_ == "attr" and self._person(c):
                        yield from self._person(c)
            verb = None
        if verb is not None and verb.i < tok.i:
            between = verb.doc[verb.i + 1 : tok.i].text.lower()
            if _NEGATED_BETWEEN.search(between):
                verb = None  # "X is anything but lazy", "X is hardly a fool"
        if verb is not None and not _negated(verb):
            if p.dep_ == "oprd":
                subjects = [c for c in verb.children if c.dep_ == "dobj"]
            else:
                subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
                if not subjects and verb.dep_ in ("relcl", "acl"):
                    subjects = [verb.head]  # "Bob, who is a fraud, ..."
            for subject in subjects:
                if subject.lower_ in _RELATIVE and verb.dep_ == "relcl":
                    subject = verb.head
                yield from self._person(subject)
                for c in subject.children:  # "Our new lead, Nora Blake, is lazy"
                    if c.dep_ == "appos":
                        yield from self._person(c)
        # A demeaning trait owned by a person: "Bob's incompetence", "her stupidity".
        if tok.pos_ == "NOUN" and tok.lower_.endswith(_TRAIT_SUFFIXES):
            for c in tok.children:
                if c.dep_ == "poss":
                    yield from self._person(c)

    def _person(self, tok) -> list[_Target]:
        """``tok`` as a person the reader can identify, or []."""
        doc = tok.doc
        if tok.idx > 0 and doc.text[tok.idx - 1] == "#":
            return []  # a hashtag is a topic ("#Antifa are cowards")
        if (
            tok.dep_ in ("nsubj", "nsubjpass")
            and tok.head.lower_ in ("are", "were", "'re", "’re")
            and tok.lower_ not in _SECOND_PERSON
            and not any(c.dep_ == "conj" for c in tok.children)
        ):
            return []  # a group: "Antifa are cowards", "the Tories are clowns"
        if tok.ent_type_ == "PERSON":
            ent = next(e for e in doc.ents if e.start <= tok.i < e.end)
            titled = self._titled_name(doc[ent.end - 1])  # "Minister Doe", not just "Doe"
            if titled and titled.start < ent.start_char:
                return [titled]
            return [_Target(ent.start_char, ent.end_char, ent.text, "")]
        m = _HANDLE.match(doc.text, tok.idx) if tok.text.startswith("@") else None
        if m:
            return [_Target(m.start(), m.end(), m.group(), "")]
        titled = self._titled_name(tok)
        if titled:
            return [titled]
        if tok.lower_ in _SECOND_PERSON and self._addressee:
            return [_Target(tok.idx, tok.idx + len(tok), self._addressee, tok.text)]
        office = self._office(tok)
        if office:
            return [office]
        pointed = self._pointed_at(tok)
        if pointed:
            return [pointed]
        if tok.lower_ in _PRONOUNS:
            antecedent = self._antecedent(tok)
            if antecedent:
                return [_Target(tok.idx, tok.idx + len(tok), antecedent.name, tok.text)]
        return []

    def _pointed_at(self, tok) -> _Target | None:
        """ "this woman", "that wanker": one person pointed at with a demonstrative."""
        if tok.pos_ != "NOUN" or tok.tag_ != "NN":
            return None
        base = self.insults.base(tok.text)
        if (
            not base
            and self._word_prob.get(tok.lower_, 0.0) >= self.word_threshold
            and tok.lower_ not in nlp.vader().lexicon  # "that shit": VADER knows things
        ):
            base = tok.lower_  # "this cheating scum": a word only the classifier knows
        if tok.lower_ not in _PERSON_NOUNS and (not base or base in _ALSO_THINGS):
            return None
        det = [c for c in tok.children if c.dep_ == "det" and c.i < tok.i]
        if not det or det[0].lower_ not in _DEMONSTRATIVES:
            return None
        span = tok.doc[det[0].i : tok.i + 1]
        return _Target(span.start_char, span.end_char, span.text, "")

    def _office(self, tok) -> _Target | None:
        """ "the Prime Minister", "our director": an office one person holds."""
        if tok.pos_ not in ("NOUN", "PROPN") or tok.tag_ in ("NNS", "NNPS"):
            return None
        doc = tok.doc
        first = tok
        while (
            first.i > 0
            and doc[first.i - 1].dep_ in ("compound", "amod")
            and doc[first.i - 1].head == tok
        ):
            first = doc[first.i - 1]
        words = [t.lower_ for t in doc[first.i : tok.i + 1]]
        if not (
            self.titles.phrase_at(words)
            or (len(words) == 1 and words[0] in self.titles)
            or (tok.lower_ in self.titles and tok.lower_ not in _NAME_TITLES)
        ):
            return None  # "the Health Minister": a title after its portfolio counts
        det = doc[first.i - 1] if first.i > 0 else None
        if det is None or det.lower_ not in _OFFICE_DETERMINERS:
            return None
        span = doc[det.i : tok.i + 1]
        return _Target(span.start_char, span.end_char, span.text, "")

    def _titled_name(self, tok) -> _Target | None:
        """ "Minister Doe", "Dr. Smith": a capitalised name right after a title."""
        if not tok.text[:1].isupper() or tok.ent_type_ in ("ORG", "GPE", "PRODUCT", "LOC"):
            return None
        doc = tok.doc
        first = tok
        while (
            first.i > 0
            and doc[first.i - 1].dep_ == "compound"
            and doc[first.i - 1].text[:1].isupper()
        ):
            first = doc[first.i - 1]
        for n in (3, 2, 1):
            lo = first.i - n
            if lo < 0:
                continue
            words = [t.lower_.rstrip(".") for t in doc[lo : first.i] if t.text != "."]
            if (words and self.titles.phrase_at(words)) or (
                len(words) == 1 and words[0] in self.titles
            ):
                span = doc[lo : tok.i + 1]
                return _Target(span.start_char, span.end_char, span.text, "")
        # the title may be inside the token run: "Minister Doe" parsed as compound + nsubj
        if first is not tok:
            words = [t.lower_.rstrip(".") for t in doc[first.i : tok.i]]
            if words and (words[-1] in self.titles or self.titles.phrase_at(words)):
                span = doc[first.i : tok.i + 1]
                return _Target(span.start_char, span.end_char, span.text, "")
        return None

    def _antecedent(self, pronoun) -> _Target | None:
        """The nearest person named before ``pronoun`` in the window (this or the last sentence)."""
        doc = pronoun.doc
        plural = pronoun.lower_ in ("they", "them", "their")
        for tok in reversed(doc[: pronoun.i]):
            if plural and tok.pos_ == "NOUN" and tok.tag_ in ("NNS", "NN"):
                return None  # "Bob built the forms. They are a disgrace": the forms
            if tok.lower_ in _PRONOUNS or tok.pos_ == "PRON":
                continue
            if tok.ent_type_ == "PERSON" or tok.text.startswith("@"):
                found = self._person(tok)
                if found:
                    return found[0]
            elif tok.text[:1].isupper():
                found = self._titled_name(tok) or self._office(tok)
                if found:
                    return found
                if (
                    pronoun.lower_ in _GENDERED
                    and tok.tag_ == "NNP"
                    and tok.ent_type_ in ("", "ORG")
                    and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
                ):
                    # "Feinstein should have quit. She is ...", "We heard from Marcus
                    # Bell (tagged ORG). He is ...": a name the NER missed; "he" and
                    # "she" are said of people
                    first = tok
                    while (
                        first.i > 0
                        and doc[first.i - 1].dep_ == "compound"
                        and doc[first.i - 1].text[:1].isupper()
                    ):
                        first = doc[first.i - 1]
                    return _Target(first.idx, tok.idx + len(tok), doc[first.i : tok.i + 1].text, "")
        return None


def _subject_of(tok):
    """The subject of the clause that says ``tok`` (within a few heads), or None."""
    head = tok
    for _ in range(4):
        subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0]
        if head.head is head or head.dep_ in ("conj", "ccomp", "advcl", "relcl"):
            return None
        head = head.head
    return None


def _quoted(tok) -> bool:
    """Inside quotation marks in its sentence: reported words, not the author's."""
    sent = tok.sent
    before = tok.doc.text[sent.start_char : tok.idx]
    return sum(before.count(q) for q in _QUOTES) % 2 == 1


def _negated(tok) -> bool:
    """ "X is not an idiot", "X is no fool", "X is never rude"."""
    return any(
        (c.dep_ == "neg" or (c.dep_ in ("det", "advmod") and c.lower_ in _NEGATORS))
        for c in tok.children
    )


def _probability(policy: Policy, dotted: str, default: float) -> float:
    value = policy.get(dotted, float, default)
    if not 0.0 <= value <= 1.0:
        raise policy.error(dotted, f"'{dotted}' is {value}; it is a probability from 0 to 1")
    return value
