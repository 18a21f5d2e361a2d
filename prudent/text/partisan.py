"""``partisan``: parties, their nicknames, slogans and campaign talk, in any case.

The words are data under ``guardrails/partisan/``: for each jurisdiction the
policy names (``ca``, ``uk``, ``us`` ship with Prudent) a party list
(``<j>.txt``), a people list (``people/<j>.txt``: leaders, heads of government,
candidates) and a slogan list (``slogans/<j>.txt``); for each language a file of
how campaign talk is phrased (``language/<lang>.txt``). See ``lexicon.py`` for
the list syntax and ``partisan_language.py`` for the language file.

What fires: a party, nickname or slogan entry (in its own case; in another case
only when a word of the match is not an ordinary one, or the sentence is campaign
talk), and endorsement or opposition of a candidate ("vote for", "re-elect",
"should be Prime Minister", "Biden-Harris 2024!"). What passes: a name alone,
an abbreviation the text defines as something else ("the NDP (New Development
Plan)"), a sentence about history (a century or a year before 1900), a phrase on
an allow list ("Republican calendar"). Words split to dodge a list ("L a b o u
r", "Lab.our") are joined (``prepare.joined_view``); slugs, URLs and other
metadata that is not prose are read too (``find_labels``).
"""

from __future__ import annotations

import bisect
import re

from prudent.document import TextDocument
from prudent.policy import Policy
from prudent.text.hits import Hit
from prudent.text.lexicon import Lexicon, Match
from prudent.text.links import Link
from prudent.text.official_link import DomainList
from prudent.text.partisan_language import PERSON, Endorsement, Language
from prudent.text.prepare import Vocabulary, fold, joined_view, metadata_fields

RULE = "partisan"
DEFAULT_LEXICONS = ["ca", "uk", "us", "fr"]
DEFAULT_LANGUAGES = ["en"]
WHY = (
    "a public servant's personal notebook must stay politically neutral, and party names "
    "or campaign talk read as taking sides"
)
FIX = "Rephrase without the party or campaign (discuss the policy idea, not who backs it)"
FIX_PERSON = "Report what they said or did without backing or opposing them (a name alone is fine)"
# Metadata that is not prose but reaches readers as URLs: read as words, in any case.
LABEL_KEYS = frozenset({"slug", "url", "save_as", "permalink", "redirect_from", "aliases"})
_LABEL_SEPARATORS = re.compile(r"%[0-9A-Fa-f]{2}|[^\w'\n|]|_")
_LABEL_JOIN = "\n|\n"
# Metadata whose values are labels (prose, but read one label at a time).
TAG_KEYS = frozenset({"tags", "tag", "keywords", "category", "categories", "topics"})
_TAG_ITEM = re.compile(r"[^\s,;](?:[^,;\n]*[^\s,;])?")
_URL_HOST = re.compile(r"(?:[A-Za-z][\w+.-]*:)?//[^/?#]*")


