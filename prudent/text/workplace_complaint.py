"""``workplace-complaint``: complaints about one's own job, boss, colleagues or employer.

Cheap signals first, over every sentence: a word for one's own work
(``guardrails/workplace-words.txt``: "my boss", "our department", "management
here") or one of the employer's names from the policy, together with a negative
signal (the complaint and feeling lists, or VADER's sentiment). Only those
sentences go to spaCy's parser, and a hit needs the parse to say the complaint
of the author's own workplace:

* a judgement predicated of it: "my boss is useless", "management here is
  clueless", "<Employer> is a shambles", "work sucks", "my useless boss";
* the author's bad feeling about it: "I hate my job", "I'm fed up with my
  manager", "I dread going to work".

Neutral or positive talk about work, someone else's workplace ("your boss",
"his manager"), negated or hypothetical sentences ("I don't hate my job", "if
your manager is useless, ...") and advice about complaining pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from prudent.policy import Policy
from prudent.text import nlp
from prudent.text.hits import Hit

KEY = "rules.workplace-complaint."

_OWN = frozenset(("my", "our"))
_FIRST_PERSON = frozenset(("i", "we"))
# Workplace words that mean the author's own workplace even unowned ("management
# is clueless", "work sucks"), unless a compound makes them something else
# ("project management").
_BARE = frozenset(
    [
        "management",
        "leadership",
        "higher-up",
        "higher-ups",
        "hr",
        "execs",
        "executives",
        "work",
        "upper",
        "senior",
    ]
)
_GO = frozenset(("go", "going", "goes", "went", "get", "getting", "come", "coming"))
_MODAL = frozenset(("would", "'d", "’d", "might", "could"))
_CONDITIONAL = frozenset(("if", "unless", "whether", "when", "whenever"))
_NEGATORS = frozenset(("not", "n't", "n’t", "never", "no"))
# The cheap scans run on nlp.fold(text): lower case, same offsets.
_WORD = re.compile(r"[a-z][a-z'’-]*")
_COMPLAINT_VERBS = frozenset(("suck", "sucks", "sucked", "stink", "stinks", "stank"))
_COMPLAINT_VERB = re.compile(r"\b(?:sucks?|sucked|stinks?|stank)\b")
_OWNER_BEFORE = re.compile(r"\b(?:my|our|this)\s+((?:[\w'’-]+\s+){0,2})\Z")
_WORKING_HERE = re.compile(r"\bworking\s+here\b")
_HERE_AFTER = re.compile(r"\s+here\b")
# Workplace words that need no owner ("management is clueless"), and the places
# where bare "work" is the workplace ("at work", "Work sucks.").
_BARE_CUE = nlp.Lexicon(["management", "leadership", "higher-ups", "execs", "hr"])
_WORK = nlp.Lexicon(["work"])
_LEADS = re.compile(
    r"\b(?:(?:is|was|are|were|feels?|felt|seems?)\s+like|(?:run|managed|led|staffed)\s+by|"
    r"(?:bunch|pack|load|lot|band|gang|collection|circus)\s+of)\s+"
)
_LEAD_WORDS = frozenset(["like", "by", "of"])
_WORK_WITH = re.compile(
    r"\b(?:people|folks|guys|everyone|everybody|colleagues|lot)\s+(?:i|we)\s+work\s+with\b"
)
# "Day 300 of my manager ignoring me": a count of days endured
_COUNTDOWN = re.compile(r"\b(?:day|week|month|year|hour|meeting)\s+#?\d+\s+of\b")
# Sarcasm needs bad news before it, however mild ("cancelled the training again")
_BAD_NEWS = -0.05
_TAG_WORDS = 8  # at most this many words in a sentence that is a sarcastic tag
_COLLECTIVE = frozenset(["people", "folks", "guys", "everyone", "everybody", "colleagues", "lot"])
# "a bunch of clowns": the judgement is the noun after "of"
_QUANTITY = frozenset(["bunch", "pack", "load", "lot", "band", "gang", "collection", "circus"])
_BEFORE_WORK = re.compile(r"(?:\b(?:at|to|from|hate|hates|after|before)\s+|^\s*|[.!?:]\s+)\Z")


class WorkplaceComplaintDetector:
    """Finds complaints about the author's own work (see the module docstring)."""

    def __init__(self, policy: Policy) -> None:
        names = policy.get_str_list(KEY + "employer_names", [])
        for name in names:
            if not name.strip():
                raise policy.error(KEY + "employer_names", "an employer name is empty")
        self.employers = nlp.Lexicon(employer_variants(names))
        self.has_employers = bool(names)
        self.workplace = nlp.Lexicon(self._list(policy, "workplace_words", "workplace-words.txt"))
        self.complaints = nlp.Lexicon(
            self._list(policy, "complaints", "workplace-complaints.txt")
            + self._list(policy, "insults", "insults.txt")
        )
        self.feelings = nlp.Lexicon(self._list(policy, "feelings", "workplace-feelings.txt"))
        self.sarcasm = nlp.Lexicon(self._list(policy, "sarcasm", "workplace-sarcasm.txt"))
        self.sentiment_threshold = policy.get(KEY + "sentiment_threshold", float, -0.3)
        if not -1.0 <= self.sentiment_threshold <= 0.0:
            raise policy.error(
                KEY + "sentiment_threshold",
                f"'{KEY}sentiment_threshold' is {self.sentiment_threshold}; VADER's compound "
                "score runs from -1 (most negative) to 0 (neutral)",
            )
        self.word_valence = policy.get(KEY + "word_valence", float, -1.5)
        if not -4.0 <= self.word_valence <= 0.0:
            raise policy.error(
                KEY + "word_valence",
                f"'{KEY}word_valence' is {self.word_valence}; VADER's word valences run "
                "from -4 (most negative) to 0",
            )

    @staticmethod
    def _list(policy: Policy, key: str, default: str) -> list[str]:
        return [entry for _, entry in policy.read_list(policy.get(KEY + key, str, default))]

    # -- the interface ---------------------------------------------------------

    def find_many(self, texts: list[str]) -> list[list[Hit]]:
        results: list[list[Hit]] = [self._sarcastic(text) for text in texts]
        candidates = self._candidates(texts)
        docs = nlp.parse([texts[ti][s:e] for ti, s, e in candidates])
        for (ti, s, _), doc in zip(candidates, docs, strict=True):
            last_end = max([h.end for h in results[ti] if h.start <= s], default=-1) - s
            for a, b, message in sorted(self._complaints(doc)):
                if a < last_end:
                    continue  # one hit per complaint
                last_end = b
                results[ti].append(
                    Hit(
                        s + a,
                        s + b,
                        texts[ti][s + a : s + b],
                        message,
                        "raise it through your workplace's own channels (your manager, HR, "
                        "a staff representative) instead of publishing it, or describe the "
                        "situation without judging your workplace",
                    )
                )
        return results

    # -- sarcasm --------------------------------------------------------------------

    def _sarcastic(self, text: str) -> list[Hit]:
        """Praise right after a sentence about something bad at one's own workplace."""
        prepared = nlp.prepare(text)
        marks = self.sarcasm.find_folded(prepared.folded, words=prepared.words)
        hits: list[Hit] = []
        folded = prepared.folded
        for a, b in marks:
            got = prepared.sentence_at(a)
            if got is None:
                continue
            _, ms, me = got
            # a sarcastic tag is short ("Love it here."), or ends its sentence ("..., love
            # it here"); praise inside a long sentence is meant ("18F is a dream job")
            if len(text[ms:me].split()) > _TAG_WORDS and len(text[b:me].split()) > 1:
                continue
            # the bad news: the sentence before in the paragraph, or this one before the mark
            before = prepared.sentence_before(a) if len(text[ms:me].split()) <= _TAG_WORDS else None
            ps, pe = before if before else (ms, a)
            if pe <= ps or not self._own_cue(folded, ps, pe, prepared.words):
                continue
            bad = text[ps:pe]
            if not (
                _COUNTDOWN.search(folded, ps, pe)
                or nlp.vader().polarity_scores(bad)["compound"] < _BAD_NEWS
            ):
                continue
            if hits and ps < hits[-1].end:
                continue
            hits.append(
                Hit(
                    ps,
                    b,
                    text[ps:b],
                    f"complaint about your own workplace, said with sarcasm: '{text[a:b]}' "
                    f"after '{_clip(bad)}'. Complaining in public about your job, boss, "
                    "colleagues or employer reflects on your employer, sarcasm included, "
                    "and nothing online is private",
                    "raise it through your workplace's own channels (your manager, HR, a staff "
                    "representative) instead of publishing it",
                )
            )
        return hits

    # -- stage 1: cheap signals --------------------------------------------------

    def _candidates(self, texts: list[str]) -> list[tuple[int, int, int]]:
        """(text index, sentence start, sentence end) worth parsing.

        A sentence qualifies with a negative signal: a feeling from the list, or
        a judgement word where it can be said of something ("is a mess", "my
        useless boss", "sucks") that is listed, or negative in VADER's lexicon
        with a negative VADER score for the sentence; and a cue of the author's
        own workplace in the same sentence (an employer name, "my boss",
        "management here", "at work").
        """
        chosen: dict[tuple[int, int], tuple[int, int, int]] = {}
        valence = nlp.vader().lexicon
        for ti, text in enumerate(texts):
            prepared = nlp.prepare(text)
            folded = prepared.folded
            # negative signals first: they are rare, workplace words are not
            strong = [a for a, _ in self.feelings.find_folded(folded, words=prepared.words)]
            listed = {a for a, _ in self.complaints.find_folded(folded, words=prepared.words)}
            places = [(a, b) for a, b, _ in prepared.predicates]
            if not _COMPLAINT_VERBS.isdisjoint(prepared.words):
                places += [m.span() for m in _COMPLAINT_VERB.finditer(folded)]
            led = []
            if not _LEAD_WORDS.isdisjoint(prepared.words):
                # "is like being in prison", "run by idiots", "a bunch of clowns": a
                # negative word there is a judgement whatever the sentence's score
                for m in _LEADS.finditer(folded):
                    led += [w.span() for w in _WORD.finditer(folded, m.end(), m.end() + 40)][:5]
            weak = []
            for a, b in places + led:
                if a in listed:
                    strong.append(a)
                elif valence.get(folded[a:b], 0.0) <= self.word_valence:
                    (strong if (a, b) in led else weak).append(a)
            # a judgement before the workplace word: "my useless boss"
            modifiers = [a for a in listed if _OWNER_BEFORE.search(folded, max(0, a - 40), a)]
            if not (strong or weak or modifiers):
                continue
            sentences: dict[int, tuple[int, int, bool]] = {}
            for a, is_strong in [(a, True) for a in strong + modifiers] + [
                (a, False) for a in weak
            ]:
                got = prepared.sentence_at(a)
                if got is not None:
                    _, s, e = got
                    was = sentences.get(s)
                    sentences[s] = (s, e, is_strong or bool(was and was[2]))
            for s, e, is_strong in sentences.values():
                if (ti, s) in chosen or not self._own_cue(folded, s, e, prepared.words):
                    continue
                if is_strong or (
                    nlp.vader().polarity_scores(text[s:e])["compound"] <= self.sentiment_threshold
                ):
                    chosen[(ti, s)] = (ti, s, e)
        return sorted(chosen.values())

    def _own_cue(self, folded: str, s: int, e: int, words: frozenset[str]) -> bool:
        """Does ``folded[s:e]`` speak of the author's own workplace?"""
        if self.has_employers and self.employers.find_folded(folded, s, e, words):
            return True
        for a, b in self.workplace.find_folded(folded, s, e, words):
            if _OWNER_BEFORE.search(folded, max(s, a - 40), a) or _HERE_AFTER.match(folded, b):
                return True
        if _BARE_CUE.find_folded(folded, s, e, words) or _WORKING_HERE.search(folded, s, e):
            return True
        if _WORK_WITH.search(folded, s, e):
            return True
        return any(
            _BEFORE_WORK.search(folded, max(s, a - 12), a)
            for a, _ in _WORK.find_folded(folded, s, e, words)
        )

    # -- stage 2: the parse --------------------------------------------------------

    def _complaints(self, doc) -> Iterator[tuple[int, int, str]]:
        employer_spans = (
            _without_possessive(doc.text, self.employers.find(doc.text))
            if self.has_employers
            else []
        )
        # Lexicon matches as character spans, so phrases and hyphenated words count
        # whichever token the parser hangs them on ("soul-destroying", "fed up").
        self._complaint_spans = self.complaints.find(doc.text)
        self._feeling_spans = self.feelings.find(doc.text)
        self._workplace_spans = _without_possessive(doc.text, self.workplace.find(doc.text))
        for tok in doc:
            what = self._own_workplace(tok, employer_spans)
            if not what:
                continue
            for pred, first in self._judgements(tok):
                a = min(tok.left_edge.idx, first.idx, pred.idx)
                b = max(tok.idx + len(tok), pred.idx + len(pred))
                yield (
                    a,
                    b,
                    f"complaint about {what}: '{pred.text}' said of your own workplace. "
                    "Complaining in public about your job, boss, colleagues or employer "
                    "reflects on your employer, and nothing online is private",
                )
            for feeler, feeling in self._feelings_about(tok):
                a = min(feeler.idx, tok.left_edge.idx)
                b = max(tok.idx + len(tok), feeling.idx + len(feeling))
                yield (
                    a,
                    b,
                    f"complaint about {what}: '{feeling.text}' about your own work. "
                    "Complaining in public about your job, boss, colleagues or employer "
                    "reflects on your employer, and nothing online is private",
                )

    def _own_workplace(self, tok, employer_spans: list[tuple[int, int]]) -> str:
        """What of the author's own workplace ``tok`` is ("your boss"), or ''."""
        for a, b in employer_spans:
            if a <= tok.idx < b:
                # only the name's syntactic head counts, once: "Department" in
                # "the Department of Example Services is a shambles"
                span = tok.doc.char_span(a, b, alignment_mode="expand")
                if span is not None and tok != span.root:
                    return ""
                return f"your employer ({tok.doc.text[a:b]})"
        if (
            tok.lower_ == "working"
            and tok.dep_ in ("csubj", "nsubj")
            and any(c.lower_ == "here" for c in tok.children)
        ):
            return 'your work ("working here")'
        if tok.lower_ in _COLLECTIVE and tok.pos_ in ("NOUN", "PRON"):
            for c in tok.children:  # "the people I work with", "everyone we work with"
                if (
                    c.dep_ in ("relcl", "acl")
                    and c.lower_ in ("work", "worked", "working")
                    and (
                        any(g.dep_ == "nsubj" and g.lower_ in _FIRST_PERSON for g in c.children)
                        or (c.lower_ == "working" and c.dep_ == "acl")
                    )
                ):
                    return f"the {tok.lower_} you work with"
        base = self._workplace_word(tok)
        if base in ("work", "works") and tok.pos_ == "VERB" and tok.i >= 2:
            # "going to work" is parsed as a verb; it is the workplace all the same
            before = tok.doc[tok.i - 2 : tok.i]
            if before[1].lower_ == "to" and before[0].lower_ in _GO:
                return "your work"
        if not base or tok.pos_ not in ("NOUN", "PROPN"):
            return ""
        owner_toks = [c for c in tok.children if c.dep_ == "poss"]
        if not owner_toks:  # the parser may hang "my" elsewhere: "My job sucks"
            for prev in reversed(tok.doc[max(0, tok.i - 3) : tok.i]):
                if prev.lower_ in _OWN or prev.tag_ == "PRP$" or prev.dep_ == "poss":
                    owner_toks = [prev]
                    break
                if prev.pos_ not in ("ADJ", "NOUN", "ADV", "PROPN"):
                    break
        # "Acme's management", "my manager's manager": owned through the employer
        # or through one's own workplace
        owners = [
            "my"
            if o.lower_ not in _OWN
            and o.i != tok.i
            and (self._own_workplace(o, employer_spans) if o.pos_ in ("NOUN", "PROPN") else "")
            else o.lower_
            for o in owner_toks
        ]
        if owners:
            return f"your {tok.lower_}" if owners[0] in _OWN else ""
        if any(c.lower_ == "here" for c in tok.children) or (
            tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "here"
        ):
            return f'your {tok.lower_} ("here")'
        if any(c.dep_ == "det" and c.lower_ == "this" for c in tok.children) and base in (
            "job",
            "workplace",
            "company",
            "office",
            "department",
            "team",
        ):
            return f'your {tok.lower_} ("this {tok.lower_}")'
        if base in _BARE or tok.lower_ in _BARE:
            if any(
                c.dep_ in ("compound", "amod", "nmod")
                and c.lower_ not in ("upper", "senior", "middle", "top")
                and not any(a <= c.idx < b for a, b in employer_spans)  # "Acme management"
                for c in tok.children
            ):
                return ""  # "project management", "open source work"
            if any(c.dep_ == "det" and c.lower_ not in ("the",) for c in tok.children):
                return ""  # "this work", "a management"
            if base == "work" and (
                tok.dep_ not in ("nsubj", "pobj", "dobj")
                or any(c.dep_ in ("det", "prep") for c in tok.children)
            ):
                return ""  # "the work of the team" is not the workplace
            return f"your {tok.lower_}"
        return ""

    def _workplace_word(self, tok) -> str:
        """The workplace entry ``tok`` ends ("higher-ups" ends on "ups"), or ''."""
        end = tok.idx + len(tok)
        for a, b in self._workplace_spans:
            if b == end and a <= tok.idx:
                return tok.doc.text[a:b].lower()
        return ""

    def _is_judgement(self, tok) -> bool:
        if _inside(tok, self._feeling_spans):
            return False
        if _inside(tok, self._complaint_spans):
            return True
        valence = nlp.vader().lexicon.get(tok.lower_)
        return valence is not None and valence <= self.word_valence and tok.pos_ in ("ADJ", "NOUN")

    def _judgements(self, target) -> Iterator:
        """Judgement words said of ``target``: predicates, modifiers."""
        for c in target.children:
            if c.dep_ in ("amod", "compound") and c.i < target.i and self._is_judgement(c):
                yield c, target.left_edge  # "my useless boss", "my nightmare manager"
        if (
            target.dep_ == "compound"
            and target.head.pos_ == "VERB"
            and _inside(target.head, self._complaint_spans)
        ):
            yield target.head, target.left_edge  # "My job sucks" parsed with "job" as a compound
            return
        t = target
        if (
            t.dep_ == "pobj"
            and t.head.dep_ == "prep"
            and t.head.lower_ in ("at", "in", "for", "with")
            and t.head.head.dep_ in ("csubj", "nsubj")
        ):
            # "Working at Acme is a nightmare", "Everyone at Acme is incompetent"
            t = t.head.head
        if t.dep_ == "csubj":
            verb = t.head
            if _negated(verb):
                return
            for word in self._said_words(verb):
                yield word, t.left_edge
                return
            return
        while t.dep_ == "conj" and t.head.dep_ in ("nsubj", "nsubjpass"):
            t = t.head  # "my boss and my colleagues are useless"
        if t.dep_ not in ("nsubj", "nsubjpass"):
            return
        verb = t.head
        if _negated(verb) or _hypothetical(verb):
            return
        if verb.pos_ == "VERB" and _inside(verb, self._complaint_spans):
            yield verb, t.left_edge  # "my job sucks"
            return
        for word in self._said_words(verb):
            yield word, t.left_edge
            return

    def _said_words(self, verb) -> Iterator:
        """Judgement words the verb says of its subject: "is useless", "is a bunch of
        clowns", "is like being in prison", "is run by idiots"."""
        for c in verb.children:
            if c.dep_ in ("attr", "acomp", "oprd") and not _negated(c):
                words = [c, *[g for g in c.children if g.dep_ in ("amod", "conj")]]
                if c.lower_ in _QUANTITY:  # "a bunch of incompetent clowns"
                    for of in (g for g in c.children if g.dep_ == "prep" and g.lower_ == "of"):
                        for obj in (g for g in of.children if g.dep_ == "pobj"):
                            words += [obj, *[g for g in obj.children if g.dep_ in ("amod", "conj")]]
                for word in words:
                    if self._is_judgement(word):
                        yield word
                        return
            elif c.dep_ in ("prep", "agent") and c.lower_ in ("like", "by"):
                # "is like being in prison", "is run by idiots" (passive agent)
                if c.lower_ == "by" and c.dep_ != "agent":
                    continue
                for word in c.subtree:
                    if word is not c and self._is_judgement(word) and not _negated(word.head):
                        yield word
                        return

    def _feelings_about(self, target) -> Iterator[tuple]:
        """(feeler, feeling) when "I"/"we" feel badly about ``target``."""
        for anc in target.ancestors:
            if anc.pos_ not in ("VERB", "AUX", "ADJ"):
                continue
            clause = anc if anc.pos_ != "ADJ" else anc.head
            subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not subjects:  # "I am so done with ..." hangs "I" on the auxiliary
                subjects = [
                    g
                    for c in clause.children
                    if c.dep_ in ("aux", "auxpass")
                    for g in c.children
                    if g.dep_ in ("nsubj", "nsubjpass")
                ]
            if not subjects:
                continue
            if subjects[0].lower_ not in _FIRST_PERSON or target in subjects[0].subtree:
                return
            feeling = self._feeling(anc) or self._feeling(clause)
            if not feeling:
                for c in clause.children:
                    if c.dep_ in ("acomp", "xcomp") and self._feeling(c):
                        feeling = c
                        break
            modal = any(c.dep_ == "aux" and c.lower_ in _MODAL for c in clause.children)
            if feeling is not None and not _hypothetical(clause) and not modal:
                if _negated(clause) and not _cannot_stand(clause):
                    return
                if _negated(feeling) and feeling is not clause:
                    return
                yield subjects[0], feeling
            return

    def _feeling(self, tok):
        if _cannot_stand(tok) or _inside(tok, self._feeling_spans):
            return tok
        return None


