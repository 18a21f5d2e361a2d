"""``import_blog``: a Jekyll, Hugo or Eleventy posts folder into content/."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from importer import flavour as flavours
from importer.frontmatter import (
    FILENAME_DATE,
    FrontMatterError,
    dump,
    normalise,
    parse_date,
    split,
)
from importer.links import REMOTE_MODES, LinkResolver, is_image_path, is_remote
from importer.report import ImportReport, Problem
from importer.shortcodes import BodyConverter, remote_css_pictures

_COVER_KEYS = ("image", "cover", "featured_image", "images")


@dataclass
class _Post:
    source: Path
    text: str
    meta: dict[str, Any]
    body: str
    body_line: int
    slug: str
    dest_name: str


def import_blog(
    source: str | Path,
    dest: str | Path,
    *,
    site_url: str = "",
    flavour: str = "auto",
    force: bool = False,
    remote_images: str = "keep",
) -> ImportReport:
    source, content = Path(source), Path(dest)
    if not source.is_dir():
        raise FileNotFoundError(f"{source} is not a folder of posts")
    paths, skipped = flavours.find_posts(source)
    report = ImportReport(posts_found=len(paths))
    report.posts_skipped += [(str(p), why) for p, why in skipped]
    if flavour == "auto":
        flavour = flavours.detect(
            source, [p.read_text("utf-8", "replace")[:4000] for p in paths[:50]]
        )
    elif flavour not in flavours.FLAVOURS:
        raise ValueError(f"unknown flavour {flavour!r}: use auto, {', '.join(flavours.FLAVOURS)}")
    report.flavour = flavour
    if remote_images not in REMOTE_MODES:
        raise ValueError(
            f"remote_images is {remote_images!r}: use {', '.join(REMOTE_MODES[:-1])} or "
            f"{REMOTE_MODES[-1]}"
        )
    resolver = LinkResolver(
        flavours.search_roots(source), content, site_url=site_url, remote_images=remote_images
    )
    posts = _read_all(paths, flavour, report, resolver)
    posts_dir = content / "posts"
    posts_dir.mkdir(parents=True, exist_ok=True)
    for post in posts:
        target = posts_dir / post.dest_name
        if target.exists() and not force:
            report.posts_skipped.append(
                (str(post.source), f"{target} exists (use --force to replace it)")
            )
            continue
        target.write_text(_convert(post, flavour, resolver, report), encoding="utf-8")
        report.posts_imported.append(target.as_posix())
    report.images_copied = sorted(resolver.copied.values())
    for image, why in resolver.renamed:
        report.add(Problem(str(image), 1, 1, "wrong-extension", image.name, why))
    return report


def _read_all(
    paths: list[Path], flavour: str, report: ImportReport, resolver: LinkResolver
) -> list[_Post]:
    posts: list[_Post] = []
    slugs: set[str] = set()
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            parts = split(text)
        except FrontMatterError as exc:
            report.add(
                Problem(
                    str(path),
                    exc.line,
                    1,
                    "bad-front-matter",
                    str(exc).splitlines()[0],
                    "post skipped: fix its front matter and import again",
                )
            )
            report.posts_skipped.append((str(path), "unreadable front matter"))
            continue
        if "pagination" in parts.meta:  # an Eleventy listing page, not a post
            report.posts_skipped.append((str(path), "a listing page (pagination), not a post"))
            continue
        if parts.fixed:
            report.add(
                Problem(str(path), 1, 1, "repaired-front-matter", "front matter", parts.fixed)
            )
        # A Hugo page bundle is named by its folder.
        stem = path.parent.name if path.stem == "index" else path.stem
        m = FILENAME_DATE.match(stem)
        meta_slug = str(parts.meta.get("slug") or "").strip()
        base = (
            re.sub(r"[^\w-]+", "-", meta_slug or (m.group(4) if m else stem)).strip("-").lower()
            or "post"
        )
        slug = base
        n = 1
        while slug in slugs:
            n += 1
            slug = f"{base}-{n}"
        slugs.add(slug)
        post = _Post(path, text, parts.meta, parts.body, parts.body_line, slug, "")
        date = _date_of(post, flavour)
        post.dest_name = f"{date:%Y-%m-%d}-{slug}.md"
        resolver.add_post(post.dest_name, stem, _old_paths(post, date, stem))
        posts.append(post)
    return posts


def _date_of(post: _Post, flavour: str) -> dt.date:
    meta, _ = normalise(post.meta, post.source.stem, flavour, fallback_date=_mtime(post.source))
    return parse_date(meta.get("date")) or _mtime(post.source)


def _mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)


def _old_paths(post: _Post, date: dt.date, stem: str) -> list[str]:
    """The URLs the post had on the old site, for links from other posts."""
    name = FILENAME_DATE.match(stem).group(4) if FILENAME_DATE.match(stem) else stem
    paths = [
        f"/{date:%Y/%m/%d}/{name}/",
        f"/{date:%Y/%m}/{name}/",
        f"/{date:%Y}/{name}/",
        f"/{name}/",
        f"/posts/{name}/",
        f"/blog/{name}/",
        f"/blog/{date:%Y/%m/%d}/{name}/",
        f"/posts/{stem}/",
    ]
    for key in ("permalink", "url", "aliases", "redirect_from"):
        value = post.meta.get(key)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and v.startswith("/") and ":" not in v:
                paths.insert(0, v)
    return paths


def _convert(post: _Post, flavour: str, resolver: LinkResolver, report: ImportReport) -> str:
    src = str(post.source)
    meta, notes = normalise(post.meta, post.source.stem, flavour, fallback_date=_mtime(post.source))
    for code, found, action in notes:
        report.add(Problem(src, _meta_line(post.text, code), 1, code, found, action))
    meta["slug"] = post.slug
    counts: dict[str, int] = {}

    def note(
        offset: int,
        code: str,
        found: str,
        action: str,
        *,
        body: str = post.body,
        line0: int = post.body_line,
    ) -> None:
        line = line0 + body.count("\n", 0, offset)
        col = offset - (body.rfind("\n", 0, offset) + 1) + 1
        report.add(Problem(src, line, col, code, found, action))

    converter = BodyConverter(resolver, post.meta, post.source.parent, note, counts)
    styled = remote_css_pictures(post.body, converter) if resolver.remote_images != "keep" else {}
    body = converter.convert(post.body)
    for written, replacement in styled.items():
        body = body.replace(written, replacement)
    _cover(meta, post, resolver, report)
    _remote_front_matter(meta, post, resolver, report, counts)
    if isinstance(meta.get("summary"), str):
        summary_line = _meta_line(post.text, "summary")

        def meta_note(offset: int, code: str, found: str, action: str) -> None:
            report.add(Problem(src, summary_line, 1, code, found, action))

        meta["summary"] = BodyConverter(
            resolver, post.meta, post.source.parent, meta_note, counts
        ).convert(meta["summary"])
    for what, n in counts.items():
        report.converted[what] += n
    return dump(meta, body)


def _cover(meta: dict[str, Any], post: _Post, resolver: LinkResolver, report: ImportReport) -> None:
    """``image`` (or Hugo's ``cover``/``images``) becomes the post's cover, copied in."""
    for key in _COVER_KEYS:
        value = meta.get(key)
        if isinstance(value, dict):
            value = value.get("image")
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, str) or not value.strip():
            continue
        resolved = resolver.resolve(value, post.source.parent)
        line = _meta_line(post.text, key)
        if resolved.url is None:
            report.add(
                Problem(
                    str(post.source),
                    line,
                    1,
                    resolved.code,
                    value,
                    f"cover image not found: '{key}' removed",
                )
            )
            meta.pop(key)
            continue
        if resolved.code:
            report.add(Problem(str(post.source), line, 1, resolved.code, value, resolved.action))
        if key in ("image", "featured_image") or isinstance(meta[key], str):
            meta[key] = resolved.url
        meta["cover"] = resolved.url
        return


# Front matter keys that name a picture (themes and SEO plugins), at any depth:
# ``image``, ``header: {teaser: ...}``, ``cover: {image: ...}``, ``images: [...]``.
_PICTURE_KEYS = frozenset(
    [
        "image",
        "images",
        "cover",
        "cover_image",
        "thumbnail",
        "thumb",
        "teaser",
        "banner",
        "hero",
        "hero_image",
        "header_image",
        "header_cover",
        "overlay_image",
        "featured_image",
        "feature_image",
        "featured",
        "og_image",
        "og:image",
        "twitter_image",
        "twitter:image",
        "social_image",
        "share_image",
        "avatar",
        "photo",
        "picture",
    ]
)
REMOTE_KEPT = "source_remote_images"


def _remote_front_matter(
    meta: dict[str, Any],
    post: _Post,
    resolver: LinkResolver,
    report: ImportReport,
    counts: dict[str, int],
) -> None:
    """Pictures on other servers named in the front matter (covers, teasers, og:image).

    ``link``: no picture of the post may be remote, so each moves to
    ``source_remote_images`` (kept for the author, published nowhere: no theme
    shows that key and the image rules do not read it as a picture).
    ``download``: each is copied in and its value becomes ``{static}/...``.
    """
    if resolver.remote_images == "keep":
        return
    kept: list[str] = list(meta.get(REMOTE_KEPT) or [])

    def visit(node: Any, key: str, top: str) -> Any:
        """The node to keep, or ``_GONE`` to drop a remote picture."""
        if isinstance(node, dict):
            for k in list(node):
                new = visit(node[k], str(k), top or str(k))
                if new is _GONE:
                    del node[k]
                else:
                    node[k] = new
            return node
        if isinstance(node, list):
            out = [visit(item, key, top) for item in node]
            return [item for item in out if item is not _GONE]
        if not isinstance(node, str) or not is_remote(node):
            return node
        if key.lower() not in _PICTURE_KEYS and not is_image_path(node):
            return node  # a link to a page, not a picture
        new, how = resolver.remote_image(node.strip())
        at = post.text.find(node.strip())
        line = post.text.count("\n", 0, at) + 1 if at >= 0 else _meta_line(post.text, top)
        if how == "copied":
            counts["downloaded images"] = counts.get("downloaded images", 0) + 1
            return new
        why = resolver.download_errors.get(node.strip())
        action = (
            f"picture on another server in '{key}' not published: kept as {REMOTE_KEPT}; save "
            f"it under content/images/ and set '{key}' to it to publish it"
        )
        if why:
            action = f"could not download it ({why}): {action}"
        if node not in kept:  # told once, even when the cover repeats the image
            report.add(Problem(str(post.source), line, 1, "remote-image", node, action))
            kept.append(node)
        return _GONE

    for key in list(meta):
        if key == REMOTE_KEPT:
            continue
        new = visit(meta[key], key, key)
        if new is _GONE:
            del meta[key]
        else:
            meta[key] = new
    if kept:
        meta[REMOTE_KEPT] = kept


_GONE = object()


def _meta_line(text: str, key: str) -> int:
    m = re.search(rf"^{re.escape(key)}\s*[:=]", text, re.M | re.I)
    return text.count("\n", 0, m.start()) + 1 if m else 1