class PartisanRule:
    """The rule for text in ``language``: "en" reads the lists under ``partisan/``;
    "fr" reads the French ones under ``fr/partisan/`` (``<j>.txt``, ``slogans/<j>.txt``,
    ``language.txt``, ``allow.txt``) with the same people lists (a name is a name)."""

    def __init__(self, policy: Policy, language: str = "en") -> None:
        key = f"rules.{RULE}"
        names = policy.get_str_list(f"{key}.lexicons", DEFAULT_LEXICONS)
        languages = policy.get_str_list(f"{key}.languages", DEFAULT_LANGUAGES)
        base = "partisan" if language == "en" else f"{language}/partisan"
        lists = [
            f"{base}/{n}.txt"
            for n in names
            if language == "en" or _exists(policy, f"{base}/{n}.txt")
        ]
        lists += [
            f"{base}/slogans/{n}.txt" for n in names if _exists(policy, f"{base}/slogans/{n}.txt")
        ]
        lists += policy.get_str_list(f"{key}.extra_lists", [])
        people = [
            f"partisan/people/{n}.txt" for n in names if _exists(policy, f"partisan/people/{n}.txt")
        ]
        people += [
            f"{base}/people/{n}.txt"
            for n in names
            if language != "en" and _exists(policy, f"{base}/people/{n}.txt")
        ]
        people += policy.get_str_list(f"{key}.extra_people_lists", [])
        allow_lists = policy.get_str_list(f"{key}.allow_lists", ["partisan/allow.txt"])
        if language != "en" and _exists(policy, f"{base}/allow.txt"):
            allow_lists = [*allow_lists, f"{base}/allow.txt"]
        self.lexicon = Lexicon.load(policy, lists)  # parties, nicknames, slogans
        self.people = Lexicon.load(policy, people, PERSON)
        self.allowed = Lexicon.load(policy, allow_lists)
        language_files = (
            [f"partisan/language/{lang}.txt" for lang in languages]
            if language == "en"
            else [f"{base}/language.txt"]
        )
        self.language = Language.load(policy, language_files)
        # One pass over the text finds all of them (the groups tell them apart).
        self.words = Lexicon.of(
            self.lexicon.entries + self.people.entries + self.language.name_entries
        )
        domains = policy.get_str_list(f"{key}.domain_lists", ["partisan/party-domains.txt"])
        self.domains = DomainList.load(policy, domains, [])
        self.hashtags = Lexicon.of([e for e in self.lexicon.entries if e.text.startswith("#")])
        self.vocabulary = Vocabulary(self.lexicon.vocabulary | self.people.vocabulary)

    def find_links(self, links: list[Link]) -> list[tuple[Link, str]]:
        """Links to a party's or a campaign's own site, with the list entry each matched."""
        out = []
        for link in links:
            entry = self.domains.match(link.host)
            if entry:
                out.append((link, entry))
        return out

    def find(
        self,
        text: str,
        lexical: str | None = None,
        fields: list[tuple[str, int, int]] | None = None,
    ) -> list[Hit]:
        """Hits in prepared prose; ``lexical`` is its ``Prepared.lexical`` form and
        ``fields`` its ``Prepared.fields`` (where the metadata values are)."""
        lexical = text if lexical is None else lexical
        found = self.words.find(lexical)
        matches = [m for m in found if not m.entry.group]
        tags = [(a, b) for key, a, b in fields or [] if key in TAG_KEYS]
        if tags:
            matches = [m for m in matches if not any(a <= m.start < b for a, b in tags)]
            matches += self._tag_matches(lexical, tags)
        view = joined_view(lexical, self.vocabulary)
        if view is not None:
            for m in self.lexicon.find(view.text):
                if view.joined_within(m.start, m.end):
                    start, end = view.span(m.start, m.end)
                    matches.append(Match(start, end, m.entry, m.exact))
        endorsements = self.language.endorsements(lexical, [m for m in found if m.entry.group])
        if "#" in lexical:
            words, more = self._hashtag_words(lexical, [m.start for m in matches])
            matches += words
            endorsements += more
        if not matches and not endorsements:
            return []
        allowed = [(m.start, m.end) for m in self.allowed.find(lexical)]
        redefined = _redefined_acronyms(text, self.lexicon, self.language) if matches else set()
        history: dict[int, bool] = {}
        hits: list[Hit] = []
        for m in sorted(matches, key=lambda m: (m.start, -m.end)):
            if any(a <= m.start and m.end <= b for a, b in allowed):
                continue
            if m.entry.abbreviation and _bare(text[m.start : m.end]) in redefined:
                continue
            context = self._context(text, m)
            if context is None or self._historical(text, m.start, history):
                continue
            hits.append(self._party_hit(text[m.start : m.end], m, context))
        for e in endorsements:
            if any(a <= e.start and e.end <= b for a, b in allowed):
                continue
            if not self._historical(text, e.start, history):
                hits.append(_endorsement_hit(text[e.start : e.end], e))
        return _without_overlaps(hits)

    def find_labels(self, doc: TextDocument, links: list[Link]) -> list[Hit]:
        """Hits in what reaches readers as URLs, not prose: slugs and the like in the
        metadata, and the path of every link. Offsets are in ``doc.text``."""
        pieces: list[tuple[int, int]] = []  # (start, end) in doc.text
        for key, start, end in metadata_fields(doc):
            if key in LABEL_KEYS:
                pieces.append((start, end))
        for link in links:
            path_at = link.start + _path_start(doc.text[link.start : link.end])
            if path_at < link.end:
                pieces.append((path_at, link.end))
        if not pieces:
            return []
        # All of them in one text, one label a line ("|" keeps phrases from running on).
        parts, bases, at = [], [], 0
        for start, end in pieces:
            parts.append(doc.text[start:end])
            bases.append((at, start))
            at += end - start + len(_LABEL_JOIN)
        labels = _LABEL_JOIN.join(parts)
        words = _LABEL_SEPARATORS.sub(lambda m: " " * len(m.group()), labels)
        if not words.isascii():
            words = "".join(c if len(f := fold(c)) != 1 else f for c in words)

        def source(i: int) -> int:
            k = bisect.bisect_right(bases, (i, len(doc.text))) - 1
            return bases[k][1] + i - bases[k][0]

        found = self.words.find(words, sentence_starts=False)
        allowed = _spans(self.allowed.find(words)) if found else []
        hits = []
        for m in found:
            if m.entry.group or any(a <= m.start and m.end <= b for a, b in allowed):
                continue
            context = self._context(words, m)
            if context is not None:
                hits.append(self._party_hit(labels[m.start : m.end], m, context))
        for e in self.language.endorsements(words, [m for m in found if m.entry.group]):
            hits.append(_endorsement_hit(labels[e.start : e.end], e))
        return [
            Hit(source(h.start), source(h.end - 1) + 1, h.matched, h.message, h.fix)
            for h in _without_overlaps(hits)
        ]

    # -- helpers -------------------------------------------------------------

    def _hashtag_words(
        self, lexical: str, taken: list[int]
    ) -> tuple[list[Match], list[Endorsement]]:
        """A hashtag read as the words it runs together ("#Republican", "#GorkedDems",
        "#VoteRedToSaveAmerica", "#NeverTrump"): parties, slogans and campaign talk in it
        count as they would in a tag; a person's name alone does not."""
        matches: list[Match] = []
        endorsements: list[Endorsement] = []
        for tag in _HASHTAG.finditer(lexical):
            if tag.start() in taken:
                continue  # a listed hashtag already
            words, origin = _split_camel(tag.group(1), tag.start(1))
            found = self.words.find(words, sentence_starts=False)
            for m in found:
                if not m.entry.group:  # reported as the whole hashtag
                    whole = m.start == 0 and m.end == len(words) and not m.entry.strict_case
                    matches.append(Match(tag.start(), tag.end(), m.entry, m.exact or whole))
                    break
            for e in self.language.endorsements(words, [m for m in found if m.entry.group]):
                a, b = origin[e.start], origin[e.end - 1] + 1
                endorsements.append(Endorsement(a, b, e.who, e.person, e.phrase))
        return matches, endorsements

    def _tag_matches(self, lexical: str, tags: list[tuple[int, int]]) -> list[Match]:
        """Tags and categories are labels, not sentences: an entry that is a whole tag
        counts in any case ("democrats"), a capital at a tag's start is no sentence start,
        and a hashtag entry matches a tag without its "#" ("VoteLabour", "vote-labour")."""
        out = []
        for a, b in tags:
            for item in _TAG_ITEM.finditer(lexical, a, b):
                seg, at = item.group(), item.start()
                for m in self.lexicon.find(seg, sentence_starts=False):
                    whole = m.start == 0 and m.end == len(seg) and not m.entry.strict_case
                    out.append(Match(at + m.start, at + m.end, m.entry, m.exact or whole))
                compact = "#" + re.sub(r"[\s_-]+", "", seg)
                if self.language.ordinary_only(seg):
                    continue  # "labour" is a topic; "#Labour2024" is not
                for m in self.hashtags.find(compact):
                    # "#Labour*" is "#Labour2024" in a tag, not "labour market"
                    rest = compact[len(m.entry.text.split("*")[0]) :]
                    if m.start == 0 and m.end == len(compact) and (not rest or rest.isdigit()):
                        out.append(Match(at, item.end(), m.entry, True))
        return out

    def _context(self, text: str, m: Match) -> str | None:
        """Why a match counts: "" when it is in its list's case or is no ordinary word;
        "!" when it is chanted; the campaign word in its sentence otherwise; None when
        it does not count. A "!" entry in another case counts only when chanted."""
        if m.exact:
            return ""
        chanted = _CHANT.match(text, m.end) is not None  # "Stop the boats!"
        if m.entry.strict_case:
            return "!" if chanted else None
        if not self.language.ordinary_only(text[m.start : m.end]):
            return ""
        if chanted:
            return "!"
        a, b = _sentence(text, m.start, m.end)
        return self.language.campaign_word(text, a, b, (m.start, m.end))

    def _historical(self, text: str, at: int, cache: dict[int, bool]) -> bool:
        a, b = _sentence(text, at, at + 1)
        if a not in cache:
            cache[a] = self.language.historical(text[a:b])
        return cache[a]

    def _party_hit(self, written: str, m: Match, context: str) -> Hit:
        what = f" ({m.entry.note})" if m.entry.note else ""
        where = (
            " chanted, with '!'"
            if context == "!"
            else f" in a sentence about the campaign ('{context}')"
            if context
            else ""
        )
        return Hit(
            m.start,
            m.end,
            written,
            f"political party or campaign talk{what}{where}: {WHY} "
            f"(listed in {m.entry.source}: {m.entry.text!r})",
            FIX,
        )