def _without_possessive(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans with a trailing "'s" or "'" left out, as spaCy splits it off."""
    out = []
    for a, b in spans:
        if text[a:b].endswith(("'s", "’s", "'S", "’S")):
            b -= 2
        elif text[a:b].endswith(("'", "’")):
            b -= 1
        out.append((a, b))
    return out


def _inside(tok, spans: list[tuple[int, int]]) -> bool:
    return any(a <= tok.idx < b for a, b in spans)


def _cannot_stand(tok) -> bool:
    """ "I can't stand my boss": a negation that is the complaint."""
    return (
        tok.lower_ == "stand"
        and any(c.dep_ == "neg" for c in tok.children)
        and any(
            c.dep_ == "aux" and c.lower_ in ("ca", "can", "could", "cannot") for c in tok.children
        )
    )


def _negated(tok) -> bool:
    return any(
        c.dep_ == "neg" or (c.dep_ in ("det", "advmod") and c.lower_ in _NEGATORS)
        for c in tok.children
    )


def _hypothetical(tok) -> bool:
    """ "If your manager is useless, ...": a condition, not a complaint."""
    for t in (tok, *tok.ancestors):
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONAL for c in t.children):
            return True
    return False


_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")
_NAME_WORD = re.compile(r"[A-Za-z][\w&'-]*")
_SMALL_WORDS = frozenset(["of", "the", "for", "and", "on", "in", "to", "a", "an", "at"])


def employer_variants(names: list[str]) -> list[str]:
    """The employer's names with the forms people write them in: "DES", "D.E.S.",
    "D.E.S", "D. E. S." for "DES", and the initials of a long name
    ("Department of Example Services" -> "DES" and its dotted forms)."""
    out: list[str] = []
    for name in names:
        out.append(name)
        acronyms = []
        if _ACRONYM.match(name.strip()):
            acronyms.append(name.strip())
        words = _NAME_WORD.findall(name)
        initials = "".join(w[0] for w in words if w.lower() not in _SMALL_WORDS)
        if len(words) >= 2 and len(initials) >= 3 and initials.isupper():
            acronyms.append(initials)
        for a in acronyms:
            letters = [c for c in a if c.isalnum()]
            out += [a, ".".join(letters) + ".", ".".join(letters), ". ".join(letters) + "."]
    return list(dict.fromkeys(out))


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
