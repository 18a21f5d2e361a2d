"""The model rules through the real text pipeline: evasions, positions in the source."""

from __future__ import annotations

import shutil

import pytest

from prudent.document import TextDocument
from prudent.policy import Policy
from prudent.text import TextChecker
from tests.text_models.conftest import ROOT

POST = """Title: Notes from the offsite
Date: 2026-11-20 10:00

We spent the day on the new forms. The old form was a disgrace, so Mike Ross
rebuilt it.

I met **Jane** Porter at the conference. She is a m0r0n.

Honestly, my b0ss is USELESS, and Gl0bex is a shambles.

If you have a complaint about work, raise it with your manager.
"""


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> TextChecker:
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(ROOT / "guardrails", root / "guardrails")
    (root / "guardrails.toml").write_text(
        '[rules.workplace-complaint]\nemployer_names = ["Globex"]\n', encoding="utf-8"
    )
    return TextChecker(Policy.load(root), cache=False)


def test_findings_point_at_the_source(checker: TextChecker) -> None:
    report = checker.check([TextDocument("content/posts/offsite.md", POST)])
    got = sorted(
        (f.rule, f.location.line, f.location.col)
        for f in report.findings
        if f.rule in ("personal-attack", "workplace-complaint")
    )
    lines = POST.splitlines()
    she = (7, lines[6].index("She") + 1)
    boss = (9, lines[8].index("my b0ss") + 1)
    globex = (9, lines[8].index("Gl0bex") + 1)
    assert got == [
        ("personal-attack", *she),
        ("workplace-complaint", *boss),
        ("workplace-complaint", *globex),
    ]
    assert report.failed
