"""The real thing: posts of the 18F blog (Jekyll) import, and a sample builds.

Every checkout has a sample of the corpus (``tests/corpus/18f-sample``: 33 posts
with every rarer construct, 40 pictures): it is imported and built for real.
With the full corpus beside the checkout (``importer/corpus.py`` finds it; CI
has it), all 509 posts are imported and checked for dangling links, and a
deterministic sample of about 60 of them is built. The full build of all 509
posts with every guardrail is a benchmark (``bench/corpus.py``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from importer import import_blog
from importer.corpus import SAMPLE
from importer.report import ImportReport
from sitebuild.build import build
from tests.conftest import ROOT
from tests.importer.conftest import build_settings

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


def sample_posts(corpus: Path) -> list[Path]:
    posts = corpus / "posts"
    every = sorted(posts.glob("*.md"))[::9]
    tricky = [posts / name for name in TRICKY if (posts / name).is_file()]
    return sorted(set(every) | set(tricky))


def dangling_links(content: Path) -> list[str]:
    out = []
    for post in sorted((content / "posts").glob("*.md")):
        for kind, target in LINK.findall(post.read_text()):
            if not (content / unquote(target)).is_file():
                out.append(f"{post.name}: {{{kind}}}/{target}")
    return out


def assert_imported_whole(report: ImportReport, corpus: Path, content: Path) -> None:
    """What must hold for any part of the corpus: every post and picture comes over."""
    posts = len(list((corpus / "posts").glob("*.md")))
    assert report.flavour == "jekyll" and report.posts_found == posts
    assert len(report.images_copied) == len(list((corpus / "assets").rglob("*.*")))
    assert dangling_links(content) == []
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


def test_the_18f_sample_imports(tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = import_blog(SAMPLE / "posts", content, site_url="https://18f.gsa.gov")
    assert len(report.posts_imported) == report.posts_found == 33, report.to_text()[-3000:]
    assert_imported_whole(report, SAMPLE, content)
    converted = report.converted
    assert converted["image shortcodes"] >= 40 and converted["template URLs"] >= 80
    for construct in ("raw blocks", "embeds", "comments"):
        assert converted[construct] >= 1, construct


@pytest.mark.slow
def test_all_509_18f_posts_import(tmp_path: Path, corpus_18f: Path) -> None:
    content = tmp_path / "content"
    report = import_blog(corpus_18f / "posts", content, site_url="https://18f.gsa.gov")
    assert report.posts_found == 509 and len(report.posts_imported) >= 500
    assert_imported_whole(report, corpus_18f, content)
    converted = report.converted
    assert converted["image shortcodes"] > 400 and converted["template URLs"] > 700


def build_imported(source: Path, project: Path) -> tuple[Path, int]:
    """Import ``source/posts`` into ``project`` and build it; (output, posts imported)."""
    report = import_blog(source / "posts", project / "content", remote_images="link")
    # That team spoke for its agency: the corpus's own policy allows official-link.
    policy = project / "guardrails.toml"
    policy.write_text(policy.read_text() + "\n" + (ROOT / "bench/18f-policy.toml").read_text())
    result = build(project / "pelicanconf.py", overrides=build_settings(project))
    assert not result.report.failed, result.report.to_text()
    pages = list(result.output.glob("20*/*/*/index.html"))
    assert len(pages) == len(report.posts_imported)
    html = (result.output / "2016/10/using-rfps-make-every-dollar-count/index.html").read_text()
    assert 'src="https://notebook.example.org/images/blog/' in html
    return result.output, len(report.posts_imported)


@pytest.mark.slow
def test_the_18f_sample_builds(empty_project: Path) -> None:
    output, imported = build_imported(SAMPLE, empty_project)
    assert imported == 33
    # The picture that is a PNG named .jpg is published under its real suffix.
    assert (output / "images/blog/dap/analytics-homepage.png").is_file()


@pytest.mark.slow
def test_a_sample_of_the_18f_corpus_builds(
    tmp_path: Path, empty_project: Path, corpus_18f: Path
) -> None:
    source = tmp_path / "18f"
    (source / "posts").mkdir(parents=True)
    (source / "assets").symlink_to(corpus_18f / "assets")
    sample = sample_posts(corpus_18f)
    assert len(sample) >= 60
    for post in sample:
        shutil.copy2(post, source / "posts" / post.name)
    _, imported = build_imported(source, empty_project)
    assert imported == len(sample)
