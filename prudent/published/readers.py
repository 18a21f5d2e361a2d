"""Readers for what is not markup: JSON, CSS and scripts (files, or embedded in a page).

Each takes the text, the offset it starts at in the decoded file, and a label
for the report, and returns blocks whose origins are offsets in that file.
"""

from __future__ import annotations

import json
import re

from prudent.published import markup
from prudent.published.mapped import Mapped, css_string, js_string, json_string
from prudent.published.markup import ATTRIBUTE, COMMENT, LINK, TEXT, Block


class Unreadable(Exception):
    """The text does not parse: its words cannot be read for certain."""

    def __init__(self, offset: int, message: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.offset, self.message, self.line, self.col = offset, message, line, col


# -- JSON ------------------------------------------------------------------------

_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"', re.S)
_HTML_LIKE = re.compile(r"<[A-Za-z!/]")


def read_json(text: str, base: int, where: str) -> list[Block]:
    """Every string value of a JSON document (keys are not shown to anyone)."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unreadable(base + exc.pos, f"the JSON does not parse ({exc.msg})") from None
    except RecursionError:
        raise Unreadable(base, "the JSON is nested too deeply to read") from None
    blocks: list[Block] = []
    key = ""
    for m in _JSON_STRING.finditer(text):
        after = text[m.end() : m.end() + 64].lstrip()
        if after.startswith(":"):
            key = json_string(m.group(1), 0).text
            continue
        value = json_string(m.group(1), base + m.start(1))
        label = f'{where} "{key}"' if key else where
        _value_blocks(value, label, blocks)
    return blocks


def _value_blocks(value: Mapped, label: str, blocks: list[Block]) -> None:
    text = value.text
    if not text.strip():
        return
    if markup.ABSOLUTE.match(text) and not any(c.isspace() for c in text.strip()):
        blocks.append(Block(value, label, LINK))
    elif _HTML_LIKE.search(text):
        for block in markup.read_markup(text, context=label):
            blocks.append(Block(block.text.rebase(value), block.where, block.kind))
    else:
        blocks.append(Block(value, label, TEXT))


# -- CSS -------------------------------------------------------------------------

_CSS_TOKEN = re.compile(
    r"(?P<comment>/\*(?P<cbody>.*?)(?:\*/|\Z))"
    r"|(?P<string>\"(?P<dq>(?:[^\"\\\n]|\\.)*)\"|'(?P<sq>(?:[^'\\\n]|\\.)*)')"
    r"|(?P<url>\burl\(\s*(?![\"'])(?P<bare>[^)\s]*)\s*\))",
    re.S | re.I,
)


def read_css(text: str, base: int, where: str) -> list[Block]:
    """Comments, strings (``content: "..."`` is shown on the page) and ``url()``s."""
    blocks: list[Block] = []
    for m in _CSS_TOKEN.finditer(text):
        if m.group("comment") is not None:
            body = m.group("cbody")
            if body.strip():
                blocks.append(
                    Block(
                        Mapped.verbatim(body, base + m.start("cbody")), f"{where} comment", COMMENT
                    )
                )
        elif m.group("string") is not None:
            g = "dq" if m.group("dq") is not None else "sq"
            value = css_string(m.group(g), base + m.start(g))
            before = text[max(0, m.start() - 12) : m.start()].lower().rstrip()
            if before.endswith(("url(", "@import")):
                if markup.ABSOLUTE.match(value.text):
                    blocks.append(Block(value, f"{where} url()", LINK))
            elif value.text.strip():
                blocks.append(Block(value, f"{where} string", ATTRIBUTE))
        else:
            url = m.group("bare")
            if markup.ABSOLUTE.match(url):
                blocks.append(
                    Block(Mapped.verbatim(url, base + m.start("bare")), f"{where} url()", LINK)
                )
    return blocks


# -- scripts -----------------------------------------------------------------------

_JS_START = re.compile(r"//|/\*|[\"'`/]")
_REGEX_BEFORE = set("(,=:[!&|?{};+-*%~^<>")
_REGEX_KEYWORDS = ("return", "typeof", "case", "do", "else", "in", "of", "new", "delete")
_REGEX_KEYWORDS += ("void", "throw", "yield", "await", "instanceof")


def read_script(text: str, base: int, where: str) -> list[Block]:
    """Comments and string literals of a script (what it may write into a page)."""
    blocks: list[Block] = []
    pos, n = 0, len(text)
    while pos < n:
        m = _JS_START.search(text, pos)
        if m is None:
            break
        at, tok = m.start(), m.group(0)
        if tok == "//":
            end = text.find("\n", at)
            end = n if end < 0 else end
            _js_comment(text, at + 2, end, base, where, blocks)
            pos = end
        elif tok == "/*":
            end = text.find("*/", at + 2)
            stop = n if end < 0 else end
            _js_comment(text, at + 2, stop, base, where, blocks)
            pos = n if end < 0 else end + 2
        elif tok == "/":
            pos = _skip_regex(text, at) if _regex_here(text, at) else at + 1
        else:
            end = _string_end(text, at, tok)
            value = js_string(text[at + 1 : end], base + at + 1)
            if value.text.strip():
                label = f"{where} string"
                if _HTML_LIKE.search(value.text):
                    for block in markup.read_markup(value.text, context=label):
                        blocks.append(Block(block.text.rebase(value), block.where, block.kind))
                else:
                    kind = LINK if markup.ABSOLUTE.match(value.text) else ATTRIBUTE
                    blocks.append(Block(value, label, kind))
            pos = end + 1
    return blocks


def _js_comment(text: str, start: int, end: int, base: int, where: str, out: list[Block]) -> None:
    if text[start:end].strip():
        out.append(
            Block(Mapped.verbatim(text[start:end], base + start), f"{where} comment", COMMENT)
        )


def _string_end(text: str, at: int, quote: str) -> int:
    i, n = at + 1, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == quote or (c == "\n" and quote != "`"):
            return i
        i += 1
    return n


def _regex_here(text: str, at: int) -> bool:
    """Whether a "/" at ``at`` starts a regular expression (not a division)."""
    i = at - 1
    while i >= 0 and text[i] in " \t\r\n":
        i -= 1
    if i < 0 or text[i] in _REGEX_BEFORE:
        return True
    j = i
    while j >= 0 and (text[j].isalnum() or text[j] in "_$"):
        j -= 1
    return text[j + 1 : i + 1] in _REGEX_KEYWORDS


def _skip_regex(text: str, at: int) -> int:
    i, n, in_class = at + 1, len(text), False
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n":
            return i
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c == "/" and not in_class:
            return i + 1
        i += 1
    return n


# A page's <style>, <script> and JSON-LD are read with the same readers.
markup.EMBED.css = read_css
markup.EMBED.js = read_script
markup.EMBED.json = lambda text, base, where: _json_embedded(text, base, where)


def _json_embedded(text: str, base: int, where: str) -> list[Block]:
    try:
        return read_json(text, base, where)
    except Unreadable:
        return read_script(text, base, where)  # not JSON after all: read as a script
