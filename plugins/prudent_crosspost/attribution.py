"""The paragraph that closes every cross-posted entry: who wrote it and where first.

The template is HTML with ``str.format`` placeholders; values are HTML-escaped
before they go in. A template that cannot render, names an unknown placeholder
or leaves a tag open is refused when the build starts, not found in a partner's
feed weeks later.
"""

from __future__ import annotations

import datetime as dt
import html
import string
from html.parser import HTMLParser

DEFAULT_ATTRIBUTION = 'Originally published at <a href="{url}">{site}</a>.'
PLACEHOLDERS = {
    "url": "the post's canonical address on this site",
    "site": "SITENAME",
    "siteurl": "SITEURL",
    "title": "the post's title",
    "author": "the post's author(s)",
    "target": "the partner's display name",
    "date": "the publication date (a date: {date:%d %B %Y} formats it)",
}
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
_SAMPLE = {
    "url": "https://example.org/post/",
    "site": "Site",
    "siteurl": "https://example.org",
    "title": "Title",
    "author": "Author",
    "target": "Partner",
    "date": dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC),
}


class _TagBalance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.stray: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.stray.append(tag)


def template_problem(template: str) -> str | None:
    """Why ``template`` is unusable, or None when it is fine."""
    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as exc:
        return (
            f"the attribution template is malformed ({exc}); write a literal brace as "
            f"'{{{{' or '}}}}'. Placeholders: {known}."
        )
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            return f"the attribution template has an unknown placeholder {{{name}}}; use {known}."
        if name != "date" and (spec or conversion):
            return f"the attribution template's {{{name}}} takes no format (only {{date}} does)."
    try:
        rendered = template.format(**_SAMPLE)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        return f"the attribution template cannot be rendered ({exc}). Placeholders: {known}."
    balance = _TagBalance()
    balance.feed(rendered)
    balance.close()
    if balance.stray:
        return f"the attribution template closes a tag it never opened: </{balance.stray[0]}>."
    if balance.open:
        return f"the attribution template leaves <{balance.open[-1]}> open; close it."
    return None


def render_attribution(
    template: str,
    *,
    url: str,
    site: str,
    siteurl: str,
    title: str,
    author: str,
    target: str,
    date: dt.datetime,
) -> str:
    """The attribution as a paragraph of HTML."""
    esc = html.escape
    body = template.format(
        url=esc(url),
        site=esc(site),
        siteurl=esc(siteurl),
        title=esc(title),
        author=esc(author),
        target=esc(target),
        date=date,
    ).strip()
    if body[:2].lower() == "<p" and body[2:3] in (">", " ", "\t", "\n"):
        return body
    return f'<p class="crosspost-attribution">{body}</p>'
