"""Fixtures for the image guardrails: a tiny site on disk, a policy, a checker."""

from __future__ import annotations

from pathlib import Path

import pytest

from prudent.document import MARKDOWN, ImageFile, Site, TextDocument
from prudent.images import ImageChecker
from prudent.policy import Policy
from tests.images.synth import synthetic_seal

FAST = "[images]\nworkers = 1\n"


def make_site(root: Path, posts: dict[str, str], images: dict[str, bytes]) -> Site:
    """Write ``posts`` (content/posts/NAME) and ``images`` (content/PATH); return the Site."""
    content = root / "content"
    site = Site(root=root.resolve(), content_dir=content.resolve())
    for name, text in posts.items():
        path = content / "posts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        site.texts.append(TextDocument(site.rel(path), text, MARKDOWN))
    for rel, data in images.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        site.images.append(ImageFile(site.rel(path)))
    return site


def checker_for(root: Path, toml: str = FAST, seal: bool = False) -> ImageChecker:
    root.mkdir(parents=True, exist_ok=True)
    (root / "guardrails.toml").write_text(toml, encoding="utf-8")
    if seal:
        logos = root / "guardrails" / "logos"
        logos.mkdir(parents=True, exist_ok=True)
        synthetic_seal().save(logos / "department-seal.png")
    policy = Policy.load(root)
    checker = ImageChecker(policy)
    policy.reject_unknown_keys()
    return checker


@pytest.fixture(scope="module")
def default_checker(tmp_path_factory: pytest.TempPathFactory) -> ImageChecker:
    """The shipped guardrails.toml's image policy, with the synthetic seal as reference."""
    root = tmp_path_factory.mktemp("default")
    shipped = (Path(__file__).resolve().parents[2] / "guardrails.toml").read_text()
    images_section = shipped.split("\n# images\n", 1)[1]  # other sections belong to other rules
    checker = checker_for(root, images_section, seal=True)
    yield checker
    checker.close()
