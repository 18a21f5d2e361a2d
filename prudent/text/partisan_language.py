"""How campaign talk is phrased in a language: ``guardrails/partisan/language/<lang>.txt``.

One file a language, in sections (``[ordinary]``, ``[campaign]``...; the English
file explains each). The jurisdictions' lists say *who* and *what* (parties,
people, slogans); this says how a sentence takes sides: which words are ordinary
in lower case, which make a sentence campaign talk, and the phrases that endorse
or oppose a candidate ("vote for", "re-elect", "should be Prime Minister",
"Trump 2028!"). A person's name alone is never partisan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from prudent.policy import Policy, PolicyError
from prudent.text.lexicon import Entry, Lexicon, Match, compile_entry, compile_phrase

SECTIONS = (
    "ordinary",
    "campaign",
    "endorse-before",
    "endorse-any-name",
    "endorse-after",
    "endorse-later",
    "offices",
    "history",
    "defines",
)
# Groups of the entries looked up together with the parties (Lexicon groups).
PERSON, OFFICE, ANY_NAME = "person", "office", "any-name"

# A capitalised name of one to three words ("Jane Doe", "O'Neill", the "X" of "Mayor X").
# "O'Neill" but not "Chow's": a possessive is about the person's plan, not the person.
_NAME_WORD = r"[A-Z](?:[a-z]+(?:'[A-Z][a-z]+|-[A-Z]?[a-z]+)*|\.(?=[ \t]+[A-Z])|(?![\w']))"
_NAME = re.compile(rf"[ \t]+({_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})")
_POSSESSIVE = re.compile(r"'s?\Z")
_CAMPAIGN_NOUN = re.compile(
    r"(?:'s?)?[ \t]+(?:campaign|re-?election|candidacy|bid|ticket|party|team|caucus)\b", re.I
)
# A running mate joined to a candidate: "Biden-Harris", "Harris/Walz", "Trump & Vance".
_TICKET_AFTER = re.compile(rf"[ \t]*[-/&+][ \t]*{_NAME_WORD}")
_TICKET_BEFORE = re.compile(rf"{_NAME_WORD}[ \t]*[-/&+][ \t]*\Z")


@dataclass(frozen=True)
class Phrases:
    """Phrases of one section, tried together; ``which`` says which one matched."""

    regex: re.Pattern[str]
    sources: list[tuple[str, str]]  # (file:line, phrase as written), by group number

    def which(self, m: re.Match[str]) -> tuple[str, str]:
        return self.sources[(m.lastindex or 1) - 1]


@dataclass(frozen=True)
class Endorsement:
    start: int
    end: int
    who: str  # the name as written
    person: Entry | None  # the people-list entry, or None for "Mayor X"
    phrase: tuple[str, str]  # (file:line, phrase as written)


class Language:
    def __init__(self, sections: dict[str, list[tuple[str, int, str]]]) -> None:
        self.ordinary = frozenset(raw.lower() for _, _, raw in sections["ordinary"])
        self.campaign = Lexicon.of(_entries(sections["campaign"]))
        # Looked up with the people lists in one pass (see PartisanRule): the groups say
        # which is which.
        self.name_entries = _entries(sections["offices"], OFFICE) + _entries(
            sections["endorse-any-name"], ANY_NAME
        )
        offices = "|".join(
            compile_phrase(raw, path, line) for path, line, raw in sections["offices"]
        )
        office_prefix = rf"(?:(?:{offices})[ \t]+)?" if offices else ""
        # Right before a candidate (an office title may stand between: "vote for Mayor").
        self.before = _phrases(sections["endorse-before"], "", rf"[ \t]+{office_prefix}\Z")
        self.after = _phrases(sections["endorse-after"], r"[ \t]*,?[ \t]*", "")
        # Later in the sentence, or in the next one, pointing back with a pronoun
        # ("Mark Carney ...; il faut le battre", "... Je l'appuie à 100 %").
        self.later = _phrases(sections["endorse-later"], "", "")
        self.history = _phrases(sections["history"], "", "")
        self.defines = _phrases(sections["defines"], "", "")

    @classmethod
    def load(cls, policy: Policy, relpaths: list[str]) -> Language:
        sections: dict[str, list[tuple[str, int, str]]] = {s: [] for s in SECTIONS}
        for rel in relpaths:
            path = f"guardrails/{rel}"
            current = None
            for line, raw in policy.read_list(rel):
                if raw.startswith("[") and raw.endswith("]"):
                    current = raw[1:-1].strip()
                    if current not in sections:
                        known = ", ".join(f"[{s}]" for s in SECTIONS)
                        raise PolicyError(
                            path, line, f"unknown section {raw}; the sections are {known}"
                        )
                    continue
                if current is None:
                    raise PolicyError(path, line, "an entry before the first [section]")
                if current not in ("campaign", "offices", "endorse-any-name"):
                    raw = raw.partition(" = ")[0].strip()  # a note, for the reader only
                sections[current].append((path, line, raw))
        return cls(sections)

    # -- judging a match ---------------------------------------------------

    def ordinary_only(self, matched: str) -> bool:
        """Whether every word of ``matched`` is ordinary in lower case."""
        words = re.findall(r"[^\W\d_]+", matched.lower().replace("'s", ""))
        return all(
            w in self.ordinary or (w.endswith("s") and w[:-1] in self.ordinary) for w in words
        )

    def campaign_word(self, text: str, start: int, end: int, skip: tuple[int, int]) -> str | None:
        """A campaign word in ``text[start:end]`` outside the span ``skip``."""
        for m in self.campaign.find(text[start:end]):
            a, b = start + m.start, start + m.end
            if b <= skip[0] or a >= skip[1]:
                return text[a:b]
        return None

    def historical(self, sentence: str) -> bool:
        return self.history.regex.search(sentence) is not None

    # -- endorsements --------------------------------------------------------

    def endorsements(self, text: str, matches: list[Match]) -> list[Endorsement]:
        """Endorsement or opposition of a candidate: a listed person, or an office and a
        name ("Mayor X"), with a campaign phrase right before or after (or a ticket and a
        year: "Biden-Harris 2024!"); a strong phrase ("re-elect") takes any name.
        ``matches`` are the text's matches of people-list entries (group ``PERSON``) and
        of this language's ``name_entries``."""
        candidates: list[tuple[int, int, Entry | None]] = []
        matches = [m for m in matches if m.exact or not m.entry.strict_case]  # "gov."
        for m in matches:
            if m.entry.group == PERSON and _not_their_thing(text, m.start, m.end):
                candidates.append((m.start, m.end, m.entry))
        for m in matches:
            if m.entry.group == OFFICE:
                name = _name_at(text, m.end)
                if name and not _overlaps(candidates, m.start, name.end()):
                    candidates.append((m.start, name.end(), None))
        out: list[Endorsement] = []
        for start, end, person in sorted(candidates, key=lambda c: c[0]):
            ticket = _TICKET_AFTER.match(text, end)
            if ticket:
                end = ticket.end()
            lead = _TICKET_BEFORE.search(text, max(0, start - 30), start)
            if lead:
                start = lead.start()
            before = self.before.regex.search(text, max(0, start - 80), start)
            after = self.after.regex.match(text, end)
            if not (before or after) and self.later.sources:
                later = self.later.regex.search(text, end, _next_sentence_end(text, end))
                if later:
                    phrase = self.later.which(later)
                    out.append(Endorsement(start, later.end(), text[start:end], person, phrase))
                    continue
            if before or after:
                chosen = self.before.which(before) if before else self.after.which(after)  # type: ignore[arg-type]
                out.append(
                    Endorsement(
                        before.start() if before else start,
                        after.end() if after else end,
                        text[start:end],
                        person,
                        chosen,
                    )
                )
        for m in matches:
            if m.entry.group != ANY_NAME:
                continue
            name = _name_at(text, m.end)
            if name and not any(e.start <= m.start < e.end for e in out):
                raw = (m.entry.source, m.entry.text)
                out.append(Endorsement(m.start, name.end(), name.group(1), None, raw))
        return out