_CHANT = re.compile(r"[ \t]*!")
_HASHTAG = re.compile(r"(?<![\w#])#([^\W\d_][\w]{2,60})")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def _split_camel(body: str, at: int) -> tuple[str, list[int]]:
    """ "VoteRedToSaveAmerica" as "Vote Red To Save America", with where each character
    of that is in the text (``at`` is where ``body`` starts)."""
    out: list[str] = []
    origin: list[int] = []
    for m in _CAMEL.finditer(body):
        if out:
            out.append(" ")
            origin.append(at + m.start())
        out.append(m.group())
        origin.extend(range(at + m.start(), at + m.end()))
    return "".join(out), origin


def _endorsement_hit(written: str, e: Endorsement) -> Hit:
    source, phrase = e.phrase
    if e.person is not None:
        who = f"{e.person.text}" + (f", {e.person.note}" if e.person.note else "")
        listed = f"{e.person.source} and {source}"
    else:
        who, listed = e.who, source
    return Hit(
        e.start,
        e.end,
        written,
        f"campaigning for or against a candidate ({who}; campaign phrase {phrase!r}): a "
        f"public servant's personal notebook must stay politically neutral, and backing or "
        f"opposing a candidate takes sides (listed in {listed})",
        FIX_PERSON,
    )


def _spans(matches: list[Match]) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in matches]


