"""A Jekyll blog: Liquid shortcodes, post_url, baseurl, raw blocks, images; then a real build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from importer import import_blog
from sitebuild.build import build
from tests.importer.conftest import build_settings, picture, write

FIRST = """---
layout: post
title: "First post"
date: 2019-05-01 10:30:00 -0400
author: Ann Lee
tags: [open source, design]
excerpt: "What we <em>learned</em> this spring."
image: /assets/img/cover.png
---

{% image "assets/img/chart.png" "A chart of visits" %}

Read [the second post]({% post_url 2019-06-02-second %}) and [about us]({{ site.baseurl }}/about/).

![The team]({{ "/assets/img/team photo.png" | relative_url }})

{% raw %}Liquid looks like {{ page.title }}.{% endraw %}

```liquid
{{ kept.as_is }}
```

{% include signup.html %}
{% image "assets/img/gone.png" "A photo we lost" %}
<img src="/assets/img/chart.png">

{% highlight python %}
print("hi")
{% endhighlight %}
"""

SECOND = """---
title: Second
tags: alpha beta
published: true
---
Back to [the first]({{ "/2019/05/01/first-post/" | url }}).
"""


@pytest.fixture
def jekyll_blog(tmp_path: Path) -> Path:
    site = tmp_path / "old"
    write(site / "_config.yml", "title: Old blog\nbaseurl: ''\n")
    write(site / "_posts/2019-05-01-first-post.md", FIRST)
    write(site / "_posts/2019-06-02-second.md", SECOND)
    for name in ("cover.png", "chart.png", "team photo.png"):
        picture(site / "assets/img" / name)
    return site / "_posts"


def _front(path: Path) -> tuple[dict, str]:
    _, fm, body = path.read_text().split("---\n", 2)
    return yaml.safe_load(fm), body


def test_jekyll_posts_are_converted(jekyll_blog: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = import_blog(jekyll_blog, content)
    assert report.flavour == "jekyll"
    assert sorted(Path(p).name for p in report.posts_imported) == [
        "2019-05-01-first-post.md",
        "2019-06-02-second.md",
    ]
    assert sorted(report.images_copied) == [
        "images/chart.png",
        "images/cover.png",
        "images/team photo.png",
    ]
    assert (content / "images/chart.png").is_file()

    meta, body = _front(content / "posts/2019-05-01-first-post.md")
    assert meta["title"] == "First post" and meta["authors"] == ["Ann Lee"]
    assert meta["tags"] == ["open source", "design"] and meta["layout"] == "post"
    assert meta["summary"] == "What we <em>learned</em> this spring."
    assert meta["image"] == meta["cover"] == "{static}/images/cover.png"
    assert "![A chart of visits]({static}/images/chart.png)" in body
    assert "[the second post]({filename}/posts/2019-06-02-second.md)" in body
    assert "[about us](/about/)" in body
    assert "![The team]({static}/images/team%20photo.png)" in body
    assert "Liquid looks like {{ page.title }}." in body and "{% raw %}" not in body
    assert "```liquid\n{{ kept.as_is }}\n```" in body
    assert "*A photo we lost*" in body and "gone.png" not in body
    assert '<img alt="chart" src="{static}/images/chart.png">' in body
    assert '```python\nprint("hi")\n```' in body

    second, body2 = _front(content / "posts/2019-06-02-second.md")
    assert str(second["date"]) == "2019-06-02" and second["tags"] == ["alpha", "beta"]
    assert "[the first]({filename}/posts/2019-05-01-first-post.md)" in body2

    problems = {(Path(p.path).name, p.line, p.code) for p in report.problems}
    assert problems == {
        ("2019-05-01-first-post.md", 13, "unresolved-link"),  # /about/ was not imported
        ("2019-05-01-first-post.md", 23, "unknown-shortcode"),  # {% include %}
        ("2019-05-01-first-post.md", 24, "missing-image"),
        ("2019-05-01-first-post.md", 25, "empty-alt"),
    }


def test_imported_jekyll_blog_builds(jekyll_blog: Path, empty_project: Path) -> None:
    import_blog(jekyll_blog, empty_project / "content")
    result = build(empty_project / "pelicanconf.py", overrides=build_settings(empty_project))
    assert not result.report.failed, result.report.to_text()
    page = (result.output / "2019/05/first-post/index.html").read_text()
    assert (
        '<img alt="A chart of visits" src="https://notebook.example.org/images/chart.png"' in page
    )
    assert 'href="https://notebook.example.org/2019/06/second/"' in page
    assert 'src="https://notebook.example.org/images/team photo.png"' in page
    assert (result.output / "images/cover.png").is_file()
    assert "What we <em>learned</em> this spring." in (result.output / "index.html").read_text()
    assert (result.output / "tag/open-source/index.html").is_file()


def test_invoke_import_blog_task(jekyll_blog: Path, tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    dest = tmp_path / "dest"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "import-blog",
            "--source",
            str(jekyll_blog),
            "--dest",
            str(dest),
            "--report",
            str(tmp_path / "r.json"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "2019-05-01-first-post.md:24:1: warning import/missing-image" in out.stdout
    assert out.stdout.strip().splitlines()[-1].startswith("import (jekyll): 2 of 2 posts imported")
    assert (dest / "posts/2019-06-02-second.md").is_file()
    assert '"code": "unknown-shortcode"' in (tmp_path / "r.json").read_text()
    # A second run refuses to overwrite without --force.
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "import-blog",
            "--source",
            str(jekyll_blog),
            "--dest",
            str(dest),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 1 and "exists (use --force" in again.stdout
