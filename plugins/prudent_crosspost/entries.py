"""One feed entry per post: the whole post, every URL absolute, XML-safe.

This is the only module that reads Pelican's content objects; the writers
(``atom.py``, ``jsonfeed.py``) take these plain values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urljoin

from feedgenerator import get_tag_uri
from markupsafe import Markup
from pelican.utils import set_date_tzinfo

from .absolute_urls import absolutize_html
from .attribution import render_attribution
from .xml_safe import xml_safe


@dataclass(frozen=True)
class Entry:
    id: str  # a tag: URI, the same one Pelican's own Atom feeds give the post
    url: str  # the canonical address of the post on this site
    title: str  # plain text
    content_html: str  # the whole post (plus the attribution, in cross-post feeds)
    summary_html: str
    summary_text: str
    authors: tuple[str, ...]
    published: dt.datetime
    updated: dt.datetime
    category: str
    tags: tuple[str, ...] = ()
    language: str = ""

    @property
    def categories(self) -> list[str]:
        """The category, then the tags (as Pelican's own feeds list them)."""
        return [self.category, *(t for t in self.tags if t != self.category)]


def canonical_url(article: Any, siteurl: str) -> str:
    return urljoin(siteurl.rstrip("/") + "/", str(article.url))


def site_url(settings: dict[str, Any]) -> str:
    return str(settings.get("SITEURL") or "").rstrip("/")


def entry_for(article: Any, settings: dict[str, Any]) -> Entry:
    """The post as a feed entry, with no attribution."""
    siteurl = site_url(settings)
    url = canonical_url(article, siteurl)
    tz = settings.get("TIMEZONE")
    published = set_date_tzinfo(article.date, tz)
    modified = getattr(article, "modified", None)
    updated = set_date_tzinfo(modified, tz) if modified else published
    authors = tuple(
        xml_safe(str(a)) for a in (getattr(article, "authors", None) or []) if str(a).strip()
    )
    summary_html = absolutize_html(xml_safe(str(article.summary or "")), url)
    return Entry(
        id=get_tag_uri(url, published),
        url=url,
        title=xml_safe(Markup(article.title).striptags()),
        content_html=absolutize_html(xml_safe(article.get_content(siteurl)), url),
        summary_html=summary_html,
        summary_text=Markup(summary_html).striptags(),
        authors=authors or (xml_safe(str(settings.get("AUTHOR") or "")),),
        published=published,
        updated=max(updated, published),
        category=xml_safe(str(article.category)),
        tags=tuple(xml_safe(str(t)) for t in getattr(article, "tags", None) or []),
        language=str(getattr(article, "lang", "") or settings.get("DEFAULT_LANG") or ""),
    )


def with_attribution(
    entry: Entry, template: str, target_name: str, settings: dict[str, Any]
) -> Entry:
    """``entry`` closed by the partner's attribution paragraph."""
    paragraph = render_attribution(
        template,
        url=entry.url,
        site=str(settings.get("SITENAME") or ""),
        siteurl=site_url(settings),
        title=entry.title,
        author=", ".join(entry.authors),
        target=target_name,
        date=entry.published,
    )
    paragraph = absolutize_html(xml_safe(paragraph), entry.url)
    return replace(entry, content_html=entry.content_html.rstrip() + "\n" + paragraph)
