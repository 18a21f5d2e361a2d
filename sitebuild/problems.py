"""Pelican's log records about bad content, told as a linter would tell them.

Pelican logs "Could not process posts/x.md" and drops the exception unless
DEBUG is on; it logs "Unable to find '/posts/y.md'" without the post that holds
the link. The recorder calls ``explain`` while Pelican is still handling the
failure, so the exception and the content object are at hand: each message
says the file, the line, the value and what to do.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from prudent.document import relative_path
from prudent.encoding import diagnose

# Dates Pelican reads (dateutil), the way an author would write them.
DATE_FORMATS = (
    "2026-11-21",
    "2026-11-21 14:30",
    "2026-11-21T14:30:00-05:00",
    "21 November 2026",
    "November 21, 2026 2:30 PM",
)
_BAD_DATE = re.compile(r"""^(?P<q>['"])(?P<value>.*)(?P=q) is not a valid date$""", re.S)
_DUPLICATE = "Duplicate definition of '%s' for '%s'"  # yaml_metadata: a list where one value goes
_YAML_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ]|$)")
_META_KEY = re.compile(r"^[ \t]*(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$", re.M)


class Context:
    """Where the content is, to turn Pelican's relative names into project paths."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.content = Path(settings.get("PATH") or "content").resolve()
        root = settings.get("PRUDENT_ROOT")
        self.root = Path(root).resolve() if root else self.content.parent

    def path(self, name: str | Path) -> Path:
        p = Path(name)
        return p if p.is_absolute() else self.content / p

    def shown(self, name: str | Path) -> str:
        return relative_path(self.path(name), self.root)


def explain(record: logging.LogRecord, ctx: Context) -> str | None:
    """The message for ``record``, or None to keep Pelican's own."""
    exc = record.exc_info[1] if record.exc_info else None
    if exc is None:
        exc = sys.exc_info()[1]  # Pelican logs inside its except block, without exc_info
    template = record.msg if isinstance(record.msg, str) else ""
    args = record.args if isinstance(record.args, tuple) else ()
    try:
        if template.startswith("Could not process") and args:
            return _unreadable(ctx, str(args[0]), exc)
        if template.startswith("Unable to find") and args:
            return _broken_link(ctx, str(args[0]))
        if template.startswith("Skipping %s: could not find information about") and len(args) > 1:
            return _missing_field(ctx, str(args[0]), str(args[1]))
        if template.startswith("Error parsing YAML for file") and args and exc is not None:
            return _bad_yaml(ctx, str(args[0]), exc)
        if template.startswith(_DUPLICATE) and len(args) > 1:
            return _not_one_value(ctx, str(args[1]), str(args[0]))
    except OSError:
        return None  # the file went away meanwhile: Pelican's words will do
    return None


def _unreadable(ctx: Context, name: str, exc: BaseException | None) -> str:
    path, shown = ctx.path(name), ctx.shown(name)
    if isinstance(exc, UnicodeDecodeError):
        data = path.read_bytes()
        start = exc.start
        if data.startswith(b"\xef\xbb\xbf") and data[3:] == exc.object:
            start += 3
        return diagnose(data, start).message(shown) + "."
    if isinstance(exc, (ValueError, IndexError, TypeError)):
        not_one = _not_one_value(ctx, name, "date")  # date: {...} or date: []
        if not_one is not None:
            return not_one
    m = _BAD_DATE.match(str(exc)) if isinstance(exc, ValueError) else None
    if m:
        value = m.group("value")
        line, col = _metadata_position(path, "date", value)
        return (
            f"{shown}:{line}:{col}: the date {value!r} cannot be read. Write it like one of "
            + _DATE_HINT
        )
    if exc is None:
        return f"{shown}: Pelican could not read it (no reason given); run with --verbose."
    reason = str(exc).strip() or "no message"
    return f"{shown}: Pelican could not read it: {type(exc).__name__}: {reason}."


_DATE_HINT = (
    ", ".join(f'"{f}"' for f in DATE_FORMATS)
    + " (a year, month and day, optionally a time and a UTC offset)."
)


def said_elsewhere(record: logging.LogRecord) -> bool:
    """A record that tells nothing the report does not: left out of the problems.

    ``check`` turns on Pelican's reader cache, which stamps every file a post
    links; a ``{static}`` image that does not exist cannot be stamped. The
    guardrails report that image (``unscannable-image``, at the link), and a build,
    which has no cache, logs nothing about it.
    """
    template = record.msg if isinstance(record.msg, str) else ""
    args = record.args if isinstance(record.args, tuple) else ()
    return (
        template.startswith("Cannot get modification stamp for")
        and len(args) > 1
        and isinstance(args[1], FileNotFoundError)
    )


def is_input_error(record: logging.LogRecord) -> bool:
    """A record Pelican logs as a warning that is an error in the input all the same."""
    template = record.msg if isinstance(record.msg, str) else ""
    args = record.args if isinstance(record.args, tuple) else ()
    return template.startswith(_DUPLICATE) and bool(args) and str(args[0]) == "date"


