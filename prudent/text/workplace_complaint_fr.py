"""``workplace-complaint`` on French text: complaints about one's own job, boss,
colleagues or employer.

The same rule id and idea as ``workplace_complaint.py``, with French lists under
``guardrails/fr/``: a word for the author's own work (``workplace-words.txt``:
"mon patron", "ma gestionnaire", "au ministère", "au bureau", or an employer name
from ``rules.workplace-complaint.employer_names``) and, in the same sentence,

* a first-person feeling before it (``workplace-feelings.txt``): "je déteste mon
  travail", "j'en ai marre de mon patron", "ras le bol du bureau";
* a first-person feeling after it in the same sentence: "ma gestionnaire nous
  surcharge et je n'en peux plus";
* a judgement said of it (``workplace-complaints.txt`` and ``insults.txt``): "mon
  patron est nul", "la direction est incompétente", "mon travail est un enfer",
  "ma gestionnaire toxique", "mon incompétent de patron", or passed on the whole
  sentence with "c'est" ("mon employeur a gelé nos salaires, c'est honteux");
* what it does to its people (``workplace-conduct.txt``): "mon patron s'en fiche",
  "la direction nous ment", "mon employeur nous traite comme des numéros".

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
from prudent.text.workplace_complaint import employer_variants

KEY = "rules.workplace-complaint."
WORDS, FEELINGS, COMPLAINTS, INSULTS, CONDUCT = (
    "fr/workplace-words.txt",
    "fr/workplace-feelings.txt",
    "fr/workplace-complaints.txt",
    "fr/insults.txt",
    "fr/workplace-conduct.txt",
)
SARCASM = "fr/workplace-sarcasm.txt"
_COPULA = re.compile(
    r"[ \t]*(?:,[ \t]*)?(?:qui[ \t]+)?(?:(?:ne|n['’])[ \t]*)?(?:est|etait|sont|etaient|reste|"
    r"restent|devient|deviennent|semble|semblent|parait|demeure|a toujours ete|ont toujours ete|"
    r"c['’][ \t]*est|c['’][ \t]*etait)\b"
)
_BETWEEN = re.compile(
    r"\A(?:[ \t]+|(?:(?:un|une|des|le|la|les|l|d|du|de|vraiment|tellement|completement|"
    r"totalement|tout|toute|si|trop|franchement|vrai|vraie|veritable|tres|absolument|"
    r"carrement|juste|qu|que|ne|n|pas|jamais|plus|point|encore|toujours|devenu|devenue|"
    r"devenus|un peu|assez|vachement|d'une|d'un|aussi|si mal|mal|rien|d'autre|autre chose|"
    r"qu'une|qu'un|du travail|un travail|une job|un emploi|un milieu|un endroit|une place)"
    r"(?:['’][ \t]*|[ \t]+))){0,6}\Z"
)
# "..., c'est honteux": a judgement passed on what the sentence said of the workplace
_VERDICT = re.compile(r"(?:^|[,;:—–-][ \t]*|\bet[ \t]+)(?:c['’][ \t]*est|c['’][ \t]*etait)\b")
# An employer's acronym ("DES", "D.E.S.") is matched in its own capitals: "des" is a word.
_ACRONYM = re.compile(r"\A[A-Z0-9.& ]+\Z")
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
        names = employer_variants(policy.get_str_list(KEY + "employer_names", []))
        self.workplace = french.WordList(
            [entry for _, entry in policy.read_list(WORDS)]
            + [n for n in names if not _ACRONYM.match(n)],
            inflect=False,
        )
        acronyms = sorted((n for n in names if _ACRONYM.match(n)), key=len, reverse=True)
        self.acronyms = (
            re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, acronyms)) + r")(?![\w])")
            if acronyms
            else None
        )
        self.sarcasm = french.WordList(
            (entry for _, entry in policy.read_list(SARCASM)), inflect=False
        )
        self.conduct = french.WordList(
            (entry for _, entry in policy.read_list(CONDUCT)), inflect=False
        )
        self.feelings = french.WordList(
            (entry for _, entry in policy.read_list(FEELINGS)), inflect=False
        )
        judgements = [entry for _, entry in policy.read_list(COMPLAINTS)]
        judgements += [entry for _, entry in policy.read_list(INSULTS)]
        # "un tyran" also as "tyran", so that "un vrai tyran" is one too
        judgements += [_ARTICLE.sub("", j, count=1) for j in judgements if _ARTICLE.match(j)]
        self.judgements = french.WordList(judgements)

    def find_many(self, texts: list[str]) -> list[list[Hit]]:
        return [self._find(text) for text in texts]

    def _find(self, text: str) -> list[Hit]:
        if not text.strip():
            return []
        folded = fold_fr(text)
        places = self.workplace.find(folded)
        if self.acronyms is not None:
            places += [
                french.Found(m.start(), m.end(), m.group()) for m in self.acronyms.finditer(text)
            ]
        places += [french.Found(m.start(1), m.end(), m.group(1)) for m in _ROLE_OF.finditer(folded)]
        if not places:
            return []
        hits: list[Hit] = []
        for pa, pb in french.paragraphs(text):
            if not any(pa <= w.start < pb for w in places):
                continue
            about_work = False  # the sentence before was about one's own work
            for s, e in french.sentences(text, pa, pb):
                here = [w for w in places if s <= w.start < e]
                got = self._complaint(text, folded, s, e, here) if here else None
                got = got or (self._verdict(text, folded, s, e) if here or about_work else None)
                about_work = bool(here)
                if got:
                    a, b, message = got
                    hits.append(Hit(a, b, text[a:b], message, FIX))
        return hits

    def _verdict(self, text: str, folded: str, s: int, e: int) -> tuple[int, int, str] | None:
        """A sentence that is only a verdict or a sarcastic tag: "Ridicule.", "Merci
        pour rien.", "Vive la fonction publique!" (about work said just before)."""
        words = folded[s:e].strip(" .!?…").strip()
        if len(words.split()) > 6 or french.quoted(text, s, s + 1):
            return None
        subject = _PRONOUN_SUBJECT.match(folded, s)  # "... Il se fiche de ses employés."
        for c in (
            self.conduct.find(folded, subject.end(), min(e, subject.end() + 40)) if subject else []
        ):
            if not _NEGATED_CONDUCT.search(folded, max(s, c.start - 12), c.start):
                how = f"'{text[c.start : c.end]}', said of the person of the sentence before"
                return _complaint_at(text, s, c.end, how)
        for f in self.feelings.find(folded, s, e):  # "... J'ai hâte de demander ma mutation."
            if not _HYPOTHETICAL.search(folded, s, f.start):
                how = "a feeling right after talk about your work"
                return _complaint_at(text, f.start, f.end, how)
        found = self.sarcasm.at(folded, s)
        if found is None:
            return None
        rest = found.end
        while found is not None:  # "Injuste et écœurant.", "Ridicule, absurde."
            rest = found.end
            joined = _AND.match(folded, rest, e)
            found = self.sarcasm.at(folded, joined.end()) if joined else None
        if folded[rest:e].strip(" .!?…»\"'"):
            return None
        return _complaint_at(text, s, e, "a verdict or sarcasm after talk about your work")

    def _complaint(
        self, text: str, folded: str, s: int, e: int, places
    ) -> tuple[int, int, str] | None:
        if french.quoted(text, s, places[0].start):
            return None
        for w in places:
            if w.entry.startswith(("mon ", "ma ", "notre ")) and w.start + 4 < w.end:
                m = _ROLE_OF.match(folded, w.start)
                j = self.judgements.at(folded, folded.index(" ", w.start) + 1) if m else None
                if m and j is not None and not _HYPOTHETICAL.search(folded, s, w.start):
                    return _complaint_at(text, w.start, w.end, f"'{text[j.start : j.end]}'")
            # a feeling before the workplace word: "je déteste mon travail"
            for f in self.feelings.find(folded, max(s, w.start - 100), w.start):
                if _HYPOTHETICAL.search(folded, s, f.start):
                    continue
                how = f"the feeling '{text[f.start : f.end]}' about '{text[w.start : w.end]}'"
                return _complaint_at(text, f.start, w.end, how)
            if _HYPOTHETICAL.search(folded, s, w.start):
                continue
            # a feeling after it: "ma gestionnaire nous surcharge et je n'en peux plus"
            for f in self.feelings.find(folded, w.end, e):
                if not _HYPOTHETICAL.search(folded, w.end, f.start):
                    how = f"the feeling '{text[f.start : f.end]}' about '{text[w.start : w.end]}'"
                    return _complaint_at(text, w.start, f.end, how)
            # what it does to its people: "mon patron s'en fiche", "la direction nous ment"
            for c in self.conduct.find(folded, w.end, min(e, w.end + 60)):
                if _NEGATED_CONDUCT.search(folded, max(w.end, c.start - 12), c.start) or (
                    _NEGATION_AFTER.match(folded, c.end) or french.quoted(text, s, c.start)
                ):
                    continue
                how = f"'{text[c.start : c.end]}', said of '{text[w.start : w.end]}'"
                return _complaint_at(text, w.start, c.end, how)
            # "mon patron est nul", "ma gestionnaire toxique", "la direction, c'est une farce",
            # "mes collègues de l'unité sont des paresseux" (the workplace word's field first)
            m = _COPULA.match(folded, w.end)
            if m is None:
                ahead = _COPULA.search(folded, w.end, min(e, w.end + 60))
                if ahead and french.FIELD.fullmatch(folded, w.end, ahead.start()):
                    m = ahead
            at = m.end() if m else w.end
            for j in self.judgements.find(folded, at, min(e, at + 80)):
                between = _LIST_BEFORE.sub(" ", folded[at : j.start], count=1)
                if not _BETWEEN.match(between):
                    break
                if m is None and between.strip():
                    break  # right after the word, with nothing between: "mon patron nul"
                if french.negated(folded, w.end, j.start):
                    break
                how = f"'{text[j.start : j.end]}' said of '{text[w.start : w.end]}'"
                return _complaint_at(text, w.start, j.end, how)
            # "mon employeur nous traite comme des numéros, c'est honteux"
            for v in _VERDICT.finditer(folded, w.end, e):
                at = v.end()
                j = next(iter(self.judgements.find(folded, at, min(e, at + 40))), None)
                if j is None or not _BETWEEN.match(folded[at : j.start]):
                    continue
                if french.negated(folded, v.start(), j.start):
                    continue
                verdict = text[v.start() : j.end].lstrip(",;:—–- ")
                how = f"'{verdict}', said of what '{text[w.start : w.end]}' did"
                return _complaint_at(text, w.start, j.end, how)
        return None


_ARTICLE = re.compile(r"(?:un|une|le|la|du|de la)\s+(?=\w)")
_PRONOUN_SUBJECT = re.compile(r"(?:il|elle|ils|elles|on)\b")
_AND = re.compile(r"[ \t]*(?:,|\bet\b|\bpis\b)[ \t]*")
# "mon patron ne nous ment jamais": the negation at the conduct, not anywhere before it
_NEGATED_CONDUCT = re.compile(r"(?:\bne|\bn['’])[ \t]*(?:\w+['’]?[ \t]*)?\Z")
_NEGATION_AFTER = re.compile(r"[ \t]+(?:pas|jamais|guere|nullement|aucunement|plus)\b")


def _complaint_at(text: str, a: int, b: int, how: str) -> tuple[int, int, str]:
    """The span ``text[a:b]`` and the finding's message; ``how`` says what was found."""
    message = (
        f"'{_clip(text[a:b])}' is a complaint about your own workplace ({how}, in French): "
        "public servants must not publish complaints about their job, boss, colleagues or "
        "employer"
    )
    return a, b, message


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
