"""Shared fixtures (loaded for the whole tree by the root conftest.py)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from importer.corpus import WHERE, CorpusMissing, find_corpus

ROOT = Path(__file__).resolve().parent.parent
# The shared data beside the checkout (CI sets PRUDENT_SHARED; importer/corpus.py finds the corpus).
SHARED = Path(os.environ.get("PRUDENT_SHARED") or ROOT.parent / "shared")
PROJECT_PARTS = (
    "pelicanconf.py",
    "publishconf.py",
    "tasks.py",
    "guardrails.toml",
    "content",
    "theme",
    "plugins",
    "prudent",
    "sitebuild",
    "guardrails",
)


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "tests")
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=ignore)
        elif src.is_file():
            shutil.copy2(src, dest / part)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the whole project (sample content included) in a temp folder."""
    return copy_project(tmp_path / "site")


def tree_digest(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def corpus_18f() -> Path:
    """The full 18F corpus (509 posts). Without one the test is skipped, saying
    where to put it; a PRUDENT_CORPUS that points nowhere fails it."""
    try:
        folder = find_corpus()
    except CorpusMissing as exc:
        pytest.fail(str(exc))
    if folder is None:
        pytest.skip(
            f"needs the full 18F corpus, which this checkout does not have: {WHERE} "
            "(tests/corpus/18f-sample is tested without it)"
        )
    return folder
