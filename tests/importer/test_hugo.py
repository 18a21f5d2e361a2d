"""A Hugo blog: TOML front matter, figure/ref/youtube/highlight, a page bundle, drafts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from importer import import_blog
from sitebuild.build import build
from tests.importer.conftest import build_settings, picture, write

TRIP = """+++
title = "Our trip"
date = 2020-07-04T09:00:00-05:00
tags = ["travel", "lakes"]
categories = ["Journal"]
description = "A week by the lake."
url = "/2020/our-trip/"
+++

{{< figure src="/images/lake.png" alt="A calm lake" caption="The lake at dawn" >}}

See [the map post]({{< ref "map" >}}) and {{< youtube dQw4w9WgXcQ >}}.

{{< highlight go >}}
fmt.Println("hi")
{{< /highlight >}}

{{< newsletter-signup >}}
"""

MAP = """---
title: The map
date: 2020-08-01
draft: false
images: [map.png]
---
![Hand-drawn map](map.png)

Back to [the trip](/2020/our-trip/).
"""

DRAFT = """---
title: Not yet
date: 2020-09-01
draft: true
---
Soon.
"""


@pytest.fixture
def hugo_blog(tmp_path: Path) -> Path:
    site = tmp_path / "hugo"
    write(site / "hugo.toml", 'title = "Old"\n')
    posts = site / "content/posts"
    write(posts / "_index.md", "---\ntitle: Posts\n---\n")
    write(posts / "trip.md", TRIP)
    write(posts / "map/index.md", MAP)
    picture(posts / "map/map.png", (10, 200, 10))
    write(posts / "later.md", DRAFT)
    picture(site / "static/images/lake.png")
    return posts


def test_hugo_posts_are_converted(hugo_blog: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = import_blog(hugo_blog, content)
    assert report.flavour == "hugo"
    assert report.posts_found == 3
    assert [s for s, _ in report.posts_skipped] == [str(hugo_blog / "_index.md")]
    assert sorted(report.images_copied) == ["images/lake.png", "images/map/map.png"]

    _, fm, body = (content / "posts/2020-07-04-trip.md").read_text().split("---\n", 2)
    meta = yaml.safe_load(fm)
    assert meta["title"] == "Our trip" and meta["category"] == "Journal"
    assert meta["summary"] == "A week by the lake." and meta["source_url"] == "/2020/our-trip/"
    assert "url" not in meta and meta["tags"] == ["travel", "lakes"]
    assert "![A calm lake]({static}/images/lake.png)\n*The lake at dawn*" in body
    assert "[the map post]({filename}/posts/2020-08-01-map.md)" in body
    assert "[Video on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)" in body
    assert '```go\nfmt.Println("hi")\n```' in body
    assert "newsletter-signup" not in body

    _, fm, body = (content / "posts/2020-08-01-map.md").read_text().split("---\n", 2)
    meta = yaml.safe_load(fm)
    assert meta["cover"] == "{static}/images/map/map.png"
    assert "![Hand-drawn map]({static}/images/map/map.png)" in body
    assert "[the trip]({filename}/posts/2020-07-04-trip.md)" in body  # by its old url
    later = yaml.safe_load((content / "posts/2020-09-01-later.md").read_text().split("---\n")[1])
    assert later["status"] == "draft"

    problems = [(Path(p.path).name, p.line, p.code) for p in report.problems]
    assert sorted(problems) == [("trip.md", 1, "renamed-key"), ("trip.md", 18, "unknown-shortcode")]


def test_imported_hugo_blog_builds(hugo_blog: Path, empty_project: Path) -> None:
    import_blog(hugo_blog, empty_project / "content")
    result = build(empty_project / "pelicanconf.py", overrides=build_settings(empty_project))
    assert not result.report.failed, result.report.to_text()
    trip = (result.output / "2020/07/trip/index.html").read_text()
    assert 'src="https://notebook.example.org/images/lake.png"' in trip
    assert 'href="https://notebook.example.org/2020/08/map/"' in trip
    assert (result.output / "category/journal/index.html").is_file()
    assert (result.output / "drafts/later/index.html").is_file()
    assert "Not yet" not in (result.output / "index.html").read_text()
