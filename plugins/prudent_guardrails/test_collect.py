"""The adapter hands the core everything a build would publish."""

from __future__ import annotations

from pathlib import Path

import pytest

import prudent_guardrails.adapter as adapter
from prudent.document import PLAIN, TEMPLATE, Site
from sitebuild.build import check


@pytest.fixture
def collected(project: Path, monkeypatch) -> tuple[Path, Site]:
    (project / "content/posts/draft.md").write_text(
        "Title: A draft\nDate: 2026-11-20\nStatus: draft\n\nNot yet.\n"
    )
    (project / "content/pages/hidden.md").write_text(
        "Title: Hidden page\nStatus: hidden\n\nStill published at a URL.\n"
    )
    (project / "content/images/unreferenced.png").write_bytes(
        (project / "content/images/notebook-desk.png").read_bytes()
    )
    (project / "theme/static/avatar.png").write_bytes(
        (project / "content/images/notebook-desk.png").read_bytes()
    )
    seen: list[Site] = []
    real = adapter.collect_site

    def spy(generators, root):
        site = real(generators, root)
        seen.append(site)
        return site

    monkeypatch.setattr(adapter, "collect_site", spy)
    check(project / "pelicanconf.py")
    return project, seen[0]


def test_collects_posts_drafts_and_hidden_pages(collected) -> None:
    _, site = collected
    paths = {d.path: d for d in site.texts}
    assert "content/posts/draft.md" in paths
    assert paths["content/posts/draft.md"].metadata["status"] == "draft"
    assert "content/pages/hidden.md" in paths
    assert "content/pages/about.md" in paths
    assert "content/posts/2026-09-14-staying-out-of-trouble-online.md" in paths


def test_collects_every_image_and_theme_asset(collected) -> None:
    _, site = collected
    images = {(i.path, i.source) for i in site.images}
    assert ("content/images/notebook-desk.png", "content") in images
    assert ("content/images/unreferenced.png", "content") in images
    assert ("theme/static/avatar.png", "theme") in images


def test_collects_settings_at_their_line_and_theme_templates(collected) -> None:
    project, site = collected
    settings = [d for d in site.texts if d.kind == PLAIN and d.label.startswith("setting ")]
    sitename = next(d for d in settings if d.label == "setting SITENAME")
    conf_lines = (project / "pelicanconf.py").read_text().splitlines()
    line = next(i for i, t in enumerate(conf_lines, 1) if t.startswith("SITENAME ="))
    assert (sitename.path, sitename.start_line) == ("pelicanconf.py", line)
    assert sitename.location(0).col == conf_lines[line - 1].index(sitename.text) + 1
    links = [d.text for d in settings if d.label == "setting LINKS"]
    assert "https://plainlanguage.example.org/" in links
    templates = {d.path for d in site.texts if d.kind == TEMPLATE}
    assert "theme/templates/base.html" in templates
