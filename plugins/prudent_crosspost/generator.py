"""The Pelican generator: choose each partner's posts, then write the feeds.

``generate_context`` runs with Pelican's other generators, before the
guardrails (``all_generators_finalized``): it checks the settings and every
``Crosspost:`` line and stops the build on a mistake. ``generate_output`` runs
only once the guardrails passed, so a stopped build writes no feed at all.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pelican.utils import sanitised_join

from .entries import Entry, entry_for, site_url, with_attribution
from .feeds import FeedInfo, write_atom, write_json_feed
from .locate import Problems, SettingsText, metadata_location
from .targets import (
    METADATA_KEY,
    SETTING,
    Target,
    configured_targets,
    requested_targets,
    resolve_target,
)

logger = logging.getLogger("prudent_crosspost")

CROSSPOST_ATOM = "feeds/crosspost/{target}.atom.xml"
CROSSPOST_JSON = "feeds/crosspost/{target}.json"
FEED_ALL_JSON_DEFAULT = "feeds/all.json"


class CrosspostError(Exception):
    """Cross-posting is misconfigured; the message lists every problem."""

    def __init__(self, problems: Problems) -> None:
        count = len(problems)
        super().__init__(
            f"cross-posting is misconfigured ({count} problem{'s' if count != 1 else ''}):\n  "
            + "\n  ".join(problems.lines)
        )
        self.problems = problems


@dataclass
class Selection:
    target: Target
    articles: list[Any]


def published_posts(context: dict[str, Any]) -> list[Any]:
    """Published posts and their published translations, newest first."""
    posts: list[Any] = []
    for article in context.get("articles", []) or []:
        posts.append(article)
        posts.extend(getattr(article, "translations", []) or [])
    return sorted(posts, key=lambda a: (a.date, str(a.url)), reverse=True)


def _unpublished(context: dict[str, Any]) -> Iterator[Any]:
    for key in ("drafts", "hidden_articles"):
        for article in context.get(key, []) or []:
            yield article
            yield from getattr(article, "translations", []) or []


def _pages(context: dict[str, Any]) -> Iterator[Any]:
    for key in ("pages", "hidden_pages", "draft_pages"):
        for page in context.get(key, []) or []:
            yield page
            yield from getattr(page, "translations", []) or []


class CrosspostGenerator:
    """Writes ``feeds/all.json`` and, per target, ``feeds/crosspost/TARGET.{atom.xml,json}``."""

    def __init__(
        self,
        context: dict[str, Any],
        settings: dict[str, Any],
        path: str,
        theme: str,
        output_path: str,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        self.context = context
        self.settings = settings
        self.output_path = output_path
        self.selections: dict[str, Selection] = {}
        self.declared: set[str] = set()

    # -- choosing -------------------------------------------------------------

    def generate_context(self) -> None:
        problems = Problems()
        where = SettingsText(self.settings)
        siteurl = site_url(self.settings)
        parts = urlsplit(siteurl)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.add(
                where.setting("SITEURL"),
                f"SITEURL is {siteurl!r}: feeds need it to be the site's absolute address "
                "(https://...) so that every link in them works in a feed reader.",
            )
        categories = {str(a.category) for a in self._all_posts()}
        configured = configured_targets(self.settings, where, problems, categories)
        raw_settings = self.settings.get(SETTING)
        self.declared = set(raw_settings) if isinstance(raw_settings, dict) else set()

        selections = {tid: Selection(t, []) for tid, t in configured.items()}
        published = published_posts(self.context)
        published_ids = {id(a) for a in published}
        for article in [*published, *_unpublished(self.context)]:
            for target in self._targets_of(article, configured, where, problems):
                if id(article) not in published_ids:
                    continue  # drafts and hidden posts are checked, never sent
                if not target.accepts_category(str(article.category)):
                    logger.info(
                        "%s: not cross-posted to %s (category %r is not in its categories)",
                        article.source_path,
                        target.id,
                        str(article.category),
                    )
                    continue
                selections.setdefault(target.id, Selection(target, [])).articles.append(article)
        for page in _pages(self.context):
            if page.metadata.get(METADATA_KEY):
                problems.add(
                    metadata_location(page.source_path, METADATA_KEY, where.root),
                    "'Crosspost:' works on posts only (pages are in no feed); "
                    "move it to a post or remove the line.",
                    rule="crosspost-metadata",
                )
        if problems:
            raise CrosspostError(problems)
        self.selections = selections

    def _all_posts(self) -> Iterable[Any]:
        return [*published_posts(self.context), *_unpublished(self.context)]

    def _targets_of(
        self, article: Any, configured: dict[str, Target], where: SettingsText, problems: Problems
    ) -> list[Target]:
        targets = []
        for raw in requested_targets(article.metadata.get(METADATA_KEY)):
            target, why = resolve_target(raw, configured, self.declared)
            if target is None and why:
                problems.add(
                    metadata_location(article.source_path, METADATA_KEY, where.root),
                    why,
                    rule="crosspost-metadata",
                )
            elif target is not None and target not in targets:
                targets.append(target)  # "govloop, GovLoop" is one target
        return targets

    # -- writing --------------------------------------------------------------

    def generate_output(self, writer: Any) -> None:
        settings = self.settings
        siteurl = site_url(settings)
        feed_domain = str(settings.get("FEED_DOMAIN") or siteurl).rstrip("/")
        sitename = str(settings.get("SITENAME") or "")
        common = {
            "home_url": siteurl + "/",
            "language": str(settings.get("DEFAULT_LANG") or ""),
            "author": str(settings.get("AUTHOR") or ""),
        }
        all_json = settings.get("FEED_ALL_JSON")
        if all_json:
            posts = published_posts({"articles": self.context.get("articles", [])})
            limit = settings.get("FEED_MAX_ITEMS")
            entries = [entry_for(a, settings) for a in posts[:limit]]
            info = FeedInfo(
                title=sitename,
                feed_url=f"{feed_domain}/{all_json}",
                description=str(settings.get("SITESUBTITLE") or ""),
                **common,
            )
            self._write(all_json, lambda p: write_json_feed(p, info, entries))

        for target_id, selection in sorted(self.selections.items()):
            target = selection.target
            entries = entries_of(selection, settings)
            for pattern, write in (
                (CROSSPOST_ATOM, write_atom),
                (CROSSPOST_JSON, write_json_feed),
            ):
                path = pattern.format(target=target_id)
                info = FeedInfo(
                    title=f"{sitename}: posts for {target.name}",
                    feed_url=f"{feed_domain}/{path}",
                    description=f"Posts from {sitename} cross-posted to {target.name}.",
                    **common,
                )
                self._write(path, lambda p, w=write, i=info, e=entries: w(p, i, e))

    def _write(self, relative: str, write: Any) -> None:
        path = Path(sanitised_join(self.output_path, relative))
        write(path)
        logger.info("Writing %s", path)


def entries_of(selection: Selection, settings: dict[str, Any]) -> list[Entry]:
    """The entries a target's feeds hold (for tools that want them without files)."""
    target = selection.target
    return [
        with_attribution(entry_for(a, settings), target.attribution, target.name, settings)
        for a in selection.articles[: target.max_items]
    ]