def _without_overlaps(hits: list[Hit]) -> list[Hit]:
    """One hit per place: the earliest, then the longest."""
    out: list[Hit] = []
    for h in sorted(hits, key=lambda h: (h.start, -h.end)):
        if out and h.start < out[-1].end:
            continue
        out.append(h)
    return out


def _exists(policy: Policy, rel: str) -> bool:
    return policy.data_path(rel).is_file()  # the site's list, or the one Prudent ships


def _path_start(url: str) -> int:
    """Where the path of a URL starts (its host is the domain list's business)."""
    m = _URL_HOST.match(url)
    return m.end() if m else 0


# A line break ends a sentence unless the next line carries it on in lower case (a
# paragraph wrapped in the source: "founded in 1867\nand the NDP later").
_SENTENCE_END = re.compile(r"[.!?;]|\n(?![a-z0-9(])")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around ``text[start:end]``, at most 300 characters each way."""
    lo = max(0, start - 300)
    a = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        if text[m.start()] != "." or _ends_sentence(text, m.start()):
            a = m.end()
    m = _SENTENCE_END.search(text, end, min(len(text), end + 300))
    while m and text[m.start()] == "." and not _ends_sentence(text, m.start()):
        m = _SENTENCE_END.search(text, m.end(), min(len(text), end + 300))
    return a, (m.start() if m else min(len(text), end + 300))


def _ends_sentence(text: str, dot: int) -> bool:
    # "N.D.P.", "e.g." and "c. 1850" do not end a sentence; a dot then a space and a
    # capital (or the end) does.
    after = text[dot + 1 : dot + 3]
    return not after or (
        after[0].isspace() and (len(after) < 2 or after[1].isupper() or after[1] == "\n")
    )


# -- abbreviations the text defines as something else ---------------------------

# "Skills Network Protocol (SNP)": the definition before the abbreviation.
_DEFINED_BEFORE = re.compile(r"((?:[\w&-]+[ \t\n]+){1,10})\([ \t]*([A-Z]{2,6})[ \t]*\)")
# "the NDP (New Development Plan)": the definition right after it.
_DEFINED_AFTER = re.compile(r"\b([A-Z]{2,6})[ \t]*\([ \t]*([^()\n]{3,90}?)[ \t]*\)")
_ABBREVIATION = re.compile(r"\b([A-Z]{2,6})\b")
_GAP = re.compile(r",?[ \t]+")
_WORD_GAP = re.compile(r"[\s,;:.()-]+")
_SMALL = frozenset(
    {"of", "and", "for", "the", "on", "in", "&", "a", "to", "de", "du", "des", "la", "le", "et"}
)


def _bare(matched: str) -> str:
    return re.sub(r"[^A-Za-z]", "", matched.split("'")[0]).upper().removesuffix("S") or matched


def _redefined_acronyms(text: str, lexicon: Lexicon, language: Language) -> set[str]:
    """Abbreviations the text spells out as something that is not a party, before the
    abbreviation ("New Development Plan (NDP)"), right after it ("NDP (New Development
    Plan)") or with a defining phrase ("NDP stands for New Development Plan")."""
    out: set[str] = set()
    if "(" in text:
        for m in _DEFINED_BEFORE.finditer(text):
            words = _words(m.group(1))
            for start in range(len(words)):
                if _initials(words[start:]) == m.group(2):
                    _add_if_not_party(out, m.group(2), words[start:], lexicon)
                    break
        for m in _DEFINED_AFTER.finditer(text):
            words = _words(m.group(2))
            if _initials(words) == m.group(1):
                _add_if_not_party(out, m.group(1), words, lexicon)
    for m in _ABBREVIATION.finditer(text):
        gap = _GAP.match(text, m.end())  # "NDP stands for", "NDP, or"
        d = language.defines.regex.match(text, gap.end()) if gap else None
        if d:
            words = _words(text[d.end() : d.end() + 120])[: len(m.group(1))]
            if _initials(words) == m.group(1):
                _add_if_not_party(out, m.group(1), words, lexicon)
    return out


def _words(text: str) -> list[str]:
    return [w for w in _WORD_GAP.split(text) if w and w.lower() not in _SMALL]


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def _add_if_not_party(out: set[str], acronym: str, words: list[str], lexicon: Lexicon) -> None:
    expansion = " ".join(words)
    if not lexicon.find(expansion) and not lexicon.find(expansion.title()):
        out.add(acronym)