def _not_one_value(ctx: Context, name: str, key: str) -> str | None:
    """``key: [2026, 1]`` or ``key: {...}`` in YAML front matter, where one value goes."""
    path, shown = ctx.path(name.strip("'")), ctx.shown(name.strip("'"))
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if not text.startswith("---"):
        return None  # not YAML: "Date: [2026]" is text, a date that cannot be read
    for m in _META_KEY.finditer(text):
        if m.group("key").lower() != key:
            continue
        written, offset = m.group("value"), m.start("value")
        if not written:  # a block list: "date:" then "  - 2026" lines
            items = re.match(r"(?:\n[ \t]*-(?:[ \t][^\n]*)?(?=\n|$))+", text[m.end() :])
            if items is None:
                return None
            written = (
                "[" + ", ".join(i.strip()[1:].strip() for i in items.group(0).split("\n")[1:]) + "]"
            )
            offset = m.start("key")
        if written[:1] not in "[{" or not written:
            return None
        what = "a list" if written.startswith("[") else "a mapping"
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        if key == "date":
            return (
                f"{shown}:{line}:{col}: the date {written!r} is {what}, not one date. "
                "Write one date, like one of " + _DATE_HINT
            )
        return (
            f"{shown}:{line}:{col}: the {key} {written!r} is {what}, where one value goes "
            "(Pelican would keep only the first). Write one value."
        )
    return None


def _metadata_position(path: Path, key: str, value: str) -> tuple[int, int]:
    """Line and column of ``key: value`` in the metadata block (1, 1 if not found)."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    for m in _META_KEY.finditer(text):
        if m.group("key").lower() == key:
            found = text.find(value.strip(), m.start("value")) if value.strip() else -1
            offset = found if 0 <= found <= m.end("value") else m.start("value")
            line = text.count("\n", 0, offset) + 1
            return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
    return 1, 1


def _broken_link(ctx: Context, target: str) -> str:
    source = _linking_content()
    where, written = "", target
    if source is not None:
        path = Path(source)
        where, written = _link_position(ctx, path, target)
    if target.startswith("/") or source is None:
        looked = ctx.shown(target.lstrip("/"))
    else:
        looked = ctx.shown(Path(source).parent / target)
    text = (
        f"the link {written} points at no file of the site (looked for {looked}); "
        "fix the path (it is relative to content/ when it starts with /, else to the post), "
        "or remove the link"
    )
    return f"{where}: {text}." if where else f"{text[0].upper()}{text[1:]}."


def _linking_content() -> str | None:
    """The source file of the post or page Pelican is rendering (up the call stack)."""
    try:
        from pelican.contents import Content
    except ImportError:  # pragma: no cover - always there during a build
        return None
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        obj = frame.f_locals.get("self")
        if isinstance(obj, Content) and getattr(obj, "source_path", None):
            return str(obj.source_path)
        frame = frame.f_back
    return None


def _link_position(ctx: Context, path: Path, target: str) -> tuple[str, str]:
    """``path:line:col`` of the link to ``target`` in ``path``, and the link as written."""
    shown = ctx.shown(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return shown, target
    pattern = re.compile(
        r"(?:\{(?:filename|static|attach)\}|\|(?:filename|static|attach)\|)" + re.escape(target)
    )
    m = pattern.search(text)
    if m is None:
        return shown, target
    line = text.count("\n", 0, m.start()) + 1
    col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    return f"{shown}:{line}:{col}", m.group(0)


def _missing_field(ctx: Context, name: str, field: str) -> str:
    shown = ctx.shown(name)
    return (
        f"{shown}:1:1: no {field}, so Pelican skips it. Add a '{field.capitalize()}: ...' "
        f"line at the top (or '{field}: ...' in its --- front matter)."
    )


def _bad_yaml(ctx: Context, name: str, exc: BaseException) -> str:
    shown = ctx.shown(name.strip("'"))
    if isinstance(exc, ValueError):  # YAML read a date-like value that is no date
        path = ctx.path(name.strip("'"))
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        for m in _META_KEY.finditer(text):
            value = m.group("value").strip("'\"")
            if _YAML_DATE.match(value) and not _valid_yaml_date(value):
                line = text.count("\n", 0, m.start("value")) + 1
                col = m.start("value") - (text.rfind("\n", 0, m.start("value")) + 1) + 1
                return (
                    f"{shown}:{line}:{col}: the {m.group('key')} {value!r} is no date ({exc}). "
                    "Write it like one of " + ", ".join(f'"{f}"' for f in DATE_FORMATS) + "."
                )
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 2 if mark is not None else 1  # the front matter starts after '---'
    col = mark.column + 1 if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return (
        f"{shown}:{line}:{col}: the front matter is not valid YAML ({problem}); "
        "quote values that contain ': ' or start with a special character, e.g. "
        'title: "Notes: part 2".'
    )


def _valid_yaml_date(value: str) -> bool:
    import datetime as dt

    y, mo, d = (int(x) for x in re.findall(r"\d+", value)[:3])
    try:
        dt.date(y, mo, d)
    except ValueError:
        return False
    return True
