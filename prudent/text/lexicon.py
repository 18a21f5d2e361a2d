"""Plain word lists (Vale-style vocabularies) compiled to one fast regex.

Syntax of an entry (one a line; ``#`` starts a comment, ``\\#`` a hashtag):

- ``tories``: a word or phrase, matched as whole words. A word written in
  lower case matches in any case.
- ``Liberal Party``: a word written with a capital matches as written or in
  capitals ("Labour", "LABOUR"): an *exact* match. It is also found in any
  other case ("labour"), and the match says it is not exact: the rule decides
  (``partisan`` keeps it only when the words are not ordinary ones, or in a
  campaign context), so "the labour market" passes while "vote labour" fires.
- ``!Tea Party``: a leading ``!`` makes a match in another case never count
  as exact, whatever its words ("a tea party"); ``partisan`` keeps one only when
  it is chanted ("Take back control!").
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
- ``>Liberals``: a leading ``>`` ignores the entry at the start of a sentence or
  heading, where a capital says nothing ("Liberals and conservatives alike").
- ``entry = note``: the note is quoted in the finding's message.
- ``{year}`` (1900-2099), ``{year!}`` (one followed by "!" or the end of the
  line), ``{old-year}`` (1000-1899) and ``{old-decade}`` ("1790s") stand for
  numbers; an entry may not start with one (``compile_phrase`` patterns may).

Entries are folded exactly like prepared prose (accents dropped, confusables
and leetspeak folded), so "Bloc Québécois" also matches "Bloc Quebecois".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from functools import cached_property

from prudent.policy import Policy, PolicyError
from prudent.text.prepare import LEET_ONE, fold

SEP = r"[\s\-]+"
_WORD_OK = re.compile(r"^[\w'&.,+!-]+$")
PLACEHOLDERS = {
    "{year}": r"(?:19|20)[0-9]{2}(?![0-9])",
    "{year!}": r"(?:19|20)[0-9]{2}(?=[ \t]*(?:!|\n|\Z))",
    "{old-year}": r"1[0-8][0-9]{2}(?![0-9])",
    "{old-decade}": r"1[0-8][0-9]0(?:'?s)(?![\w])",
}


@dataclass(frozen=True)
class Entry:
    source: str  # "guardrails/partisan/uk.txt:12"
    text: str  # as written in the list
    note: str
    regex: re.Pattern[str]  # as written or in capitals (an exact match)
    anycase: str  # the pattern in any case, compiled on first use
    keys: frozenset[str]  # the words the entry can start with (see _key)
    abbreviation: bool = False  # a single abbreviation such as "NDP"
    after_the: bool = False  # starts with "the"; indexed by the next word
    mid_sentence: bool = False  # ">Liberals": a capital at a sentence's start says nothing
    group: str = ""  # which list it came from, when lexicons are merged (see find)
    strict_case: bool = False  # "!": another case is never exact (the rule may still weigh it)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    entry: Entry
    exact: bool = True  # in the case the entry is written in (or in capitals)


# "the" is too common to index entries by: "the Tories" is indexed by "tories".
_THE = re.compile(r"(?<!\w)the[\s-]+\Z")


def _key(word: str) -> str:
    # A leetspeak "1" may be an "i" or an "l", so they share a key (the entry's own
    # regex then tells "IPC" from "LPC").
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
        # The trie finds the longest key at a place; the entries of the keys it starts
        # with are tried there too ("liberal party of" also tries "Liberal Party").
        self.tried: dict[str, list[Entry]] = {}
        for k in self.by_key:
            words = k.split(" ")
            shorter = [" ".join(words[:i]) for i in range(1, len(words))]
            found = [e for p in shorter for e in self.by_key.get(p, [])]
            self.tried[k] = sorted(self.by_key[k] + found, key=lambda e: -len(e.text))

    @classmethod
    def load(cls, policy: Policy, relpaths: list[str], group: str = "") -> Lexicon:
        entries = []
        for rel in relpaths:
            for line, raw in policy.read_list(rel):
                entries.append(compile_entry(raw, f"guardrails/{rel}", line, group))
        return cls.of(entries)

    @classmethod
    def of(cls, entries: list[Entry]) -> Lexicon:
        # Longer phrases first, so "Liberal Party of Canada" wins over "Liberal Party".
        return cls(sorted(entries, key=lambda e: -len(e.text)))

    def find(self, text: str, sentence_starts: bool = True) -> list[Match]:
        """Matches in ``text`` (a prepared text's ``lexical`` form, or plain prose).

        One match per place and group (entries of merged lexicons keep the group of
        their list); an exact match wins over a longer one in another case. With
        ``sentence_starts=False`` (tags, slugs), ``>`` entries match anywhere.
        """
        low = text.lower().replace("l", "i").replace(LEET_ONE, "i")
        if len(low) != len(text):  # a rare letter whose lower case is longer
            low = "".join(_key(c)[:1] or c for c in text)
        out: list[Match] = []
        pos: dict[str, int] = {}  # per group: where its last match ended
        for m in self.starts.finditer(low):
            at = m.start()
            if at and (low[at - 1].isalnum() or low[at - 1] in "_#"):
                continue  # after an underscore or a hash: not a word of its own
            best: dict[str, Match] = {}
            key = m.group(m.lastindex or 1)
            if key == "#":
                tried = self.tried.get("#" + low[at + 1 : at + 3], []) + self.tried.get("#", [])
            else:
                tried = self.tried.get(key) or self.tried[_KEY_GAP.sub(" ", key)]
            for e in tried:
                at = m.start()
                if at < pos.get(e.group, 0):
                    continue
                if e.after_the:
                    lead = _THE.search(low, max(0, at - 12), at)
                    if lead is None:
                        continue
                    at = lead.start()
                if e.mid_sentence and sentence_starts and _sentence_start(text, at):
                    continue
                found = _match(e, text, at)
                if found is None:
                    continue
                old = best.get(e.group)
                if old is None or (found.exact, found.end) > (old.exact, old.end):
                    best[e.group] = found
            for group, found in best.items():
                out.append(found)
                pos[group] = found.end
        return out

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word of every entry, in lower case (for ``prepare.joined_view``)."""
        words: set[str] = set()
        for e in self.entries:
            body = fold(e.text.lstrip("~!>#").rstrip("$*"))
            for token in re.findall(r"[^\W\d_]+", body):
                if not e.text.startswith("#"):  # "#VoteLabour" is two words, not one
                    words.add(token.lower())
                words.update(w.lower() for w in _CAMEL_WORD.findall(token))  # "LibDem"
        return frozenset(w for w in words if len(w) > 1)

    @cached_property
    def starts(self) -> re.Pattern[str]:
        """Where an entry may start: one of the keys as a whole word (a trie, for speed)."""
        words = [k for k in self.by_key if not k.startswith("#")]
        parts = []
        if words:
            parts.append(r"\b(" + _trie(words) + r")(?=(?:'s|'|es|s)?(?![\w]))")
        if any(k.startswith("#") for k in self.by_key):
            parts.append(r"(?<![\w#])(#)(?=\w)")
        return re.compile("|".join(parts) or r"(?!x)x")


def _match(e: Entry, text: str, at: int) -> Match | None:
    loose = _compile(e.anycase).match(text, at)
    if loose is None:
        return None  # the common case: one regex tried, as before
    strict = loose if e.anycase == e.regex.pattern else e.regex.match(text, at)
    if strict is not None:
        return Match(strict.start(), strict.end(), e, True)
    return Match(loose.start(), loose.end(), e, False) if loose is not None else None


def _sentence_start(text: str, at: int) -> bool:
    i = at - 1
    while i >= 0 and text[i] in " \t\"'([*_":
        i -= 1
    return i < 0 or text[i] in ".!?:;\n"


def _trie(words: list[str]) -> str:
    tree: dict[str, dict] = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_pattern(tree)


def _trie_pattern(node: dict[str, dict]) -> str:
    branches = [
        (r"[\s-]+" if ch == " " else re.escape(ch)) + _trie_pattern(sub)
        for ch, sub in sorted(node.items())
        if ch
    ]
    end = "" in node
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if end else body


@functools.cache
def _compile(pattern: str) -> re.Pattern[str]:
    # Lists are loaded again by every checker a process builds (tests, the server):
    # their entries are compiled once. (re's own cache holds fewer than they need.)
    return re.compile(pattern, re.I)


def compile_entry(raw: str, path: str, line: int, group: str = "") -> Entry:
    text, _, note = (p.strip() for p in raw.partition(" = "))
    mid_sentence = strict_case = False
    while text[:1] in (">", "!"):
        mid_sentence |= text[0] == ">"
        strict_case |= text[0] == "!"
        text = text[1:].strip()
    try:
        if text.startswith("{") or (text.startswith("(") and text[1:].startswith("{")):
            raise ValueError("an entry cannot start with a number placeholder")
        regex = _compile(_entry_pattern(text))
        loose = _entry_pattern("~" + text.lstrip("~")) if not text.startswith("#") else ""
        anycase = loose or regex.pattern
    except (ValueError, re.error) as exc:
        raise PolicyError(
            path, line, f"bad list entry {raw!r}: {exc}; see the syntax in the file's header"
        ) from None
    bare = text.lstrip("~").rstrip("$").strip()
    abbreviation = bare.isalpha() and bare.isupper() and 2 <= len(bare) <= 6
    keys, after_the = _first_keys(text)
    return Entry(
        f"{path}:{line}",
        text,
        note,
        regex,
        anycase,
        keys,
        abbreviation,
        after_the,
        mid_sentence,
        group,
        strict_case,
    )


def compile_phrase(text: str, path: str, line: int) -> str:
    """A phrase in the list syntax (groups, optional words, placeholders) as a regex
    pattern, for patterns tried at a known place rather than looked up by word."""
    try:
        pattern = _phrase(fold(text), False)
        re.compile(pattern, re.I)
    except (ValueError, re.error) as exc:
        raise PolicyError(path, line, f"bad pattern {text!r}: {exc}") from None
    return pattern


def _first_keys(text: str) -> tuple[frozenset[str], bool]:
    if text.startswith("#"):
        # Keyed by "#" and two letters ("#vo" for "#VoteNDP"), or "#" if shorter.
        head = _key(fold(text[1:3]))
        return frozenset({"#" + head if re.fullmatch(r"[a-z]{2}", head) else "#"}), False
    tokens = _split(fold(text.lstrip("~").rstrip("$").strip()))
    if len(tokens) > 1 and tokens[0].lower() == "the":
        return frozenset(_firsts(tokens[1:])), True
    return frozenset(_firsts(tokens)), False


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
    elif not optional and _PLAIN.fullmatch(tok) and len(tokens) > 1 and _PLAIN.fullmatch(tokens[1]):
        # Two or three plain words: keyed by all of them, so that a common first word
        # ("for", "in", "new", "make") does not try the entry at each of its uses.
        words = [tokens[0], tokens[1]]
        if len(tokens) > 2 and _PLAIN.fullmatch(tokens[2]):
            words.append(tokens[2])
        keys = {" ".join(_key(w) for w in words)}
    else:
        letters = tok.replace(".", "")
        keys = {_key(tok), _key(letters)}
        if "-" in tok:  # "re-elect" may be written "re elect" or "reelect"
            keys |= {_key(tok.replace("-", " ")), _key(tok.replace("-", ""))}
        if letters.isalpha() and letters.isupper() and 2 <= len(letters) <= 6:
            low = _key(letters)
            keys |= {".".join(low), ". ".join(low), " ".join(low)}  # "N.D.P.", "N D P"
    if optional:
        keys |= _firsts(tokens[1:])
    return keys


_CAMEL_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_PLAIN = re.compile(r"[^\W\d_][\w',&!]*")
_KEY_GAP = re.compile(r"[\s-]+")


def _entry_pattern(text: str) -> str:
    if text.startswith("#"):
        body = fold(text[1:])
        if not body or not re.fullmatch(r"[\w*]+", body):
            raise ValueError("a hashtag is '#' followed by letters, digits and '*'")
        # "*" takes a leetspeak "1" too ("#KAG2018" reads "#KAG2oib" with one)
        parts = [f"[\\w{LEET_ONE}]*" if c == "*" else _letter(c) for c in body]
        return r"(?<![\w#])#" + "".join(parts) + rf"(?![\w{LEET_ONE}])"
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
            if tok not in PLACEHOLDERS and not _WORD_OK.match(tok):
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
    # A leetspeak "1" reaches the lists as LEET_ONE: it may stand for an "i" or an "l".
    if c in "lLiI":
        return f"[{c.upper() if upper_variant else c}{LEET_ONE}]"
    return re.escape(c)


def _word(word: str, anycase: bool) -> str:
    if word in PLACEHOLDERS:
        return PLACEHOLDERS[word]
    letters = word.replace(".", "")
    if letters.isalpha() and letters.isupper() and 2 <= len(letters) <= 6:
        chars = [_letter(c, True) for c in letters]
        plain = "".join(chars)
        dotted = r"\.\s?".join(chars) + r"\.?"
        spaced = " ".join(chars)
        body = f"(?:{plain}|{dotted}|{spaced})"
        return body if anycase else f"(?-i:{body})"
    if anycase or word == word.lower():
        return "".join(_in_word(c) for c in word)
    as_written = "".join(_in_word(c, False) for c in word)
    upper = "".join(_in_word(c, False, True) for c in word.upper())
    return f"(?-i:{as_written}|{upper})"


def _in_word(c: str, anycase: bool = True, upper: bool = False) -> str:
    # A hyphen inside a word may be a space or nothing ("re-elect", "re elect", "reelect").
    if c == "-":
        return r"[\s-]?"
    if anycase and c in "lLiI":
        return f"[{c}{LEET_ONE}]"
    return _letter(c, upper) if not anycase else re.escape(c)
