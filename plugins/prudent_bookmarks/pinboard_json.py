"""Pinboard's JSON export (``/v1/posts/all?format=json``) to entries with positions.

Each post is an object: ``href``; ``description`` (the title); ``extended``
(the notes); ``time`` (ISO 8601, UTC); ``shared`` and ``toread`` ("yes"/"no");
``tags`` (space-separated; private ones start with a dot). The wrapper that
``posts/recent`` and ``posts/get`` return (``{"posts": [...]}``) is read too.

Privacy fails closed: a post is public only when ``shared`` is exactly
``"yes"``; missing, ``"no"``, ``null`` or anything else is private (anything
other than ``"no"`` or missing with a warning), and so is a post with a key
written twice with different values (``json.loads`` keeps the last one; which
one Pinboard meant is anyone's guess).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from json.decoder import scanstring
from typing import Any

from .model import Entry, ExportError, LineIndex, Problem, Text, split_tags

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_CONSTANTS = {"true": True, "false": False, "null": None, "NaN": None, "Infinity": None}
_YES = {"yes": True, "no": False, "1": True, "0": False, "true": True, "false": False}


@dataclass
class Node:
    """A JSON value and the offset where it starts (for a string: its opening quote)."""

    value: Any  # str, number, bool, None, list[Node] or dict[str, Node]
    offset: int
    # An object's keys written more than once with different values, each with
    # the offset of a later copy.
    conflicts: dict[str, int] = field(default_factory=dict)


def parse_nodes(text: str) -> Node:
    """Parse JSON that ``json.loads`` accepted, keeping each value's offset."""

    def skip(i: int) -> int:
        if i < len(text) and text[i] not in " \t\n\r":
            return i  # the common case, without a regex call
        return _WS.match(text, i).end()  # type: ignore[union-attr]

    def value(i: int) -> tuple[Node, int]:
        i = skip(i)
        ch = text[i]
        if ch == '"':
            s, end = scanstring(text, i + 1, False)
            return Node(s, i), end
        if ch in "{[":
            closing = "}" if ch == "{" else "]"
            items: dict[str, Node] | list[Node] = {} if ch == "{" else []
            conflicts: dict[str, int] = {}
            j = skip(i + 1)
            while text[j] != closing:
                if isinstance(items, dict):
                    key, j = scanstring(text, skip(j) + 1, False)
                    j = skip(j) + 1  # the colon
                    node, j = value(j)
                    if key in items and plain(items[key]) != plain(node):
                        conflicts.setdefault(key, node.offset)
                    items[key] = node
                else:
                    node, j = value(j)
                    items.append(node)
                j = skip(j)
                if text[j] == ",":
                    j = skip(j + 1)
            return Node(items, i, conflicts), j + 1
        for word, constant in _CONSTANTS.items():
            if text.startswith(word, i):
                return Node(constant, i), i + len(word)
        if text.startswith("-Infinity", i):
            return Node(None, i), i + len("-Infinity")
        m = _NUMBER.match(text, i)
        if not m:
            raise ValueError(f"unexpected {ch!r}")
        return Node(json.loads(m.group(0)), i), m.end()

    return value(0)[0]