def _next_sentence_end(text: str, at: int) -> int:
    """Where the sentence after the one holding ``at`` ends (its paragraph at most)."""
    for ends, m in enumerate(_SENTENCE_END.finditer(text, at, min(len(text), at + 300)), 1):
        if m.group().count("\n") >= 2 or ends == 2:
            return m.start()
    return min(len(text), at + 300)


_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|\Z)|\n[ \t]*\n")


def _name_at(text: str, at: int) -> re.Match[str] | None:
    """A capitalised name right after ``at``, unless it is a possessive ("Chow's")."""
    name = _NAME.match(text, at)
    if name is None or text[name.end() : name.end() + 1] != "'":
        return name
    return name if _CAMPAIGN_NOUN.match(text, name.end()) else None


def _not_their_thing(text: str, start: int, end: int) -> bool:
    """A name, or a possessive of their campaign ("Bernie's campaign"), not of some
    other thing of theirs ("Mayor Chow's budget", "Trump's successor")."""
    return not _POSSESSIVE.search(text, start, end) or bool(_CAMPAIGN_NOUN.match(text, end))


def _overlaps(spans: list[tuple[int, int, Entry | None]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b, _ in spans)


def _entries(rows: list[tuple[str, int, str]], group: str = "") -> list[Entry]:
    return [compile_entry(raw, path, line, group) for path, line, raw in rows]


def _phrases(rows: list[tuple[str, int, str]], lead: str, tail: str) -> Phrases:
    if not rows:
        return Phrases(re.compile(r"(?!x)x"), [])
    parts = "|".join(f"({compile_phrase(raw, path, line)})" for path, line, raw in rows)
    pattern = (lead or r"(?<![\w])") + rf"(?:{parts})(?![\w]){tail}"
    return Phrases(re.compile(pattern, re.I), [(f"{path}:{line}", raw) for path, line, raw in rows])
