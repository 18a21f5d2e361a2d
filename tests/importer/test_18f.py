"""The real thing: the 509 posts of the 18F blog (Jekyll) import, and a sample builds.

The full build of all 509 posts with every guardrail is a benchmark
(``bench/corpus.py``); here the whole corpus is imported and checked for
dangling links, and a deterministic sample of about 60 posts, chosen to include
every kind of shortcode, is built for real.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from importer import import_blog
from importer.corpus import corpus_dir
from sitebuild.build import build
from tests.conftest import ROOT
from tests.importer.conftest import build_settings

CORPUS = corpus_dir()
POSTS = CORPUS / "posts"
# Posts with the rarer constructs: include with parameters, raw blocks in code,
# a comment, tabs in the front matter, {{ image | url }}, {{ page.image }},
# embeds, team filters, image_with_class inside HTML.
TRICKY = (
    "2014-11-17-taking-control-of-our-website-with-jekyll-and-webhooks.md",
    "2016-07-18-cloud-gov-full-steam-ahead-fedramp-assessment-process.md",
    "2016-05-19-content-debt-what-it-is-where-to-find-it-and-how-to-prevent-it-in-the-first-place.md",
    "2016-10-03-using-rfps-make-every-dollar-count.md",
    "2014-12-23-hub.md",
    "2014-05-14-hacking-bureaucracy-improving-hiring-and-software.md",
    "2015-12-23-looking-back-2015-our-own-words.md",
    "2014-12-15-open-source-at-18f.md",
    "2024-07-17-working-with-oracle-databases-in-open-source-projects.md",
)
LINK = re.compile(r"\{(static|filename)\}/([^)\s\"'>#?]+)")


def sample_posts() -> list[Path]:
    every = sorted(POSTS.glob("*.md"))[::9]
    tricky = [POSTS / name for name in TRICKY if (POSTS / name).is_file()]
    return sorted(set(every) | set(tricky))


def dangling_links(content: Path) -> list[str]:
    out = []
    for post in sorted((content / "posts").glob("*.md")):
        for kind, target in LINK.findall(post.read_text()):
            from urllib.parse import unquote

            if not (content / unquote(target)).is_file():
                out.append(f"{post.name}: {{{kind}}}/{target}")
    return out


@pytest.mark.slow
def test_all_509_18f_posts_import(tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = import_blog(POSTS, content, site_url="https://18f.gsa.gov")
    assert report.flavour == "jekyll" and report.posts_found == 509
    assert len(report.posts_imported) >= 500, report.to_text()[-3000:]
    assert len(report.images_copied) == len(list((CORPUS / "assets").rglob("*.*")))
    assert dangling_links(content) == []
    converted = report.converted
    assert converted["image shortcodes"] > 400 and converted["template URLs"] > 700
    # The front matter every post must have for Pelican.
    for post in (content / "posts").glob("*.md"):
        head = post.read_text().split("---\n", 2)[1]
        assert re.search(r"^date: ", head, re.M) and re.search(r"^title: ", head, re.M), post
    # Every problem names a real line of a real source file.
    for p in report.problems:
        assert Path(p.path).is_file(), p
        if p.code != "wrong-extension":
            assert 1 <= p.line <= len(Path(p.path).read_text().splitlines()) + 1
    codes = {p.code for p in report.problems}
    # Three images in the corpus hold another format than their name says.
    renamed = sorted(Path(p.path).name for p in report.problems if p.code == "wrong-extension")
    assert renamed == ["analytics-homepage.jpg", "css-guide.png", "screenshot-of-guide.png"]
    assert "images/blog/dap/analytics-homepage.png" in report.images_copied
    assert "missing-image" in codes  # images over 400 KB were left out of the corpus


@pytest.mark.slow
def test_a_sample_of_the_18f_corpus_builds(tmp_path: Path, empty_project: Path) -> None:
    source = tmp_path / "18f"
    (source / "posts").mkdir(parents=True)
    (source / "assets").symlink_to(CORPUS / "assets")
    sample = sample_posts()
    assert len(sample) >= 60
    for post in sample:
        shutil.copy2(post, source / "posts" / post.name)
    report = import_blog(source / "posts", empty_project / "content", remote_images="link")
    # That team spoke for its agency: the corpus's own policy allows official-link.
    policy = empty_project / "guardrails.toml"
    policy.write_text(policy.read_text() + "\n" + (ROOT / "bench/18f-policy.toml").read_text())
    assert len(report.posts_imported) == len(sample)
    result = build(empty_project / "pelicanconf.py", overrides=build_settings(empty_project))
    assert not result.report.failed, result.report.to_text()
    pages = [p for p in result.output.glob("20*/*/*/index.html")]
    assert len(pages) == len(sample)
    html = (result.output / "2016/10/using-rfps-make-every-dollar-count/index.html").read_text()
    assert 'src="https://notebook.example.org/images/blog/' in html
