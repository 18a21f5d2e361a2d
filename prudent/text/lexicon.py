"""Plain word lists (Vale-style vocabularies) compiled to one fast regex.

Syntax of an entry (one a line; ``#`` starts a comment, ``\\#`` a hashtag):

- ``tories``: a word or phrase, matched as whole words. A word written in
  lower case matches in any case.
- ``Liberal Party``: a word written with a capital matches only as written or
  in capitals ("Labour", "LABOUR", not "labour"): that is how "the labour
  market" passes while "vote Labour" fires.
- ``NDP``: a word in capitals (2-6 letters) is an abbreviation; it also
  matches with dots or spaces between the letters ("N.D.P.").
- ``~GOP``: a leading ``~`` makes every word of the entry match in any case.
- ``(vote|votes|voted) (for)? Labour``: ``(a|b)`` is one of several words or
  phrases; a ``?`` after it makes it optional.
- Plurals and possessives are accepted after the last word ("NDP's",
  "Grits"); end the entry with ``$`` to accept possessives only ("SNP$" stops
  "SNPs", which are gene variants).
- ``\\#VoteNDP``, ``\\#elxn*``: a hashtag, any case; ``*`` stands for any
  letters or digits.
- ``entry = note``: the note is quoted in the finding's message.

Entries are folded exactly like prepared prose (accents dropped, confusables
and leetspeak folded), so "Bloc Québécois" also matches "Bloc Quebecois".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from prudent.policy import Policy, PolicyError
from prudent.text.prepare import fold

SEP = r"[\s\-]+"
_WORD_OK = re.compile(r"^[\w'&.+-]+$")


@dataclass(frozen=True)
class Entry:
    source: str  # "guardrails/partisan/uk.txt:12"
    text: str  # as written in the list
    note: str
    regex: re.Pattern[str]
    keys: frozenset[str]  # the words the entry can start with (see _key)
    abbreviation: bool = False  # a single abbreviation such as "NDP"


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    entry: Entry


_SCAN = re.compile(r"#(?=\w)|\w[\w']*")


def _key(word: str) -> str:
    # "1" is read as "i" in leetspeak, so "l" and "i" share a key.
    return word.lower().replace("l", "i")


class Lexicon:
    """Entries indexed by their possible first word: only words of the text that can
    start an entry are tried, which keeps a few hundred entries cheap on long texts."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.by_key: dict[str, list[Entry]] = {}
        for e in entries:
            for k in e.keys:
                self.by_key.setdefault(k, []).append(e)

    @classmethod
    def load(cls, policy: Policy, relpaths: list[str]) -> Lexicon:
        entries = []
        for rel in relpaths:
            for line, raw in policy.read_list(rel):
                entries.append(compile_entry(raw, f"guardrails/{rel}", line))
        # Longer phrases first, so "Liberal Party of Canada" wins over "Liberal Party".
        entries.sort(key=lambda e: -len(e.text))
        return cls(entries)

    def find(self, text: str) -> list[Match]:
        low = text.lower().replace("l", "i")
        if len(low) != len(text):  # a rare letter whose lower case is longer
            low = "".join(_key(c)[:1] or c for c in text)
        out: list[Match] = []
        pos = 0
        by_key = self.by_key
        for m in _SCAN.finditer(low):
            word = m.group(0)
            candidates = by_key.get(word)
            if word[-1] in "s'":
                for suffix in ("'s", "'", "es", "s"):
                    if word.endswith(suffix):
                        more = by_key.get(word[: -len(suffix)])
                        if more:
                            candidates = (candidates or []) + more
            if not candidates or m.start() < pos:
                continue
            best: Match | None = None
            for e in candidates:
                mm = e.regex.match(text, m.start())
                if mm and (best is None or mm.end() > best.end):
                    best = Match(mm.start(), mm.end(), e)
            if best is not None:
                out.append(best)
                pos = best.end
        return out


def compile_entry(raw: str, path: str, line: int) -> Entry:
    text, _, note = (p.strip() for p in raw.partition(" = "))
    try:
        pattern = _entry_pattern(text)
        regex = re.compile(pattern, re.I)
    except (ValueError, re.error) as exc:
        raise PolicyError(
            path, line, f"bad list entry {raw!r}: {exc}; see the syntax in the file's header"
        ) from None
    bare = text.lstrip("~").rstrip("$").strip()
    abbreviation = bare.isalpha() and bare.isupper() and 2 <= len(bare) <= 6
    return Entry(f"{path}:{line}", text, note, regex, _first_keys(text), abbreviation)


