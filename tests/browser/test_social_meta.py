"""The theme's Open Graph / Twitter-card metadata for each form of `Image:`.

A real build of a copy of the project with posts naming their image in each
way Pelican allows; every og:image must be absolute and point at a file the
build wrote (the very bytes of the source image).
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from sitebuild.build import build
from tests.fixtures import copy_project

SITEURL = "http://127.0.0.1:8123"
POST = """Title: {title}
Date: 2026-11-1{n} 09:00
Category: Notes
Tags: testing
Summary: A post that names its picture as {how}.
Image: {image}
{extra}
A short post about a desk, with nothing else in it but a few plain sentences
so that it reads like a note. The picture is only in the card.
"""


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta.setdefault(a.get("property") or a.get("name") or "", a.get("content") or "")
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href") or ""


def _meta(html: Path) -> _Meta:
    parser = _Meta()
    parser.feed(html.read_text(encoding="utf-8"))
    return parser


def test_every_form_of_image_metadata_becomes_an_absolute_checked_url(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "site")
    desk = project / "content" / "images" / "notebook-desk.png"
    posts = project / "content" / "posts"
    shutil.copy2(desk, posts / "desk-attached.png")
    forms = {
        "site-absolute": ("/images/notebook-desk.png", "Image_alt: A desk & a mug\n"),
        "static": ("{static}/images/notebook-desk.png", ""),
        # Pelican publishes an {attach} file only when the text links it too.
        "attach": ("{attach}desk-attached.png", "\n![A desk]({attach}desk-attached.png)\n"),
    }
    for n, (how, (image, extra)) in enumerate(forms.items()):
        (posts / f"card-{how}.md").write_text(
            POST.format(title=f"Card {how}", n=n, how=how, image=image, extra=extra),
            encoding="utf-8",
        )
    out = build(
        project / "pelicanconf.py",
        overrides={"SITEURL": SITEURL, "FEED_DOMAIN": SITEURL},
    ).output

    for how in forms:
        page = next(out.rglob(f"card-{how}/index.html"))
        found = _meta(page)
        assert found.meta["og:type"] == "article"
        assert found.meta["og:url"] == found.canonical
        assert found.canonical.startswith(SITEURL + "/") and found.canonical.endswith(
            f"card-{how}/"
        )
        image = found.meta["og:image"]
        assert image.startswith(SITEURL + "/"), (how, image)
        assert found.meta["twitter:image"] == image
        assert found.meta["twitter:card"] == "summary_large_image"
        served = out / image.removeprefix(SITEURL + "/")
        assert served.read_bytes() == desk.read_bytes(), (how, image)
        if how == "attach":  # {attach} moves the file beside the post's own page
            assert served.parent == page.parent
    alt = _meta(next(out.rglob("card-site-absolute/index.html"))).meta
    assert alt["og:image:alt"] == alt["twitter:image:alt"] == "A desk & a mug"
    # A page with no image gets a plain card and no og:image at all.
    home = _meta(out / "index.html").meta
    assert home["og:type"] == "website" and home["twitter:card"] == "summary"
    assert "og:image" not in home