def plain(node: Node) -> Any:
    """The value without offsets, to compare two copies of a key."""
    if isinstance(node.value, dict):
        return {k: plain(v) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [plain(v) for v in node.value]
    return node.value


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return "a number"


def parse(text: str, path: str) -> list[Entry]:
    """Entries of a Pinboard JSON export; raises ``ExportError`` naming file and entry."""
    index = LineIndex(text)

    def problem(offset: int, message: str) -> Problem:
        line, col = index.position(offset)
        return Problem(path, line, col, message)

    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(
            [Problem(path, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")]
        ) from None
    except RecursionError:
        raise ExportError([Problem(path, 1, 1, "not valid JSON: nested too deeply")]) from None
    try:
        root = parse_nodes(text)
    except (RecursionError, ValueError, IndexError) as exc:
        raise ExportError([Problem(path, 1, 1, f"cannot read the JSON: {exc}")]) from None

    posts = root
    if isinstance(root.value, dict) and "posts" in root.value:
        posts = root.value["posts"]
    if not isinstance(posts.value, list):
        raise ExportError(
            [
                problem(
                    posts.offset,
                    f"expected a list of bookmarks (Pinboard's posts/all?format=json), "
                    f"found {_kind(posts.value)}",
                )
            ]
        )

    entries: list[Entry] = []
    problems: list[Problem] = []
    for number, node in enumerate(posts.value, start=1):
        try:
            entries.append(_entry(node, number, path, index))
        except _Bad as bad:
            problems.append(problem(bad.offset, f"entry {number}{bad.label}: {bad.message}"))
    if problems:
        raise ExportError(problems)
    return entries


class _Bad(Exception):
    def __init__(self, offset: int, label: str, message: str) -> None:
        super().__init__(message)
        self.offset, self.label, self.message = offset, label, message


def _entry(node: Node, number: int, path: str, index: LineIndex) -> Entry:
    if not isinstance(node.value, dict):
        raise _Bad(node.offset, "", f"is {_kind(node.value)}, not an object with an href")
    fields: dict[str, Node] = node.value

    def text(name: str) -> Text | None:
        field = fields.get(name)
        if field is None or field.value is None or field.value is False:
            return None  # absent, null or false: no text
        if not isinstance(field.value, str):
            raise _Bad(field.offset, label, f'"{name}" is {_kind(field.value)}, not a string')
        line, col = index.position(field.offset + 1)  # the text, after the quote
        return Text(field.value, line, col)

    label = ""
    href = fields.get("href")
    if href is None:
        raise _Bad(node.offset, "", 'has no "href" (the bookmarked URL)')
    if not isinstance(href.value, str) or not href.value.strip():
        raise _Bad(href.offset, "", '"href" is empty or not a string')
    label = f" ({href.value.strip()[:80]})"
    url = text("href")
    assert url is not None
    url = _stripped(url)
    title = _stripped(text("description"))
    notes = _stripped(text("extended"))
    tags = _tags(fields.get("tags"), label, index)
    time_node = fields.get("time")
    if time_node is None:
        raise _Bad(node.offset, label, 'has no "time" (when it was saved)')
    time = _time(time_node, label)
    shared = fields.get("shared")
    doubts = [
        _doubt(index, at, f'"{key}" is given twice with different values: kept private')
        for key, at in node.conflicts.items()
    ]
    if shared is not None and shared.value not in ("yes", "no", None):
        doubts.append(
            _doubt(
                index,
                shared.offset,
                f'"shared" is {json.dumps(shared.value)[:40]}, not exactly "yes": kept private',
            )
        )
    private = shared is None or shared.value != "yes" or bool(doubts)
    toread = _flag(fields.get("toread"), "toread", label, missing=False)
    line, col = index.position(node.offset)
    return Entry(
        path, number, line, col, url, title, notes, tags, time, private, toread, tuple(doubts)
    )


def _doubt(index: LineIndex, offset: int, message: str) -> Text:
    line, col = index.position(offset)
    return Text(message + " (fail closed)", line, col)


def _stripped(text: Text | None) -> Text | None:
    """The text without surrounding white space, its position moved to match."""
    if text is None:
        return None
    value = text.value
    lead = value[: len(value) - len(value.lstrip())]
    if not value.strip():
        return None
    line, col = text.line, text.col
    if "\n" in lead:
        line += lead.count("\n")
        col = len(lead) - lead.rfind("\n")
    else:
        col += len(lead)
    return Text(value.strip(), line, col)


def _tags(node: Node | None, label: str, index: LineIndex) -> tuple[Text, ...]:
    if node is None or node.value is None:
        return ()
    if isinstance(node.value, str):
        line, col = index.position(node.offset + 1)
        return tuple(split_tags(node.value, line, col, commas=False))
    if isinstance(node.value, list):  # a list of tags, as some tools write them
        tags = []
        for item in node.value:
            if not isinstance(item.value, str):
                raise _Bad(item.offset, label, f'a tag in "tags" is {_kind(item.value)}')
            line, col = index.position(item.offset + 1)
            tags.extend(split_tags(item.value, line, col, commas=False))
        return tuple(tags)
    raise _Bad(node.offset, label, f'"tags" is {_kind(node.value)}, not a string')


def _time(node: Node, label: str) -> datetime:
    if not isinstance(node.value, str):
        raise _Bad(node.offset, label, f'"time" is {_kind(node.value)}, not a date')
    try:
        when = datetime.fromisoformat(node.value.strip())
    except ValueError:
        raise _Bad(
            node.offset,
            label,
            f'"time" is {node.value[:40]!r}, not a date like 2026-11-21T14:30:00Z',
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _flag(node: Node | None, name: str, label: str, *, missing: bool) -> bool:
    if node is None or node.value is None:
        return missing
    value = node.value
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _YES:
        return _YES[value.strip().lower()]
    raise _Bad(node.offset, label, f'"{name}" is {json.dumps(value)[:40]}, not "yes" or "no"')
