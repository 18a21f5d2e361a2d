"""Cross-post targets: the per-partner settings and the posts' ``Crosspost:`` metadata.

A target needs no settings at all: ``Crosspost: govloop`` in a post is enough
for ``feeds/crosspost/govloop.atom.xml``. ``CROSSPOST_TARGETS`` in
pelicanconf.py only refines one (display name, attribution, categories). Every
mistake is collected as a problem naming the file and line, never ignored.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .attribution import DEFAULT_ATTRIBUTION, template_problem
from .locate import Problems, SettingsText

SETTING = "CROSSPOST_TARGETS"
METADATA_KEY = "crosspost"
TARGET_KEYS = {
    "name": "the partner's display name (text)",
    "attribution": "the closing paragraph's HTML, with {url}, {site}, ... placeholders",
    "categories": "a list of the categories whose posts go to this partner",
    "max_items": "how many of the newest posts the feed holds (a positive number)",
}
_TARGET_ID = re.compile(r"^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$")


@dataclass(frozen=True)
class Target:
    id: str
    name: str
    attribution: str = DEFAULT_ATTRIBUTION
    categories: tuple[str, ...] | None = None  # None: every category
    max_items: int | None = None  # None: every post meant for it

    def accepts_category(self, category: str) -> bool:
        if self.categories is None:
            return True
        wanted = {c.casefold() for c in self.categories}
        return category.casefold() in wanted or _slug(category) in {_slug(c) for c in wanted}


def default_target(target_id: str) -> Target:
    return Target(id=target_id, name=target_id)


def suggest(word: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return close[0] if close else None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def configured_targets(
    settings: Mapping[str, Any],
    where: SettingsText,
    problems: Problems,
    known_categories: Iterable[str] = (),
) -> dict[str, Target]:
    """``CROSSPOST_TARGETS`` read and checked; bad entries become problems.

    ``known_categories`` (the site's) catch a typo in a target's categories.
    """
    known = list(known_categories)
    raw = settings.get(SETTING)
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        problems.add(
            where.setting(SETTING),
            f"{SETTING} must be a dict of target name -> settings, "
            f'e.g. {{"govloop": {{"name": "GovLoop"}}}}; found {type(raw).__name__}.',
        )
        return {}
    targets: dict[str, Target] = {}
    for target_id, options in raw.items():
        loc = where.key(SETTING, target_id)
        label = f"{SETTING}[{target_id!r}]"
        if not isinstance(target_id, str) or not _TARGET_ID.match(target_id):
            problems.add(
                loc,
                f"{label}: a target name is lower-case letters, digits, '-' and '_' "
                f"(it names the feed file), e.g. {_slug(str(target_id)) or 'partner'!r}.",
            )
            continue
        if options is None:
            options = {}
        if not isinstance(options, Mapping):
            problems.add(
                loc, f"{label} must be a dict of settings ({', '.join(TARGET_KEYS)}) or {{}}."
            )
            continue
        target = _target_from(target_id, options, label, where, problems, known)
        if target is not None:
            targets[target_id] = target
    return targets


def _target_from(
    target_id: str,
    options: Mapping[str, Any],
    label: str,
    where: SettingsText,
    problems: Problems,
    known_categories: list[str],
) -> Target | None:
    ok = True
    for key in options:
        if key not in TARGET_KEYS:
            hint = suggest(str(key), TARGET_KEYS)
            did_you_mean = f" (did you mean {hint!r}?)" if hint else ""
            known = ", ".join(f"{k} ({v})" for k, v in TARGET_KEYS.items())
            problems.add(
                where.key(SETTING, key, after=target_id),
                f"{label}: unknown key {key!r}{did_you_mean}. Known keys: {known}.",
            )
            ok = False

    name = options.get("name", target_id)
    if not isinstance(name, str) or not name.strip():
        problems.add(where.key(SETTING, "name", after=target_id), f"{label}: 'name' must be text.")
        ok = False

    attribution = options.get("attribution", DEFAULT_ATTRIBUTION)
    if not isinstance(attribution, str):
        problems.add(
            where.key(SETTING, "attribution", after=target_id),
            f"{label}: 'attribution' must be text (HTML), e.g. {DEFAULT_ATTRIBUTION!r}.",
        )
        ok = False
    else:
        problem = template_problem(attribution)
        if problem:
            problems.add(where.key(SETTING, "attribution", after=target_id), f"{label}: {problem}")
            ok = False

    categories = options.get("categories")
    if categories is not None and (
        isinstance(categories, str)
        or not isinstance(categories, (list, tuple, set, frozenset))
        or not all(isinstance(c, str) and c.strip() for c in categories)
    ):
        problems.add(
            where.key(SETTING, "categories", after=target_id),
            f"{label}: 'categories' must be a list of category names, e.g. [\"Events\"].",
        )
        ok = False
    elif categories is not None:
        ok = _categories_exist(target_id, categories, known_categories, where, problems) and ok

    max_items = options.get("max_items")
    if max_items is not None and (
        isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 1
    ):
        problems.add(
            where.key(SETTING, "max_items", after=target_id),
            f"{label}: 'max_items' must be a positive whole number (or leave it out for all).",
        )
        ok = False
    if not ok:
        return None
    return Target(
        id=target_id,
        name=name.strip(),
        attribution=attribution,
        categories=tuple(c.strip() for c in categories) if categories is not None else None,
        max_items=max_items,
    )


def _categories_exist(
    target_id: str,
    categories: Iterable[str],
    known: list[str],
    where: SettingsText,
    problems: Problems,
) -> bool:
    """A category no post has, but close to one that some post has, is a typo."""
    folded = {k.casefold() for k in known} | {_slug(k) for k in known}
    ok = True
    for category in categories:
        category = category.strip()
        if category.casefold() in folded or _slug(category) in folded:
            continue
        hint = suggest(category, known)
        if hint:
            problems.add(
                where.key(SETTING, category, after=target_id),
                f"{SETTING}[{target_id!r}]: no category {category!r} on this site "
                f"(did you mean {hint!r}?).",
            )
            ok = False
    return ok


def requested_targets(value: Any) -> list[str]:
    """The raw target names of a ``Crosspost:`` metadata value, in order, once each."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    names: list[str] = []
    for item in items:
        name = str(item).strip()
        if name and name not in names:
            names.append(name)
    return names


def resolve_target(
    raw: str, configured: Mapping[str, Target], declared: Iterable[str] = ()
) -> tuple[Target | None, str]:
    """``(target, "")`` for a good name, ``(None, why)`` for a bad one.

    ``declared`` are all names in the settings, even ones with problems, so a
    typo is caught while the settings are being fixed too.
    """
    declared = {str(d) for d in declared} | set(configured)
    target_id = raw.strip().lower()
    if not _TARGET_ID.match(target_id):
        return None, (
            f"cross-post target {raw!r} is not a valid name: use lower-case letters, digits, "
            f"'-' and '_' (it names the feed file), e.g. {_slug(raw) or 'partner'!r}."
        )
    if target_id in configured:
        return configured[target_id], ""
    if target_id in declared:
        return None, ""  # its settings have a problem, reported already
    hint = suggest(target_id, declared)
    if hint:
        return None, (
            f"cross-post target {raw!r} is not in {SETTING}; did you mean {hint!r}? "
            f"(For a new partner with a similar name, add {target_id!r} to {SETTING}.)"
        )
    return default_target(target_id), ""
