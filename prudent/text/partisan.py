"""``partisan``: party names, their abbreviations and nicknames, and campaign talk.

The words are data: one list per jurisdiction under ``guardrails/partisan/``
(``ca``, ``uk``, ``us`` ship with Prudent), chosen by the policy. Ambiguous
words ("liberal", "labour", "party") are listed only with the context that
makes them partisan, so ordinary use passes (see ``lexicon.py`` for the
syntax).
"""

from __future__ import annotations

import re

from prudent.policy import Policy
from prudent.text.hits import Hit
from prudent.text.lexicon import Lexicon
from prudent.text.links import Link
from prudent.text.official_link import DomainList

RULE = "partisan"
DEFAULT_LEXICONS = ["ca", "uk", "us"]
WHY = (
    "a public servant's personal notebook must stay politically neutral, and party names "
    "or campaign talk read as taking sides"
)
FIX = "Rephrase without the party or campaign (discuss the policy idea, not who backs it)"


class PartisanRule:
    def __init__(self, policy: Policy) -> None:
        key = f"rules.{RULE}"
        names = policy.get_str_list(f"{key}.lexicons", DEFAULT_LEXICONS)
        lists = [f"partisan/{name}.txt" for name in names]
        lists += policy.get_str_list(f"{key}.extra_lists", [])
        allow_lists = policy.get_str_list(f"{key}.allow_lists", ["partisan/allow.txt"])
        self.lexicon = Lexicon.load(policy, lists)
        self.allowed = Lexicon.load(policy, allow_lists)
        domains = policy.get_str_list(f"{key}.domain_lists", ["partisan/party-domains.txt"])
        self.domains = DomainList.load(policy, domains, [])

    def find_links(self, links: list[Link]) -> list[tuple[Link, str]]:
        """Links to a party's or a campaign's own site, with the list entry each matched."""
        out = []
        for link in links:
            entry = self.domains.match(link.host)
            if entry:
                out.append((link, entry))
        return out

    def find(self, text: str, lexical: str | None = None) -> list[Hit]:
        """Hits in prepared prose; ``lexical`` is its ``Prepared.lexical`` form."""
        lexical = text if lexical is None else lexical
        matches = self.lexicon.find(lexical)
        if not matches:
            return []
        allowed = [(m.start, m.end) for m in self.allowed.find(lexical)]
        redefined = _local_acronyms(text, self.lexicon) if "(" in text else set()
        hits = []
        for m in matches:
            if any(a <= m.start and m.end <= b for a, b in allowed):
                continue
            if m.entry.abbreviation and _bare(text[m.start : m.end]) in redefined:
                continue
            what = f" ({m.entry.note})" if m.entry.note else ""
            hits.append(
                Hit(
                    m.start,
                    m.end,
                    text[m.start : m.end],
                    f"political party or campaign talk{what}: {WHY} (listed in {m.entry.source})",
                    FIX,
                )
            )
        return hits


# "Skills Network Protocol (SNP)": an acronym the text defines as something else.
_DEFINITION = re.compile(
    r"((?:[A-Z][\w-]*[ \t\n]+(?:(?:of|and|for|the|on|in|&)[ \t\n]+)*){2,8})\([ \t]*([A-Z]{2,6})[ \t]*\)"
)
_SMALL = frozenset({"of", "and", "for", "the", "on", "in", "&"})


def _bare(matched: str) -> str:
    return re.sub(r"[^A-Za-z]", "", matched.split("'")[0]).upper().removesuffix("S") or matched


def _local_acronyms(text: str, lexicon: Lexicon) -> set[str]:
    """Acronyms the text spells out as something that is not a party."""
    out = set()
    for m in _DEFINITION.finditer(text):
        words = [w for w in re.split(r"[\s-]+", m.group(1)) if w and w.lower() not in _SMALL]
        acronym = m.group(2)
        for start in range(len(words)):
            initials = "".join(w[0] for w in words[start:]).upper()
            if initials == acronym:
                expansion = " ".join(words[start:])
                if not lexicon.find(expansion):
                    out.add(acronym)
                break
    return out
