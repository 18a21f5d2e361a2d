"""Helpers for the text-guardrail tests: a project root with the shipped lists."""

from __future__ import annotations

import shutil
from pathlib import Path

from prudent.document import MARKDOWN, TextDocument
from prudent.findings import Finding
from prudent.policy import Policy
from prudent.report import Report
from prudent.text import TextChecker
from tests.conftest import ROOT


def make_root(tmp_path: Path, policy: str = "") -> Path:
    root = tmp_path / "root"
    root.mkdir(exist_ok=True)
    if not (root / "guardrails").exists():
        shutil.copytree(ROOT / "guardrails", root / "guardrails")
    (root / "guardrails.toml").write_text(policy, encoding="utf-8")
    return root


def checker(root: Path, detectors: dict | None = None, cache: bool = False) -> TextChecker:
    policy = Policy.load(root)
    # No model detectors unless a test hands some in: these tests are about the core.
    tc = TextChecker(policy, detectors=detectors if detectors is not None else {}, cache=cache)
    policy.reject_unknown_keys()
    return tc


def check_text(
    root: Path, text: str, path: str = "content/posts/p.md", kind: str = MARKDOWN
) -> Report:
    return checker(root).check([TextDocument(path, text, kind)])


def where(findings: list[Finding], rule: str | None = None) -> list[tuple[str, int, int, str]]:
    return [
        (f.rule, f.location.line, f.location.col, f.matched)
        for f in sorted(findings, key=Finding.sort_key)
        if rule is None or f.rule == rule
    ]
