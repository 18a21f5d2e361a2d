"""``personal-attack`` on French text: insults aimed at a named or identifiable person.

The same rule id and the same idea as ``personal_attack.py``, with French grammar.
A listed insult (``guardrails/fr/insults.txt``) counts when French says it of
someone the reader can identify:

* a predicate: "Jean Dupont est un imbécile", "Karine Roy est nulle", "la
  ministre est une menteuse", "Marc, qui est un crétin, ...";
* "ce crétin de Marc", "l'imbécile de Paul", "cette idiote Julie";
* an apposition: "Marc, ce lâche, ...", "Paul, quel imbécile!";
* "espèce de ..." in a sentence that names someone ("Marc, espèce d'idiot!");
* a pronoun whose person was named earlier in the paragraph: "J'ai parlé à Karine
  Roy. Elle est nulle." ("il", "elle", "c'est").

The target is a name (spaCy's French ``PER`` entities decide a name spaCy knows
as a place or an organisation is none), a title held by one person
(``guardrails/fr/person-titles.txt``: "le ministre", "ma gestionnaire"), an
@handle or a pronoun pointing back to one of those. Negations ("n'est pas un
idiot", "n'est jamais nul", "loin d'être un crétin"), the author ("je suis nul"),
quoted words and things ("ce formulaire est nul") pass. Messages are in English
and quote the French words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from prudent.policy import Policy
from prudent.text import french
from prudent.text.french import Person, fold_fr
from prudent.text.hits import Hit

KEY = "rules.personal-attack."
INSULTS = "fr/insults.txt"
TITLES = "fr/person-titles.txt"
FIRST_NAMES = "fr/first-names.txt"
PREDICATES = "fr/demeaning-predicates.txt"
# "notre nouvelle directrice", "le fameux ministre": words between an owner and the title
_TITLE_ADJECTIVES = (
    "nouveau",
    "nouvel",
    "nouvelle",
    "cher",
    "chere",
    "fameux",
    "fameuse",
    "actuel",
    "actuelle",
    "ancien",
    "ancienne",
    "grand",
    "grande",
    "excellent",
    "excellente",
    "estime",
    "estimee",
    "honorable",
    "brillant",
    "brillante",
    "propre",
)
_DETERMINERS = ("le", "la", "l'", "mon", "ma", "notre", "ce", "cet", "cette")

_COPULA = re.compile(
    r"(?:\b(?:ne|n['’])\s*)?\b(?:est|etait|etais|sera|serait|reste|restera|demeure|semble|"
    r"parait|devient|est devenu|est devenue|a toujours ete|a ete|avait ete|s['’]\s*avere|"
    r"s['’]\s*est montre|s['’]\s*est montree|es|es vraiment|etes)\b"
)
# Words that may stand between the verb and the insult: "est (vraiment) un (vrai) crétin".
_BETWEEN = re.compile(
    r"\A(?:\s+|(?:(?:un|une|des|le|la|les|l|d|du|de|vraiment|tellement|completement|"
    r"totalement|tout|toute|si|trop|franchement|vrai|vraie|veritable|sacre|sacree|gros|"
    r"grosse|pauvre|parfait|parfaite|pur|pure|tres|super|absolument|profondement|beau|bel|"
    r"carrement|juste|qu|que|ne|n|pas|jamais|plus|point|loin|d'etre|etre|rien|sauf|pire|"
    r"plus grand|plus grande|d'une|d'un|personne|homme|femme|gars|fille|type|"
    r"aussi|encore|toujours|franche|bel|belle|bien|un peu|assez|royalement|vachement)"
    r"(?:['’]\s*|\s+))){0,6}\Z"
)
_DEMONSTRATIVE = re.compile(
    r"(?:\b(?:ce|cet|cette|quel|quelle|le|la|l|un|une|sale|gros|grosse|pauvre|vrai|vraie|"
    r"maudit|maudite|mautadit|"
    r"espece\s+de|espece\s+d)(?:['’]\s*|\s+)){1,3}\Z"
)
_OF_NAME = re.compile(r"[ \t]+(?:de|d['’])[ \t]*|[ \t]*d['’]|[ \t]+")
_ESPECE = re.compile(
    r"\b(?:espece|ostie|osti|hostie|criss|crisse|tabarnak|tabarnac|calice)\s+(?:de\s+|d['’]\s*)"
    r"(?:(?:sale|gros|grosse|vieux|vieille|pauvre|maudit|maudite)\s+)?\Z"
)
_APPOSITION = re.compile(
    r"[ \t]*,[ \t]*(?:(?:ce|cet|cette|quel|quelle|le|la|l|sale|gros|grosse|pauvre|vrai|vraie)(?:['’][ \t]*|[ \t]+)){1,2}\Z"
)
_RELATIVE = re.compile(r"[ \t]*,?[ \t]*qui[ \t]+\Z")
_PRONOUN_BEFORE = re.compile(r"(?:\b(il|elle|tu|vous|je|nous|on)\s+|\b(c|t|j)['’]\s*)\Z")
_FOLLOWING = re.compile(r"\A\s*(?:de|d['’]|a|en|pour)\b")  # "fou de joie", "nul en maths"
_SENTENCE_CONTEXT = 3
_VOCATIVE = re.compile(rf"(?:^|(?<=[,;:!?.]\s))([{french._UPPER}][\w'’-]+)(?=[ \t]*[,!])")

FIX = "criticise the idea, the decision or the work, not the person; or leave the insult out"


class FrenchPersonalAttackDetector:
    """Finds insults aimed at people in French prose (see the module docstring)."""

    language = "fr"

    def __init__(self, policy: Policy) -> None:
        self.insults = french.WordList(entry for _, entry in policy.read_list(INSULTS))
        self.titles = french.WordList(
            _with_adjectives(e for _, e in policy.read_list(TITLES)), inflect=False
        )
        self.first_names = frozenset(
            french.fold_fr(entry) for _, entry in policy.read_list(FIRST_NAMES)
        )
        self.predicates = french.WordList(
            (entry for _, entry in policy.read_list(PREDICATES)), inflect=False
        )

    def find_many(self, texts: list[str]) -> list[list[Hit]]:
        results: list[list[Hit]] = [[] for _ in texts]
        work: list[tuple[int, int, int, int, int, int, list[tuple[int, int]]]] = []
        # (text, paragraph, window start, sentence start, end, the next sentence's end, hits)
        verbs: set[tuple[int, int, int]] = set()  # demeaning predicates: (text, start, end)
        for ti, text in enumerate(texts):
            if not text.strip():
                continue
            folded = fold_fr(text)
            said = self.predicates.find(folded)
            verbs.update((ti, f.start, f.end) for f in said)
            found = self.insults.find(folded) + said
            if not found:
                continue
            for pa, pb in french.paragraphs(text):
                if not any(pa <= f.start < pb for f in found):
                    continue
                spans = french.sentences(text, pa, pb)
                for i, (s, e) in enumerate(spans):
                    hits = sorted((f.start, f.end) for f in found if s <= f.start < e)
                    if hits:
                        ws = spans[max(0, i - _SENTENCE_CONTEXT)][0]
                        ne = spans[i + 1][1] if i + 1 < len(spans) else e
                        work.append((ti, pa, ws, s, e, ne, hits))
        if not work:
            return results
        docs = french.parse([texts[ti][ws:ne] for ti, _, ws, _, _, ne, _ in work])
        for (ti, _, ws, s, e, ne, hits), doc in zip(work, docs, strict=True):
            text = texts[ti]
            folded = fold_fr(text)
            people = _entities(doc, ws)
            judged = _Sentence(self, text, folded, ws, s, e, people, ne)
            last = -1
            for a, b in hits:
                if a < last:
                    continue
                predicate = (ti, a, b) in verbs
                if last >= 0 and predicate:
                    continue  # "Ce crétin de Paul a encore menti": one finding is enough
                got = judged.target(a, b, predicate)
                if got is None:
                    continue
                target, how = got
                start = max(s, min(target.start, a)) if target.start >= s else a
                end = max(b, target.end if target.start >= s else b)
                last = end
                word = text[a:b]
                results[ti].append(
                    Hit(
                        start,
                        end,
                        text[start:end],
                        f"'{word}' is aimed at {target.who()} ({how}): an insult or demeaning "
                        "claim about a named or identifiable person, in French. Public "
                        "servants must not attack people in public, however they are named",
                        FIX,
                    )
                )
        return results


def _entities(doc, offset: int) -> list[tuple[int, int, str]]:
    return [(offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents]


class _Sentence:
    """One sentence with an insult in it, and what is known of the people around it."""

    def __init__(
        self,
        rule: FrenchPersonalAttackDetector,
        text: str,
        folded: str,
        ws: int,
        s: int,
        e: int,
        entities: list[tuple[int, int, str]],
        ne: int,
    ) -> None:
        self.rule, self.text, self.folded = rule, text, folded
        self.ws, self.s, self.e, self.ne = ws, s, e, ne
        self.entities = entities

    # -- who ------------------------------------------------------------------

    def _first_name(self, word: str) -> bool:
        """A common first name, compound ones by their first part ("Pierre-Luc")."""
        folded = fold_fr(word)
        return folded in self.rule.first_names or folded.split("-")[0] in self.rule.first_names

    def _label(self, a: int, b: int) -> str | None:
        # spaCy's small French model takes many names for places or organisations:
        # a run that starts with a common first name is a person's whatever it says.
        first = self.text[a:b].split()[:1]
        if first and self._first_name(first[0]):
            return "PER"
        for x, y, label in self.entities:
            if x < b and a < y:
                return label
        return None

    def name_ending(self, end: int, floor: int) -> Person | None:
        """A person's name, a title or a handle ending right before ``end``."""
        title = self.rule.titles.at_end(self.folded, end, floor)
        if title is not None:
            # "la ministre Roy" is caught below by the name; "la ministre" alone here
            return Person(title.start, title.end, self.text[title.start : title.end])
        # "la présidente du conseil", "le directeur de la division": a title and its field
        for title in reversed(self.rule.titles.find(self.folded, max(floor, end - 80), end)):
            if french.FIELD.fullmatch(self.folded, title.end, end):
                return Person(title.start, end, self.text[title.start : end])
        m = french.HANDLE.search(self.text, max(floor, end - 32), end)
        if m and m.end() == end:
            return Person(m.start(), m.end(), m.group())
        m = french.NAME_BEFORE.search(self.text, floor, end)
        if m is None:
            return None
        a, b = m.start(1), m.end(1)
        # "Cette Chantal Dubé": the words before the name are no part of it
        while (w := self.text[a:b].split(maxsplit=1)) and len(w) > 1:
            if fold_fr(w[0].strip(".'’")) not in french.NOT_NAMES:
                break
            a = self.text.index(w[1], a + len(w[0]))
        if _PET.search(self.folded, max(floor, a - 30), a) or self.text[a:b].isupper():
            return None  # "Mon chien Pistache est un vrai paresseux", "Mon GPS est fou"
        # "le ministre Dupuis", "la ministre Girard": a title makes the name a person's
        title = self.rule.titles.at_end(self.folded, a - 1, floor) if a > floor else None
        if title is not None and self.text[a - 1] in " \t":
            return Person(title.start, b, self.text[title.start : b])
        sentence_start = self._sentence_start(a)
        label = self._label(a, b)
        if label in ("LOC", "ORG", "MISC"):
            return None
        if label != "PER" and not french.plausible_name(self.text, a, b, sentence_start):
            return None
        words = self.text[a:b].split()
        while words and fold_fr(words[0].strip(".'’")) in french.NOT_NAMES:
            a += len(words[0]) + 1
            words = words[1:]
        if not words:
            return None
        title = self.rule.titles.at_end(self.folded, a - 1, floor) if a > floor else None
        if title is not None:
            a = title.start
        return Person(a, b, self.text[a:b].strip())

    def name_starting(self, start: int) -> Person | None:
        m = french.NAME_AFTER.match(self.text, start, self.e)
        if m is None:
            return None
        a, b = m.start(1), m.end(1)
        if self._label(a, b) in ("LOC", "ORG", "MISC") or self.text[a:b].isupper():
            return None  # an organisation, a place, an acronym ("ce niaiseux de GPS")
        words = self.text[a:b].split()
        if all(fold_fr(w.strip(".'’")) in french.NOT_NAMES for w in words):
            return None
        return Person(a, b, self.text[a:b])

    def _predicate(self, a: int) -> tuple[Person, str] | None:
        """A demeaning claim made with a verb: "Marc ne comprend rien", "la ministre
        n'a aucune idée de ce qu'elle fait", "Il ment comme il respire" (after a name)."""
        text, folded, s = self.text, self.folded, self.s
        before = a
        rel = _RELATIVE.search(folded, s, before)
        if rel and rel.end() == before:
            before = rel.start()
        pron = _SUBJECT_PRONOUN.search(folded, s, before)
        if pron and pron.end() == before:
            if pron.group(1) in ("tu", "t", "vous"):  # "Steve, t'as l'air d'un singe"
                who = self.someone_named(s, self.e) or self.someone_named(self.ws, s)
            elif pron.group(1) in ("il", "elle"):
                who = self.someone_named(self.ws, s)
            else:
                who = None
            if who is None:
                return None
            via = text[pron.start() : before].strip()
            return Person(pron.start(), before, who.name, via), "a pronoun for someone named before"
        who = self.name_ending(_trim_end(text, s, before), s)
        return (who, "said of them") if who is not None else None

    def _sentence_start(self, at: int) -> int:
        return self.s if at >= self.s else self.ws

    def someone_named(self, lo: int, hi: int) -> Person | None:
        """The last person named in ``text[lo:hi]`` (entities first, then names)."""
        people = [
            Person(x, y, self.text[x:y])
            for x, y, label in self.entities
            if label == "PER" and lo <= x and y <= hi
        ]
        m = None
        for m in french.HANDLE.finditer(self.text, lo, hi):
            people.append(Person(m.start(), m.end(), m.group()))
        for t in self.rule.titles.find(self.folded, lo, hi):
            named = french.NAME_AFTER.match(self.text, t.end, hi)  # "le ministre Fraser"
            end = named.end(1) if named and self.text[t.end : t.end + 1] == " " else t.end
            people.append(Person(t.start, end, self.text[t.start : end]))
        for m in re.finditer(
            rf"[{french._UPPER}][\w'’-]+(?:[ \t]+[{french._UPPER}][\w'’-]+){{1,2}}",
            self.text[lo:hi],
        ):
            a, b = lo + m.start(), lo + m.end()
            if self._label(a, b) not in ("LOC", "ORG", "MISC") and french.plausible_name(
                self.text, a, b, lo
            ):
                people.append(Person(a, b, m.group()))
        for m in _FIRST_WORD.finditer(self.text, lo, hi):  # "Pierre-Luc a encore ..."
            a, b = m.start(), m.end()
            if self._first_name(m.group()):
                people.append(Person(a, b, m.group()))
        for m in _VOCATIVE.finditer(self.text, lo, hi):  # "Marc, espèce d'idiot!"
            if fold_fr(m.group(1)) not in french.NOT_NAMES and self._label(
                m.start(1), m.end(1)
            ) not in ("LOC", "ORG", "MISC"):
                people.append(Person(m.start(1), m.end(1), m.group(1)))
        return max(people, key=lambda p: p.end) if people else None

    # -- how -------------------------------------------------------------------

    def target(self, a: int, b: int, predicate: bool) -> tuple[Person, str] | None:
        text, folded, s = self.text, self.folded, self.s
        if french.quoted(text, s, a):
            return None
        if predicate:
            return self._predicate(a)
        left = folded[max(s, a - 120) : a]
        base = max(s, a - 120)
        # "espèce d'imbécile"
        m = _ESPECE.search(left)
        if m:
            who = (
                self.someone_named(s, self.e)
                or self.someone_named(self.ws, s)
                or self.someone_named(self.e, self.ne)  # "Espèce d'idiot! Je parle de Marc."
            )
            return (who, "'espèce de ...'") if who else None
        # "Quel crétin, ce Stéphane Gauthier!", "Quelle menteuse, cette ministre!"
        if _QUEL.search(left):
            of = _THIS.match(text, b)
            if of:
                title = self.rule.titles.at(self.folded, of.start(1))
                who = (
                    Person(title.start, title.end, text[title.start : title.end])
                    if title
                    else self.name_starting(of.end())
                )
                if who is not None:
                    return who, "an exclamation"
        # "ce crétin de Marc", "l'imbécile de Paul", "cette idiote Julie"
        if _DEMONSTRATIVE.search(left):
            of = _OF_NAME.match(text, b)
            if of:
                who = self.name_starting(of.end())
                if who is not None and (of.group().strip() or who.start == b + 1):
                    return who, "'ce ... de' with a name"
        # "Marc, ce lâche, ...", "Paul, quel imbécile"
        m = _APPOSITION.search(left)
        if m:
            who = self.name_ending(base + m.start(), s)
            if who is not None:
                return who, "an apposition"
        # a verbless exclamation: "Le ministre Fraser : quel bouffon.", "J'ai croisé
        # Martine Roy. Quelle conne, franchement.", "Le chroniqueur X? Un imbécile."
        clause = max([s, *(m.end() for m in _CLAUSE.finditer(text, s, a))])
        if _EXCLAIM_BEFORE.fullmatch(folded, clause, a) and _EXCLAIM_AFTER.match(folded, b, self.e):
            who = self.someone_named(s, clause) if clause > s else None
            who = who or self.someone_named(self.ws, s)
            if who is not None:
                return who, "an exclamation about them"
        # predicates: "X est un crétin", "X, qui est nul", "Elle est nulle"
        if _FOLLOWING.match(folded, b) and not self.rule.insults.find(folded, b, b + 4):
            return None  # "fou de joie", "nul en maths"
        copula = None
        for c in _COPULA.finditer(folded, max(s, a - 120), a):
            if _BETWEEN.match(folded[c.end() : a]):
                copula = c
                break
        if copula is None:
            return None
        if french.negated(folded, copula.start(), a):
            return None
        before = copula.start()
        rel = _RELATIVE.search(folded, s, before)
        if rel and rel.end() == before:
            before = rel.start()
        pron = _PRONOUN_BEFORE.search(folded, s, before)
        if pron and pron.end() == before:
            word = pron.group(1) or pron.group(2)
            if word in french.SELF:
                return None  # the author: "je suis nul"
            if word in french.SECOND:
                who = self.someone_named(s, self.e) or self.someone_named(self.ws, s)
                if who is None:
                    return None
                return Person(
                    pron.start(), before, who.name, text[pron.start() : before].strip()
                ), "said to them"
            who = self.someone_named(s, pron.start()) or self.someone_named(self.ws, s)
            if who is None:
                return None
            return (
                Person(pron.start(), before, who.name, text[pron.start() : before].strip()),
                "a pronoun for someone named before",
            )
        # "Mélanie Dubé, notre nouvelle directrice, est ...": the name before the apposition
        apposed = _APPOSED.search(text, s, before)
        if apposed:
            who = self.name_ending(_trim_end(text, s, apposed.start()), s)
            if who is not None:
                return who, "said of them"
        who = self.name_ending(_trim_end(text, s, before), s)
        if who is None:
            return None
        return who, "said of them"


