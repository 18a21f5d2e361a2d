"""The site's policy: ``guardrails.toml`` plus plain-text lists under ``guardrails/``.

Rule modules read their settings through ``Policy.get``; every key read is
remembered, so ``Policy.reject_unknown_keys`` can name a typo'd key by its line
(Vale-style: the policy is data, and a mistake in it stops the build).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from prudent import shipped
from prudent.document import relative_path

POLICY_FILE = "guardrails.toml"
DATA_DIR = shipped.DATA_DIR

T = TypeVar("T")


class PolicyError(Exception):
    """A malformed policy. ``str()`` names the file, the line and the fix."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: policy error: {message}")
        self.path, self.line, self.message = path, line, message


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


_KIND_NAMES: dict[type, str] = {
    int: "an integer",
    float: "a number",
    str: 'a string (in quotes: "...")',
    bool: "true or false",
    list: "a list ([...])",
    dict: "a table",
}


def _toml(value: object) -> str:
    """A value as it is written in TOML (``-5``, ``"lots"``, ``true``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return f"{value:g}" if value != int(value) else str(int(value))
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


def _example(key: str, default: object) -> str:
    """ "; write it as key = DEFAULT (the default)", when the default is a plain value."""
    if isinstance(default, (bool, int, float, str)) or (
        isinstance(default, list) and all(isinstance(v, (str, int, float)) for v in default)
    ):
        return f"; write it as, for instance, {key} = {_toml(default)} (the default)"
    return ""


@dataclass
class Policy:
    root: Path
    data: dict[str, Any]
    text: str = ""
    path: str = POLICY_FILE
    _read: set[tuple[str, ...]] = field(default_factory=set)
    _list_digests: dict[str, str] = field(default_factory=dict)

    # -- loading -----------------------------------------------------------

    @classmethod
    def load(cls, root: Path, path: Path | None = None) -> Policy:
        root = Path(root)
        file = path or root / POLICY_FILE
        rel = relative_path(file, root)
        if not file.exists():
            return cls(root=root, data={}, text="", path=rel)
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PolicyError(rel, 1, f"cannot read the policy: {exc}") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            m = _TOML_POS.search(str(exc))
            line = int(m.group(1)) if m else 1
            msg = _TOML_POS.sub("", str(exc)).strip()
            raise PolicyError(rel, line, f"{msg}; fix the TOML syntax on that line") from None
        return cls(root=root, data=data, text=text, path=rel)

    # -- typed access --------------------------------------------------------

    def get(self, dotted: str, kind: type[T] | tuple[type, ...], default: T) -> T:
        """``policy.get("rules.partisan.severity", str, "error")``."""
        keys = tuple(dotted.split("."))
        for i in range(1, len(keys) + 1):
            self._read.add(keys[:i])
        node: Any = self.data
        for k in keys:
            if not isinstance(node, dict) or k not in node:
                return default
            node = node[k]
        if kind is float and isinstance(node, int) and not isinstance(node, bool):
            node = float(node)
        if not isinstance(node, kind) or (isinstance(node, bool) and kind in (int, float)):
            kinds = (kind,) if isinstance(kind, type) else kind
            want = " or ".join(_KIND_NAMES.get(k, f"a {k.__name__}") for k in kinds)
            got = "a table" if isinstance(node, dict) else _toml(node)
            raise self.error(
                dotted, f"'{dotted}' must be {want}, not {got}{_example(keys[-1], default)}"
            )
        return node

    def positive(self, dotted: str, kind: type[T], default: T) -> T:
        """A number that must be above zero (a size, a count, a time limit)."""
        value = self.get(dotted, kind, default)
        if value <= 0:  # type: ignore[operator]
            raise self.error(
                dotted,
                f"'{dotted}' must be a positive number, not {_toml(value)}"
                + _example(dotted.rsplit(".", 1)[-1], default),
            )
        return value

    def non_negative(self, dotted: str, kind: type[T], default: T, zero: str) -> T:
        """A number that may be zero (``zero`` says what 0 means) but not below."""
        value = self.get(dotted, kind, default)
        if value < 0:  # type: ignore[operator]
            raise self.error(
                dotted,
                f"'{dotted}' must be zero ({zero}) or more, not {_toml(value)}"
                + _example(dotted.rsplit(".", 1)[-1], default),
            )
        return value

    def get_str_list(self, dotted: str, default: list[str] | None = None) -> list[str]:
        value = self.get(dotted, list, default if default is not None else [])
        for item in value:
            if not isinstance(item, str):
                raise self.error(dotted, f"'{dotted}' must be a list of strings; {item!r} is not")
        return list(value)

    def choice(self, dotted: str, choices: tuple[str, ...], default: str) -> str:
        value = self.get(dotted, str, default)
        if value not in choices:
            raise self.error(
                dotted, f"'{dotted}' is {value!r}; expected one of: {', '.join(choices)}"
            )
        return value

    def section_keys(self, dotted: str) -> list[str]:
        node = self.get(dotted, dict, {})
        return list(node)

    def mark_read(self, dotted: str) -> None:
        keys = tuple(dotted.split("."))
        for i in range(1, len(keys) + 1):
            self._read.add(keys[:i])

    def reject_unknown_keys(self) -> None:
        """Call after every rule read its settings: anything unread is a typo."""

        def walk(node: dict[str, Any], prefix: tuple[str, ...]) -> None:
            for key, value in node.items():
                path = (*prefix, key)
                if path not in self._read:
                    dotted = ".".join(path)
                    raise self.error(
                        dotted,
                        f"unknown key '{dotted}'; check its spelling against "
                        "the configuration reference, docs/configuration.md",
                    )
                if isinstance(value, dict) and any(
                    p[: len(path)] == path and len(p) > len(path) for p in self._read
                ):
                    walk(value, path)

        walk(self.data, ())

    def error(self, dotted: str, message: str) -> PolicyError:
        return PolicyError(self.path, self.line_of(dotted), message)

    def line_of(self, dotted: str) -> int:
        """Best effort: the line where ``a.b.c`` is set in the TOML text."""
        keys = dotted.split(".")
        lines = self.text.splitlines()
        section: list[str] = []
        for number, raw in enumerate(lines, 1):
            line = raw.strip()
            m = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?", line)
            if m:
                section = [p.strip().strip('"') for p in m.group(1).split(".")]
                if section == keys:
                    return number
                continue
            m = re.match(r'^("?[\w.-]+"?)\s*=', line)
            if m:
                full = section + [p.strip('"') for p in m.group(1).split(".")]
                if full == keys or full == keys[: len(full)]:
                    return number
        return 1

    # -- plain-text lists (one entry a line, '#' comments) -------------------

    def data_path(self, relpath: str) -> Path:
        """The site's ``guardrails/<relpath>``, or Prudent's shipped one when the site
        has none (a stock Pelican site with no ``guardrails/`` folder of its own)."""
        own = self.root / DATA_DIR / relpath
        if own.exists():
            return own
        default = shipped.data_file(relpath)
        return default if default.exists() else own

    def read_list(self, relpath: str) -> list[tuple[int, str]]:
        """Entries of ``guardrails/<relpath>`` (the site's or the shipped one) with their line numbers."""
        file = self.data_path(relpath)
        if not file.is_file():
            raise PolicyError(
                relative_path(file, self.root),
                1,
                f"list file not found; create it or fix the name in {self.path}",
            )
        raw = file.read_bytes()
        self._list_digests[relpath] = hashlib.sha256(raw).hexdigest()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PolicyError(relative_path(file, self.root), 1, f"not UTF-8 text: {exc}") from None
        out = []
        for number, line in enumerate(text.splitlines(), 1):
            entry = (
                line.split("#", 1)[0].strip()
                if not line.lstrip().startswith("\\#")
                else line.strip()[1:]
            )
            if entry:
                out.append((number, entry))
        return out

    @property
    def version(self) -> str:
        """Changes whenever the policy or any list it read changes (cache key)."""
        h = hashlib.sha256(self.text.encode())
        for name in sorted(self._list_digests):
            h.update(f"{name}={self._list_digests[name]}".encode())
        return h.hexdigest()[:16]
