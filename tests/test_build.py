"""The foundation: real Pelican builds, atomic output, feeds, the two commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sitebuild.build import BuildFailed, build
from tests.fixtures import tree_digest

ATOM = "{http://www.w3.org/2005/Atom}"


def test_sample_site_builds_with_feeds_and_disclaimer(project: Path) -> None:
    result = build(project / "pelicanconf.py")
    out = result.output
    assert out == (project / "output").resolve()
    assert (out / "index.html").is_file()
    assert not result.report.failed, result.report.to_text()

    feeds = sorted((out / "feeds").rglob("*.xml"))
    names = {f.relative_to(out).as_posix() for f in feeds}
    assert {"feeds/all.atom.xml", "feeds/all.rss.xml"} <= names
    assert any(n.startswith("feeds/category/") and n.endswith(".atom.xml") for n in names)
    assert any(n.startswith("feeds/tag/") and n.endswith(".rss.xml") for n in names)
    for feed in feeds:
        ET.parse(feed)  # every feed is well-formed XML

    atom = ET.parse(out / "feeds/all.atom.xml").getroot()
    entries = atom.findall(f"{ATOM}entry")
    assert len(entries) == 5
    for entry in entries:
        content = entry.find(f"{ATOM}content")
        assert content is not None and len(content.text or "") > 200  # whole posts
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith("https://notebook.example.org/")
    assert 'src="https://notebook.example.org/images/notebook-desk.png"' in (
        out / "feeds/all.atom.xml"
    ).read_text().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')

    pages = list(out.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert "views here are my own" in page.read_text(), page


def _add_broken_post(project: Path) -> None:
    (project / "content/posts/broken.md").write_text(
        "Title: Broken\nDate: 2026-11-01\n\nSee [the other post]({filename}/posts/missing.md).\n"
    )


def test_pelican_warning_fails_build_and_leaves_output_untouched(project: Path) -> None:
    build(project / "pelicanconf.py")
    before = tree_digest(project / "output")
    _add_broken_post(project)
    with pytest.raises(BuildFailed, match=r"missing\.md"):
        build(project / "pelicanconf.py")
    assert tree_digest(project / "output") == before
    assert not list(project.glob(".output-*")), "staging folders must be cleaned up"


def test_crash_in_a_plugin_fails_build_and_leaves_output_untouched(project: Path) -> None:
    build(project / "pelicanconf.py")
    before = tree_digest(project / "output")
    # A post whose date Pelican cannot parse makes its reader fail.
    (project / "content/posts/bad-date.md").write_text("Title: Bad\nDate: not a date\n\nText.\n")
    with pytest.raises(BuildFailed):
        build(project / "pelicanconf.py")
    assert tree_digest(project / "output") == before


def test_malformed_policy_stops_build_naming_the_line(project: Path) -> None:
    build(project / "pelicanconf.py")
    before = tree_digest(project / "output")
    policy = project / "guardrails.toml"
    text = policy.read_text() if policy.exists() else ""
    policy.write_text(text + "\n[rules.partisan\nseverity = 'error'\n")
    bad_line = text.count("\n") + 2
    with pytest.raises(BuildFailed, match=rf"guardrails\.toml:{bad_line}: policy error"):
        build(project / "pelicanconf.py")
    assert tree_digest(project / "output") == before


def test_unknown_policy_key_is_a_typo_with_its_line(project: Path) -> None:
    policy = project / "guardrails.toml"
    text = policy.read_text() if policy.exists() else ""
    policy.write_text(text + "\n[no_such_section]\nsevrity = 'error'\n")
    with pytest.raises(
        BuildFailed, match=r"guardrails\.toml:\d+: policy error: unknown key 'no_such_section"
    ):
        build(project / "pelicanconf.py")


def _invoke(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_build_task_exit_codes_and_atomicity(project: Path) -> None:
    ok = _invoke(project, "build")
    assert ok.returncode == 0, ok.stderr
    assert (project / "output/index.html").is_file()
    before = tree_digest(project / "output")
    _add_broken_post(project)
    failed = _invoke(project, "build")
    assert failed.returncode == 1
    assert "output/ was left as it was" in failed.stderr
    assert tree_digest(project / "output") == before


def test_check_task_writes_nothing(project: Path) -> None:
    result = _invoke(project, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout
    assert not (project / "output").exists()


def test_new_post_scaffolds_a_draft(project: Path) -> None:
    result = _invoke(project, "new-post", "--title", "Notes from a Workshop!")
    assert result.returncode == 0, result.stderr
    [post] = (project / "content/posts").glob("*-notes-from-a-workshop.md")
    text = post.read_text()
    assert text.startswith("Title: Notes from a Workshop!\n")
    assert "Status: draft" in text


def test_publish_refuses_without_a_target_and_when_guardrails_fail(project: Path) -> None:
    result = _invoke(project, "publish")
    assert result.returncode == 1
    assert "DEPLOY_METHOD" in result.stdout + result.stderr


def test_check_reports_content_problems_a_build_would_fail_on(project: Path) -> None:
    _add_broken_post(project)
    result = _invoke(project, "check")
    assert result.returncode == 1
    assert "missing.md" in result.stderr
    assert not (project / "output").exists()


def test_paginated_listings_are_canonical_to_themselves(project: Path, tmp_path: Path) -> None:
    out = build(project / "pelicanconf.py", tmp_path / "out", {"DEFAULT_PAGINATION": 1}).output
    for listing in ("", "category/events/", "tag/plain-language/"):
        page2 = out / listing / "page/2/index.html"
        expected = f'<link rel="canonical" href="https://notebook.example.org/{listing}page/2/">'
        assert expected in page2.read_text(), page2
        first = f'<link rel="canonical" href="https://notebook.example.org/{listing}">'
        assert first in (out / listing / "index.html").read_text()


def test_check_task_reports_json_and_sarif_with_every_rule(project: Path, tmp_path: Path) -> None:
    post = project / "content/posts/2026-10-05-offer-content-reviews.md"
    lines = post.read_text().splitlines()
    lines.append("")
    lines.append("Not a word about the Tories here.")
    post.write_text("\n".join(lines) + "\n")
    result = _invoke(project, "check", "--format", "json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    [finding] = [f for f in data["findings"] if f["severity"] == "error"]
    assert finding["rule"] == "partisan"
    assert finding["location"] == {
        "path": "content/posts/2026-10-05-offer-content-reviews.md",
        "line": len(lines),
        "col": lines[-1].index("Tories") + 1,
    }
    sarif_file = tmp_path / "report.sarif"
    _invoke(project, "check", "--format", "sarif", "--output", str(sarif_file))
    run = json.loads(sarif_file.read_text())["runs"][0]
    rules = {r["id"]: r["shortDescription"]["text"] for r in run["tool"]["driver"]["rules"]}
    assert {"partisan", "nudity", "logo", "official-link", "location-metadata"} <= set(rules)
    assert rules["nudity"] != "nudity"  # a description, not just the id
    assert run["results"][0]["ruleId"] == "partisan"


def test_a_views_my_own_disclaimer_relaxes_no_rule(project: Path) -> None:
    (project / "content/posts/2026-11-20-disclaimed.md").write_text(
        "Title: Personal views\nDate: 2026-11-20 10:00\n\n"
        "These views are my own and not those of my employer.\n\n"
        "Between us, the GOP has the better plan.\n"
    )
    with pytest.raises(BuildFailed) as failed:
        build(project / "pelicanconf.py")
    assert (
        "content/posts/2026-11-20-disclaimed.md:6:17: error partisan:"
        in str(failed.value)  # G of GOP
    ), str(failed.value)
    assert not (project / "output").exists()
