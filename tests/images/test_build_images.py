"""A real Pelican build of a copy of the project stops on an image, leaving output/ as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitebuild.build import BuildFailed, build
from tests.conftest import tree_digest
from tests.images.test_location import photo_with_gps


def test_gps_photo_fails_the_build_and_output_is_unchanged(project: Path) -> None:
    first = build(project / "pelicanconf.py")
    assert first.report.checked["images"] >= 1
    before = tree_digest(project / "output")

    (project / "content/images/garden.jpg").write_bytes(photo_with_gps("JPEG"))
    (project / "content/posts/2026-11-20-garden.md").write_text(
        "Title: The garden\nDate: 2026-11-20 10:00\nCategory: Notes\n\n"
        "Tomatoes at last.\n\n![Tomatoes]({static}/images/garden.jpg)\n"
    )
    with pytest.raises(BuildFailed) as failed:
        build(project / "pelicanconf.py")
    report = str(failed.value)
    assert "content/posts/2026-11-20-garden.md:7:13: error location-metadata:" in report
    assert ".venv/bin/invoke strip-location content/images/garden.jpg" in report
    assert "Nothing was published." in report
    assert tree_digest(project / "output") == before


def test_theme_avatar_with_the_reference_logo_fails_the_build(project: Path) -> None:
    from PIL import Image
    from skimage import data

    from tests.images.synth import jpeg, place, synthetic_seal

    logos = project / "guardrails" / "logos"
    logos.mkdir(parents=True, exist_ok=True)
    synthetic_seal().save(logos / "department-seal.png")
    avatar = place(synthetic_seal(), Image.fromarray(data.astronaut()), scale=0.3, at=(0.7, 0.7))
    (project / "theme/static/images").mkdir(parents=True, exist_ok=True)
    (project / "theme/static/images/avatar.jpg").write_bytes(jpeg(avatar, 85))
    with pytest.raises(BuildFailed) as failed:
        build(project / "pelicanconf.py")
    assert "theme/static/images/avatar.jpg:1:1: error logo:" in str(failed.value)
    assert not (project / "output").exists()
