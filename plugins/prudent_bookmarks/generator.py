"""The Pelican generator: read the exports into the context, write pages and the feed."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pelican.generators import Generator
from pelican.paginator import Paginator
from pelican.utils import sanitised_join, strftime

from prudent.findings import Finding, Location, Severity
from prudent.policy import Policy
from prudent.progress import Progress
from prudent.secrets import SecretUrlRule

from .documents import text_documents
from .exports import read_folder
from .feed import atom_feed
from .model import RULE_ID, Bookmark, Entry, Tag, merge, tag_slug, tags_of

logger = logging.getLogger("prudent_bookmarks")

DEFAULTS: dict[str, Any] = {
    "BOOKMARKS_PATH": "bookmarks",  # inside the content folder
    "BOOKMARKS_URL": "bookmarks/",
    "BOOKMARKS_SAVE_AS": "bookmarks/index.html",
    "BOOKMARKS_TAG_URL": "bookmarks/tag/{slug}/",
    "BOOKMARKS_TAG_SAVE_AS": "bookmarks/tag/{slug}/index.html",
    "BOOKMARKS_FEED_ATOM": "feeds/bookmarks.atom.xml",
    "BOOKMARKS_PER_PAGE": 25,
    "BOOKMARKS_FEED_MAX_ITEMS": None,  # None: FEED_MAX_ITEMS
}


@dataclass(frozen=True)
class TagLink:
    name: str
    slug: str
    url: str
    count: int = 0
    size: int = 1  # 1..5, for the tag cloud


@dataclass(frozen=True)
class BookmarkView:
    """A bookmark as the templates see it (the templates escape every string)."""

    url: str
    linkable: bool
    host: str
    title: str
    notes: str
    toread: bool
    date: datetime | None  # in the site's time zone
    locale_date: str
    anchor: str
    tags: tuple[TagLink, ...]


class BookmarksGenerator(Generator):
    """Reads ``content/bookmarks/`` and publishes the bookmarks pages and feed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bookmarks: list[Bookmark] | None = None
        self.tags: list[Tag] = []

    def setting(self, name: str) -> Any:
        return self.settings.get(name, DEFAULTS.get(name))

    # -- context ----------------------------------------------------------------

    def generate_context(self) -> None:
        folder = Path(self.path) / self.setting("BOOKMARKS_PATH")
        if not folder.is_dir():
            logger.info("No %s folder: no bookmarks page", folder)
            return
        root = _project_root(self.settings)
        secrets = SecretUrlRule(Policy.load(root))
        # A malformed export raises ExportError here, before anything is written.
        with Progress(
            "reading bookmarks",
            unit="bookmarks",
            enabled=bool(self.settings.get("PRUDENT_PROGRESS", True)),
        ) as bar:
            entries = read_folder(folder, root, bar.advance)
            bar.describe("merging bookmarks")
            self.bookmarks = merge(entries, secrets.clean)
        self.tags = tags_of(self.bookmarks)
        self.context.setdefault("prudent_text_documents", []).extend(text_documents(self.bookmarks))
        self.context.setdefault("prudent_findings", []).extend(
            _findings(entries, self.bookmarks, secrets)
        )
        logger.info("Bookmarks: %d public, %d tags", len(self.bookmarks), len(self.tags))

    # -- output -------------------------------------------------------------------

    def generate_output(self, writer: Any) -> None:
        if self.bookmarks is None:
            return
        cloud = self._cloud()
        feed_url = self._write_feed()
        common = {
            "bookmark_tags": cloud,
            "bookmarks_count": len(self.bookmarks),
            "bookmarks_url": self.setting("BOOKMARKS_URL"),
            "BOOKMARKS_FEED_URL": feed_url,
        }
        views = [self._view(b) for b in self.bookmarks]
        self._write_pages(
            writer,
            "bookmarks",
            self.setting("BOOKMARKS_SAVE_AS"),
            self.setting("BOOKMARKS_URL"),
            views,
            common,
        )
        by_anchor = {v.anchor: v for v in views}
        for tag, link in zip(self.tags, cloud, strict=True):
            self._write_pages(
                writer,
                "bookmarks_tag",
                self.setting("BOOKMARKS_TAG_SAVE_AS").format(slug=tag.slug),
                link.url,
                [by_anchor[b.anchor] for b in tag.bookmarks],
                dict(common, bookmark_tag=link),
            )

    def _write_pages(
        self,
        writer: Any,
        template_name: str,
        save_as: str,
        url: str,
        views: list[BookmarkView],
        extra: dict[str, Any],
    ) -> None:
        template = self.get_template(template_name)
        paginator = Paginator(
            save_as, url, views, self.settings, self.setting("BOOKMARKS_PER_PAGE")
        )
        for number in paginator.page_range:
            page = paginator.page(number)
            writer.write_file(
                page.save_as,
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=page.url,
                bookmarks=page.object_list,
                bookmarks_page=page,
                bookmarks_paginator=paginator,
                bookmarks_previous_page=paginator.page(number - 1) if number > 1 else None,
                bookmarks_next_page=paginator.page(number + 1) if page.has_next() else None,
                **extra,
            )

    def _write_feed(self) -> str | None:
        path = self.setting("BOOKMARKS_FEED_ATOM")
        if not path:
            return None
        assert self.bookmarks is not None
        site_url = (self.settings.get("SITEURL") or "").rstrip("/")
        domain = (self.settings.get("FEED_DOMAIN") or site_url).rstrip("/")
        feed_url = f"{domain}/{path}"
        max_items = self.setting("BOOKMARKS_FEED_MAX_ITEMS") or self.settings.get("FEED_MAX_ITEMS")
        feed = atom_feed(
            self.bookmarks,
            title=f"{self.settings.get('SITENAME', '')}: bookmarks",
            site_url=site_url or domain,
            page_url=f"{site_url}/{self.setting('BOOKMARKS_URL')}",
            feed_url=feed_url,
            tag_url=lambda t: f"{site_url}/{self._tag_url(t)}",
            author=self.settings.get("AUTHOR", ""),
            language=self.settings.get("DEFAULT_LANG", "en"),
            max_items=max_items,
        )
        target = Path(sanitised_join(self.output_path, path))
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8") as fh:
            feed.write(fh, "utf-8")
        logger.info('Writing "%s"', target)
        return feed_url

    # -- views ------------------------------------------------------------------

    def _tag_url(self, name: str) -> str:
        return self.setting("BOOKMARKS_TAG_URL").format(slug=tag_slug(name))

    def _cloud(self) -> list[TagLink]:
        most = max((t.count for t in self.tags), default=1)
        return [
            TagLink(
                t.name,
                t.slug,
                self.setting("BOOKMARKS_TAG_URL").format(slug=t.slug),
                t.count,
                1 + round(4 * math.log(t.count) / math.log(most)) if most > 1 else 1,
            )
            for t in self.tags
        ]

    def _view(self, bookmark: Bookmark) -> BookmarkView:
        tz = ZoneInfo(self.settings.get("TIMEZONE") or "UTC")
        date = bookmark.time.astimezone(tz) if bookmark.time else None
        fmt = self.settings.get("DEFAULT_DATE_FORMAT", "%Y-%m-%d")
        return BookmarkView(
            url=bookmark.url,
            linkable=bookmark.linkable,
            host=bookmark.host,
            title=bookmark.title,
            notes=bookmark.notes,
            toread=bookmark.toread,
            date=date,
            locale_date=strftime(date, fmt) if date else "",
            anchor=bookmark.anchor,
            tags=tuple(
                TagLink(name, tag_slug(name), self._tag_url(name)) for name in bookmark.tags
            ),
        )


def _findings(
    entries: list[Entry], bookmarks: list[Bookmark], secrets: SecretUrlRule
) -> list[Finding]:
    """Secrets taken out of published URLs; bookmarks kept private for a doubt."""
    out = []
    for bookmark in bookmarks:
        if bookmark.removed:
            e = bookmark.source
            what = f"bookmark {e.number} ({bookmark.url[:80]})"
            out.append(
                secrets.finding(Location(e.path, e.url.line, e.url.col), what, bookmark.removed)
            )
    for e in entries:
        for doubt in e.doubts:
            out.append(
                Finding(
                    RULE_ID,
                    Severity.WARNING,
                    Location(e.path, doubt.line, doubt.col),
                    secrets.clean(e.url.value).url[:80],
                    f"bookmark {e.number}: {doubt.value}",
                    "Export the bookmarks again, or write the attribute once",
                )
            )
    return out


def _project_root(settings: dict[str, Any]) -> Path:
    root = settings.get("PRUDENT_ROOT")
    return Path(root) if root else Path(settings["PATH"]).resolve().parent
