"""Builds that must not publish: a guardrail stop writes no feed; mistakes are named."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from prudent.policy import PolicyError
from prudent_guardrails.adapter import GuardrailsFailed
from sitebuild.build import BuildFailed, build, load_settings, run_pelican
from tests.conftest import tree_digest


def _break_policy(project: Path) -> None:
    policy = project / "guardrails.toml"
    policy.write_text(policy.read_text() + "\n[rules.partisan\nseverity = 'error'\n")


def _partisan_post(project: Path) -> None:
    (project / "content/posts/2026-11-21-election-night.md").write_text(
        "Title: Election night\nDate: 2026-11-21 20:00\nCategory: Notes\n"
        "Crosspost: govloop, kind-of-digital\n\nI hope you all vote Labour next week.\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("stop", "raised"),
    [(_break_policy, PolicyError), (_partisan_post, GuardrailsFailed)],
    ids=["malformed-policy", "partisan-post"],
)
def test_a_build_stopped_by_the_guardrails_writes_no_feed_at_all(
    project: Path, stop: Callable[[Path], None], raised: type[Exception]
) -> None:
    stop(project)
    scratch = project / "scratch-output"
    settings = load_settings(
        project / "pelicanconf.py",
        {"OUTPUT_PATH": str(scratch), "DELETE_OUTPUT_DIRECTORY": False},
    )
    with pytest.raises(raised) as stopped:
        run_pelican(settings)
    if isinstance(stopped.value, GuardrailsFailed):
        assert "error partisan" in stopped.value.report.to_text()
    written = [p for p in scratch.rglob("*") if p.is_file()] if scratch.exists() else []
    assert written == []  # Pelican's feeds, ours, pages: nothing


def test_a_stopped_build_leaves_the_published_feeds_as_they_were(project: Path) -> None:
    out = build(project / "pelicanconf.py").output
    assert (out / "feeds/crosspost/govloop.json").is_file()
    before = tree_digest(out)
    post = project / "content/posts/2026-10-19-link-roundup-october.md"
    post.write_text(post.read_text().replace("Summary:", "Crosspost: govloop\nSummary:"))
    _break_policy(project)
    with pytest.raises(BuildFailed, match="policy error"):
        build(project / "pelicanconf.py")
    assert tree_digest(out) == before


def _line_of(path: Path, needle: str) -> int:
    text = path.read_text()
    return text[: text.index(needle)].count("\n") + 1


def test_every_cross_post_mistake_is_reported_at_once_with_its_line(project: Path) -> None:
    conf = project / "pelicanconf.py"
    text = conf.read_text()
    text = text.replace(
        '"attribution": \'Cross posted from <a href="{url}">{site}</a>.\',',
        '"atribution": \'Cross posted from <a href="{url}">{site}</a>.\',',
    )
    text = text.replace(
        "'Originally published by {author} at <a href=\"{url}\">{site}</a>.'",
        "'Originally published by {author} at <a href=\"{url}\">{site</a>.'",
    )
    text = text.replace(
        '"categories": ["Working in the open", "Offers"]', '"categories": ["Ofers"]'
    )
    conf.write_text(text)
    post = project / "content/posts/2026-10-19-link-roundup-october.md"
    post.write_text(
        post.read_text().replace("Summary:", "Crosspost: kind-of-digtal, Gov Loop\nSummary:")
    )
    page = project / "content/pages/about.md"
    page.write_text(page.read_text().replace("Slug: about", "Slug: about\nCrosspost: govloop"))

    with pytest.raises(BuildFailed) as stopped:
        build(project / "pelicanconf.py")
    message = str(stopped.value)
    assert "cross-posting is misconfigured (6 problems)" in message
    key_line = _line_of(conf, '"atribution"')
    template_line = _line_of(conf, "{site</a>")
    categories_line = _line_of(conf, '"Ofers"')
    post_line = _line_of(post, "Crosspost:")
    page_line = _line_of(page, "Crosspost:")
    expected = [
        rf"pelicanconf\.py:{key_line}:9: error crosspost-settings: "
        r"CROSSPOST_TARGETS\['kind-of-digital'\]: unknown key 'atribution' "
        r"\(did you mean 'attribution'\?\)",
        rf"pelicanconf\.py:{template_line}:9: error crosspost-settings: "
        r"CROSSPOST_TARGETS\['govloop'\]: the attribution template is malformed",
        rf"pelicanconf\.py:{categories_line}:\d+: error crosspost-settings: "
        r"CROSSPOST_TARGETS\['govloop'\]: no category 'Ofers' on this site "
        r"\(did you mean 'Offers'\?\)",
        rf"content/posts/2026-10-19-link-roundup-october\.md:{post_line}:1: "
        r"error crosspost-metadata: cross-post target 'kind-of-digtal' is not in "
        r"CROSSPOST_TARGETS; did you mean 'kind-of-digital'\?",
        rf"content/posts/2026-10-19-link-roundup-october\.md:{post_line}:1: "
        r"error crosspost-metadata: cross-post target 'Gov Loop' is not a valid name: .*"
        r"e\.g\. 'gov-loop'",
        rf"content/pages/about\.md:{page_line}:1: error crosspost-metadata: "
        r"'Crosspost:' works on posts only",
    ]
    for pattern in expected:
        assert re.search(pattern, message), (pattern, message)
    assert not (project / "output").exists()


def test_a_site_without_an_absolute_siteurl_is_refused(project: Path) -> None:
    with pytest.raises(
        BuildFailed, match=r"SITEURL is '': feeds need it to be the site's absolute"
    ):
        build(project / "pelicanconf.py", overrides={"SITEURL": "", "FEED_DOMAIN": ""})


def test_json_feed_can_be_turned_off_and_needs_no_setting_otherwise(project: Path) -> None:
    conf = project / "pelicanconf.py"
    conf.write_text(conf.read_text() + "\nFEED_ALL_JSON = None\n")
    out = build(project / "pelicanconf.py").output
    assert not (out / "feeds/all.json").exists()
    assert "application/feed+json" not in (out / "index.html").read_text()
    assert (out / "feeds/crosspost/kind-of-digital.json").is_file()
