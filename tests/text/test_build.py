"""The text rules in a real Pelican build: drafts and settings are checked; output/ stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitebuild.build import BuildFailed, build
from tests.conftest import tree_digest


def _models_off(project: Path) -> None:
    # The model rules are tested with their real models elsewhere; this is the plumbing.
    policy = project / "guardrails.toml"
    text = policy.read_text()
    for table in ("[rules.personal-attack]", "[rules.workplace-complaint]"):
        if f"\n{table}\n" in text:
            text = text.replace(f"\n{table}\n", f'\n{table}\nseverity = "off"\n')
        else:
            text += f'\n{table}\nseverity = "off"\n'
    policy.write_text(text)


def test_partisan_draft_and_official_link_in_links_fail_the_build(project: Path) -> None:
    _models_off(project)
    first = build(project / "pelicanconf.py")
    assert not first.report.failed, first.report.to_text()
    before = tree_digest(project / "output")

    (project / "content/posts/2026-11-20-draft.md").write_text(
        "Title: Thinking aloud\nDate: 2026-11-20 10:00\nStatus: draft\n\nI might vote Labour.\n"
    )
    conf = project / "pelicanconf.py"
    text = conf.read_text()
    link = '    ("My department", "https://www.canada.ca/en/my-department.html"),\n'
    conf.write_text(text.replace("LINKS = (\n", "LINKS = (\n" + link))
    line = conf.read_text().splitlines().index(link.rstrip("\n")) + 1
    col = link.index("https://") + 1

    with pytest.raises(BuildFailed) as failed:
        build(project / "pelicanconf.py")
    report = str(failed.value)
    assert "content/posts/2026-11-20-draft.md:5:9: error partisan:" in report
    assert f"pelicanconf.py:{line}:{col}: error official-link:" in report
    assert "(matched 'vote Labour')" in report
    assert tree_digest(project / "output") == before


def test_allowed_finding_builds_and_is_reported(project: Path) -> None:
    _models_off(project)
    (project / "content/posts/2026-11-21-history.md").write_text(
        "Title: A short history of the webchat\nDate: 2026-11-21 10:00\n\n"
        "<!-- guardrails: allow official-link because it is the archived page of my own talk -->\n"
        "The [recording](https://www.canada.ca/en/talks/webchat.html) is online.\n"
    )
    result = build(project / "pelicanconf.py")
    assert not result.report.failed
    [allowance] = result.report.allowances
    assert allowance.finding.location.line == 5
    assert "allowed official-link" in result.report.to_text()
