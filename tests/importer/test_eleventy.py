"""An Eleventy blog: Nunjucks image shortcode with commas, the url filter, collection tags."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from importer import import_blog
from sitebuild.build import build
from tests.importer.conftest import build_settings, picture, write

NOTE = """---
title: Desk notes
date: 2021-09-10
tags:
  - posts
  - craft
description: How I set up a desk.
---
{% image "img/desk.png", "My desk by the window" %}

More in [the other note]({{ '/posts/other-note/' | url }}) and [the feed]({{ '/feed.xml' | url }}).

{% set colour = "blue" %}
"""

OTHER = """---
title: Other note
date: 2021-10-01T08:00:00.000Z
author: Bo
tags: posts
---
Nothing to see; {{ colour }}.
"""


@pytest.fixture
def eleventy_blog(tmp_path: Path) -> Path:
    site = tmp_path / "eleventy"
    write(site / ".eleventy.js", "module.exports = {};\n")
    write(site / "posts/desk-notes.md", NOTE)
    write(site / "posts/other-note.md", OTHER)
    write(site / "posts/index.md", "---\npagination:\n  data: collections.posts\n---\nList\n")
    picture(site / "img/desk.png")
    return site / "posts"


def test_eleventy_posts_are_converted(eleventy_blog: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = import_blog(eleventy_blog, content, site_url="https://old.example.net")
    assert report.flavour == "eleventy"
    assert report.images_copied == ["images/desk.png"]
    assert [Path(p).name for p, _ in report.posts_skipped] == ["index.md"]
    _, fm, body = (content / "posts/2021-09-10-desk-notes.md").read_text().split("---\n", 2)
    meta = yaml.safe_load(fm)
    assert meta["tags"] == ["craft"] and meta["summary"] == "How I set up a desk."
    assert "![My desk by the window]({static}/images/desk.png)" in body
    assert "[the other note]({filename}/posts/2021-10-01-other-note.md)" in body
    assert "[the feed](https://old.example.net/feed.xml)" in body
    assert "{% set" not in body
    other = yaml.safe_load(
        (content / "posts/2021-10-01-other-note.md").read_text().split("---\n")[1]
    )
    assert other["authors"] == ["Bo"] and other["tags"] == []
    problems = sorted((Path(p.path).name, p.line, p.code) for p in report.problems)
    assert problems == [
        ("desk-notes.md", 11, "unresolved-link"),
        ("desk-notes.md", 13, "unknown-shortcode"),
        ("other-note.md", 7, "unknown-expression"),
    ]


def test_imported_eleventy_blog_builds(eleventy_blog: Path, empty_project: Path) -> None:
    import_blog(eleventy_blog, empty_project / "content")
    result = build(empty_project / "pelicanconf.py", overrides=build_settings(empty_project))
    assert not result.report.failed, result.report.to_text()
    page = (result.output / "2021/09/desk-notes/index.html").read_text()
    assert (
        '<img alt="My desk by the window" src="https://notebook.example.org/images/desk.png"'
        in page
    )
    assert 'href="https://notebook.example.org/2021/10/other-note/"' in page


def test_remote_images_can_become_links(tmp_path: Path) -> None:
    site = tmp_path / "eleventy"
    write(site / ".eleventy.js", "module.exports = {};\n")
    write(
        site / "posts/remote.md",
        "---\ntitle: R\ndate: 2022-01-01\n---\n"
        "![A whiteboard](https://docs.example.com/img/board.png)\n\n"
        '<img src="https://docs.example.com/img/b.png" alt="B">\n',
    )
    kept = import_blog(site / "posts", tmp_path / "kept")
    body = (tmp_path / "kept/posts/2022-01-01-remote.md").read_text()
    assert "![A whiteboard](https://docs.example.com/img/board.png)" in body
    assert kept.problems == []
    linked = import_blog(site / "posts", tmp_path / "linked", remote_images="link")
    body = (tmp_path / "linked/posts/2022-01-01-remote.md").read_text()
    assert "[A whiteboard](https://docs.example.com/img/board.png)" in body and "![" not in body
    assert '<a href="https://docs.example.com/img/b.png">B</a>' in body
    assert [(p.line, p.code) for p in linked.problems] == [(5, "remote-image"), (7, "remote-image")]
