"""``workplace-complaint`` on French text: complaints about one's own job, boss,
colleagues or employer.

The same rule id and idea as ``workplace_complaint.py``, with French lists under
``guardrails/fr/``: a word for the author's own work (``workplace-words.txt``:
"mon patron", "ma gestionnaire", "au ministère", "au bureau", or an employer name
from ``rules.workplace-complaint.employer_names``) and, in the same sentence,

* a first-person feeling before it (``workplace-feelings.txt``): "je déteste mon
  travail", "j'en ai marre de mon patron", "ras le bol du bureau";
* a judgement said of it (``workplace-complaints.txt`` and ``insults.txt``): "mon
  patron est nul", "la direction est incompétente", "mon travail est un enfer",
  "ma gestionnaire toxique", "mon incompétent de patron".

Negated ("je ne déteste pas mon travail", "mon patron n'est pas nul") and
hypothetical ("si votre patron est nul, ...") sentences, someone else's workplace
("son patron", "ton bureau") and neutral talk pass.
"""

from __future__ import annotations

import re

from prudent.policy import Policy
from prudent.text import french
from prudent.text.french import fold_fr
from prudent.text.hits import Hit

KEY = "rules.workplace-complaint."
WORDS, FEELINGS, COMPLAINTS, INSULTS = (
    "fr/workplace-words.txt",
    "fr/workplace-feelings.txt",
    "fr/workplace-complaints.txt",
    "fr/insults.txt",
)
_COPULA = re.compile(
    r"[ \t]*(?:,[ \t]*)?(?:qui[ \t]+)?(?:(?:ne|n['’])[ \t]*)?(?:est|etait|sont|etaient|reste|"
    r"restent|devient|deviennent|semble|semblent|parait|demeure|a toujours ete|ont toujours ete|"
    r"c['’][ \t]*est|c['’][ \t]*etait)\b"
)
_BETWEEN = re.compile(
    r"\A(?:[ \t]+|(?:(?:un|une|des|le|la|les|l|d|du|de|vraiment|tellement|completement|"
    r"totalement|tout|toute|si|trop|franchement|vrai|vraie|veritable|tres|absolument|"
    r"carrement|juste|qu|que|ne|n|pas|jamais|plus|point|encore|toujours|devenu|devenue|"
    r"devenus|un peu|assez|vachement|d'une|d'un)(?:['’][ \t]*|[ \t]+))){0,6}\Z"
)
# "est complètement déconnectée et inutile": other words said of it before the judgement
_LIST_BEFORE = re.compile(r"\A(?:[ \t]+[\w'’-]+){1,3}[ \t]*(?:,|\bet\b|\bou\b)(?=[ \t])")
_HYPOTHETICAL = re.compile(r"\b(?:si|s['’]il|s['’]ils|quand|lorsque|lorsqu['’]|meme si)\b")
# "mon incompétent de patron": an insult between the owner and the role
_ROLE_OF = re.compile(
    r"\b((?:mon|ma|notre)[ \t]+[a-z]+[ \t]+(?:de|d['’])[ \t]*(?:patron|patronne|boss|gestionnaire|"
    r"chef|cheffe|superviseur|superviseure|directeur|directrice|employeur|ministere|bureau|job|"
    r"travail|emploi))\b"
)
FIX = (
    "raise it through your workplace's own channels (your manager, HR, a staff "
    "representative) instead of publishing it, or describe the situation without "
    "judging your workplace"
)


class FrenchWorkplaceComplaintDetector:
    """Finds complaints about the author's own work in French prose."""

    language = "fr"

    def __init__(self, policy: Policy) -> None:
        names = policy.get_str_list(KEY + "employer_names", [])
        self.workplace = french.WordList(
            [entry for _, entry in policy.read_list(WORDS)] + names, inflect=False
        )
        self.feelings = french.WordList(
            (entry for _, entry in policy.read_list(FEELINGS)), inflect=False
        )
        self.judgements = french.WordList(
            [entry for _, entry in policy.read_list(COMPLAINTS)]
            + [entry for _, entry in policy.read_list(INSULTS)]
        )

    def find_many(self, texts: list[str]) -> list[list[Hit]]:
        return [self._find(text) for text in texts]

    def _find(self, text: str) -> list[Hit]:
        if not text.strip():
            return []
        folded = fold_fr(text)
        places = self.workplace.find(folded)
        places += [french.Found(m.start(1), m.end(), m.group(1)) for m in _ROLE_OF.finditer(folded)]
        if not places:
            return []
        hits: list[Hit] = []
        for pa, pb in french.paragraphs(text):
            if not any(pa <= w.start < pb for w in places):
                continue
            for s, e in french.sentences(text, pa, pb):
                here = [w for w in places if s <= w.start < e]
                if not here:
                    continue
                got = self._complaint(text, folded, s, e, here)
                if got:
                    a, b, message = got
                    hits.append(Hit(a, b, text[a:b], message, FIX))
        return hits

    def _complaint(self, text: str, folded: str, s: int, e: int, places) -> tuple | None:
        if french.quoted(text, s, places[0].start):
            return None
        for w in places:
            if w.entry.startswith(("mon ", "ma ", "notre ")) and w.start + 4 < w.end:
                m = _ROLE_OF.match(folded, w.start)
                j = self.judgements.at(folded, folded.index(" ", w.start) + 1) if m else None
                if m and j is not None and not _HYPOTHETICAL.search(folded, s, w.start):
                    return (
                        w.start,
                        w.end,
                        f"'{_clip(text[w.start : w.end])}' is a complaint about your own "
                        f"workplace ('{text[j.start : j.end]}', in French): public servants "
                        "must not publish complaints about their job, boss, colleagues or employer",
                    )
            # a feeling before the workplace word: "je déteste mon travail"
            for f in self.feelings.find(folded, max(s, w.start - 100), w.start):
                if _HYPOTHETICAL.search(folded, s, f.start):
                    continue
                said = text[f.start : w.end]
                return (
                    f.start,
                    w.end,
                    f"'{_clip(said)}' is a complaint about your own workplace (the feeling "
                    f"'{text[f.start : f.end]}' about '{text[w.start : w.end]}', in French): "
                    "public servants must not publish complaints about their job, boss, "
                    "colleagues or employer",
                )
            if _HYPOTHETICAL.search(folded, s, w.start):
                continue
            # "mon patron est nul", "ma gestionnaire toxique", "la direction, c'est une farce"
            m = _COPULA.match(folded, w.end)
            at = m.end() if m else w.end
            for j in self.judgements.find(folded, at, min(e, at + 80)):
                between = _LIST_BEFORE.sub(" ", folded[at : j.start], count=1)
                if not _BETWEEN.match(between):
                    break
                if m is None and between.strip():
                    break  # right after the word, with nothing between: "mon patron nul"
                if french.negated(folded, w.end, j.start):
                    break
                return (
                    w.start,
                    j.end,
                    f"'{_clip(text[w.start : j.end])}' is a complaint about your own workplace "
                    f"('{text[j.start : j.end]}' said of '{text[w.start : w.end]}', in French): "
                    "public servants must not publish complaints about their job, boss, "
                    "colleagues or employer",
                )
        return None


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