def _first_keys(text: str) -> frozenset[str]:
    if text.startswith("#"):
        return frozenset({"#"})
    body = fold(text.lstrip("~").rstrip("$").strip())
    return frozenset(_firsts(_split(body)))


def _firsts(tokens: list[str]) -> set[str]:
    if not tokens:
        return set()
    tok = tokens[0]
    optional = tok.startswith("(") and tok.endswith("?")
    tok = tok.rstrip("?") if optional else tok
    if tok.startswith("(") and tok.endswith(")"):
        keys: set[str] = set()
        for alt in _alternatives(tok[1:-1]):
            keys |= _firsts(_split(alt))
    else:
        letters = tok.replace(".", "")
        keys = {_key(tok), _key(letters)}
        if letters.isalpha() and letters.isupper() and 2 <= len(letters) <= 6:
            keys.add(_key(letters[0]))  # "N.D.P.", "N D P"
    if optional:
        keys |= _firsts(tokens[1:])
    return keys


def _entry_pattern(text: str) -> str:
    if text.startswith("#"):
        body = fold(text[1:])
        if not body or not re.fullmatch(r"[\w*]+", body):
            raise ValueError("a hashtag is '#' followed by letters, digits and '*'")
        parts = ["\\w*" if c == "*" else _letter(c) for c in body]
        return r"(?<![\w#])#" + "".join(parts) + r"(?!\w)"
    anycase = text.startswith("~")
    if anycase:
        text = text[1:].strip()
    plural = not text.endswith("$")
    text = text.rstrip("$").strip()
    if not text:
        raise ValueError("empty entry")
    suffix = r"(?:'s|s'|'|es|s)?" if plural else r"(?:'s|')?"
    return r"(?<![\w])" + _phrase(fold(text), anycase) + suffix + r"(?![\w])"


def _split(text: str) -> list[str]:
    """Words and (groups), splitting on spaces outside parentheses."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise ValueError("')' without '('")
        if ch.isspace() and depth == 0:
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur += ch
    if depth:
        raise ValueError("'(' without ')'")
    if cur:
        out.append(cur)
    return out


def _phrase(text: str, anycase: bool) -> str:
    items: list[tuple[str, bool]] = []
    for tok in _split(text):
        optional = tok.endswith("?") and tok.startswith("(")
        if optional:
            tok = tok[:-1]
        if tok.startswith("(") and tok.endswith(")"):
            alts = _alternatives(tok[1:-1])
            if any(not a.strip() for a in alts):
                raise ValueError("empty alternative in a group")
            items.append(("(?:" + "|".join(_phrase(a, anycase) for a in alts) + ")", optional))
        else:
            if not _WORD_OK.match(tok):
                raise ValueError(f"unexpected characters in {tok!r}")
            items.append((_word(tok, anycase), False))
    if not items:
        raise ValueError("empty phrase")
    pattern = ""
    for i, (p, optional) in enumerate(items):
        if i == 0:
            pattern = f"(?:{p}{SEP})?" if optional else p
            continue
        if optional:
            pattern += f"(?:{SEP}{p})?"
        elif items[i - 1][1] and i == 1:
            pattern += p
        else:
            pattern += SEP + p
    return pattern


def _alternatives(body: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in body:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def _letter(c: str, upper_variant: bool = False) -> str:
    # A "1" in a word is folded to "i" (leetspeak), so an "l" also accepts "i".
    if c in "lL":
        return "[LI]" if upper_variant else f"[{c}i]"
    return re.escape(c)


def _word(word: str, anycase: bool) -> str:
    letters = word.replace(".", "")
    if letters.isalpha() and letters.isupper() and 2 <= len(letters) <= 6:
        chars = [_letter(c, True) for c in letters]
        plain = "".join(chars)
        dotted = r"\.\s?".join(chars) + r"\.?"
        spaced = " ".join(chars)
        body = f"(?:{plain}|{dotted}|{spaced})"
        return body if anycase else f"(?-i:{body})"
    if anycase or word == word.lower():
        return "".join("[li]" if c in "lL" else re.escape(c) for c in word)
    as_written = "".join(_letter(c) for c in word)
    upper = "".join(_letter(c, True) for c in word.upper())
    return f"(?-i:{as_written}|{upper})"