_SUBJECT_PRONOUN = re.compile(r"\b(il|elle|je|j|tu|t|nous|on|vous)(?:[ \t]*|['’][ \t]*)\Z")
_FIRST_WORD = re.compile(rf"(?<![\w'’-])[{french._UPPER}][\w'’-]+")
_PET = re.compile(
    r"\b(?:chien|chienne|chiot|chat|chatte|chaton|minou|toutou|cheval|jument|poney|lapin|"
    r"perroquet|hamster|cochon|poisson|tortue|vache)[ \t]+\Z"
)
_CLAUSE = re.compile(r"[:?!—–][ \t]*")
_EXCLAIM_BEFORE = re.compile(
    r"[ \t]*(?:(?:quel|quelle|quels|quelles|un|une|des|vrai|vraie|sacre|sacree|beau|bel|"
    r"belle|gros|grosse|pauvre|parfait|parfaite|franchement|vraiment|honnetement|encore|"
    r"quel beau|espece)(?:['’][ \t]*|[ \t]+))+"
)
_EXCLAIM_AFTER = re.compile(r"(?:[ \t,]+[\w'’-]+){0,10}[ \t]*[.!…]*[ \t\n]*(?:$|\Z)")
_QUEL = re.compile(r"\bquel(?:le)?s?\s+(?:(?:sale|gros|grosse|pauvre|vrai|vraie|beau|belle)\s+)?\Z")
_THIS = re.compile(r"[ \t]*,[ \t]*((?:ce|cet|cette)[ \t]+)")
_APPOSED = re.compile(r",[ \t]*[^,.;:!?\n]{2,60},[ \t]*\Z")


def _with_adjectives(entries: Iterable[str]) -> list[str]:
    """Each "<owner> <title>" entry also with an adjective between: "notre nouvelle
    directrice", "le fameux ministre"."""
    out = []
    for entry in entries:
        out.append(entry)
        det, _, title = entry.partition(" ")
        if title and fold_fr(det) in _DETERMINERS:
            out += [f"{det} {adjective} {title}" for adjective in _TITLE_ADJECTIVES]
    return out


def _trim_end(text: str, floor: int, end: int) -> int:
    while end > floor and text[end - 1] in " \t,":
        end -= 1
    return end
