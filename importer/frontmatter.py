"""Front matter in (YAML, TOML or JSON, as Jekyll, Hugo and Eleventy write it),
YAML out, in the shape pelican-yaml-metadata reads natively.

Every key the source had is kept. What the plugin does not map by itself is
added beside it: ``summary`` from ``excerpt``/``description``, ``authors`` from
``author`` (one person a string, the role after a comma kept as
``author_roles``: ``authors.py``), a ``date`` taken from the file name when the post had none (Jekyll's
convention), ``category`` from the first of ``categories``, ``status: draft``
for ``published: false``/``draft: true`` and a unique ``slug``. Keys whose
meaning differs in Pelican (``url``, ``save_as``, ``template``) are renamed so
they cannot move or break the page.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

import yaml

from importer.authors import parse_authors

_YAML_FM = re.compile(r"\A\ufeff?\s*---[ \t]*\n(?P<fm>.*?)^(?:---|\.\.\.)[ \t]*\n?", re.M | re.S)
_TOML_FM = re.compile(r"\A\ufeff?\s*\+\+\+[ \t]*\n(?P<fm>.*?)^\+\+\+[ \t]*\n?", re.M | re.S)
FILENAME_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")
# Pelican gives these keys a meaning of its own; the source meant something else.
_RENAMED = {"url": "source_url", "save_as": "source_save_as", "template": "source_template"}
# Eleventy puts every post in a collection through its tags.
_COLLECTION_TAGS = {"post", "posts"}


class FrontMatterError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Split:
    meta: dict[str, Any]
    body: str
    body_line: int  # the line of the source file where the body starts (1-based)
    fixed: str = ""  # what had to be repaired to read the front matter


def split(text: str) -> Split:
    """Separate the front matter from the body; raise FrontMatterError if unreadable."""
    for pattern, loader in ((_YAML_FM, _load_yaml), (_TOML_FM, _load_toml)):
        m = pattern.match(text)
        if m:
            meta, fixed = loader(m.group("fm"))
            body_line = text.count("\n", 0, m.end()) + 1
            return Split(meta, text[m.end() :], body_line, fixed)
    if text.lstrip().startswith("{"):
        meta, end = _load_json(text)
        return Split(meta, text[end:], text.count("\n", 0, end) + 1)
    return Split({}, text, 1)


def _load_yaml(fm: str) -> tuple[dict[str, Any], str]:
    fixed = ""
    try:
        data = yaml.safe_load(fm)
    except yaml.YAMLError:
        # Editors leave tabs at line ends; YAML forbids them there. Jekyll's
        # Ruby parser shrugs them off, so repair rather than drop the post.
        repaired = re.sub(r"[ \t]+$", "", fm, flags=re.M)
        try:
            data = yaml.safe_load(repaired)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = (mark.line + 2) if mark else 1
            raise FrontMatterError(line, f"front matter is not valid YAML: {exc}") from None
        fixed = "trailing tabs/spaces removed from the front matter"
    if data is None:
        return {}, fixed
    if not isinstance(data, dict):
        raise FrontMatterError(2, "front matter is not a mapping of keys to values")
    return data, fixed


def _load_toml(fm: str) -> tuple[dict[str, Any], str]:
    try:
        return tomllib.loads(fm), ""
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise FrontMatterError(int(m.group(1)) + 1 if m else 1, f"bad TOML: {exc}") from None


def _load_json(text: str) -> tuple[dict[str, Any], int]:
    try:
        data, end = json.JSONDecoder().raw_decode(text.lstrip())
    except json.JSONDecodeError as exc:
        raise FrontMatterError(exc.lineno, f"bad JSON front matter: {exc.msg}") from None
    if not isinstance(data, dict):
        raise FrontMatterError(1, "JSON front matter is not an object")
    return data, end + (len(text) - len(text.lstrip()))


def _as_list(value: Any, *, split_spaces: bool = False) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    text = str(value).strip()
    if not text:
        return []
    if "," in text:
        return [t.strip() for t in text.split(",") if t.strip()]
    # Jekyll reads "tags: a b c" as three tags.
    return text.split() if split_spaces else [text]


def parse_date(value: Any) -> dt.date | dt.datetime | None:
    """A date in any common form, or None."""
    if isinstance(value, dt.datetime | dt.date):
        return value
    if value is None:
        return None
    from pelican.utils import get_date

    try:
        return get_date(str(value).strip().replace("_", " "))
    except (ValueError, OverflowError):
        return None


def normalise(
    meta: dict[str, Any],
    stem: str,
    flavour: str,
    *,
    fallback_date: dt.datetime,
) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """Return (metadata for Pelican, notes). A note is (code, found, action)."""
    notes: list[tuple[str, str, str]] = []
    out: dict[str, Any] = {}
    for key, value in meta.items():
        key = str(key)
        new = _RENAMED.get(key.lower())
        if new:
            notes.append(
                (
                    "renamed-key",
                    key,
                    f"renamed '{key}' to '{new}': Pelican reads '{key}' as its own setting",
                )
            )
            key = new
        out[key] = value
    lower = {k.lower(): k for k in out}

    def get(name: str) -> Any:
        return out.get(lower[name]) if name in lower else None

    m = FILENAME_DATE.match(stem)
    if not get("title"):
        title = (m.group(4) if m else stem).replace("-", " ").replace("_", " ").strip().capitalize()
        out["title"] = title
        notes.append(("missing-title", "", f"no title: used {title!r} from the file name"))
    else:
        out[lower["title"]] = str(get("title")).strip()

    date = parse_date(get("date"))
    if date is None:
        if m:
            try:
                date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                date = None
        if date is None:
            date = fallback_date
            notes.append(
                (
                    "missing-date",
                    str(get("date") or ""),
                    f"no usable date: used the file's time {date:%Y-%m-%d %H:%M}",
                )
            )
        if "date" in lower and get("date") is not None:
            out["source_date"] = str(get("date"))
            del out[lower["date"]]
        out["date"] = date
    if "lastmod" in lower and "modified" not in lower and parse_date(get("lastmod")):
        out["modified"] = parse_date(get("lastmod"))
    elif "modified" in lower and parse_date(get("modified")) is None:
        out["source_modified"] = str(out.pop(lower["modified"]))

    # Jekyll, Hugo and Eleventy never split an author string on commas: the part
    # after the comma is the author's role ("Jane Doe, Developer"), kept aside.
    source = get("authors") if get("authors") not in (None, "", []) else get("author")
    people = parse_authors(source)
    if people.names:
        out.pop(lower.get("authors", "authors"), None)
        out["authors"] = people.names
        if "author" in lower:
            out.pop(lower["author"])
        if people.roles:
            out["author_roles"] = people.roles
        for text in people.split:
            notes.append(
                (
                    "author-list",
                    text,
                    f"one author string named several people: read as {len(people.names)} "
                    "authors; check them",
                )
            )
    if "tags" in lower:
        tags = _as_list(get("tags"), split_spaces=flavour == "jekyll")
        if flavour == "eleventy":
            tags = [t for t in tags if t.lower() not in _COLLECTION_TAGS]
        out[lower["tags"]] = tags
    if "category" not in lower:
        cats = _as_list(get("categories"), split_spaces=flavour == "jekyll")
        if cats:
            out["category"] = cats[0]
    elif isinstance(get("category"), list):
        cats = _as_list(get("category"))
        out[lower["category"]] = cats[0] if cats else None

    if "summary" not in lower:
        for key in ("excerpt", "description"):
            if key in lower and str(get(key) or "").strip():
                out["summary"] = str(get(key)).strip()
                break

    if get("published") is False or get("draft") is True:
        out["status"] = "draft"
    return out, notes


def dump(meta: dict[str, Any], body: str) -> str:
    text = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100_000)
    return f"---\n{text}---\n\n{body.lstrip(chr(10))}"
