"""Small blogs of each flavour, written by the tests, and a project to import them into."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import copy_project


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def picture(path: Path, colour: tuple[int, int, int] = (40, 120, 200)) -> Path:
    """A small real image (a gradient, so it is not a flat colour)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new("RGB", (64, 48), colour)
    for x in range(64):
        img.putpixel((x, x % 48), (x * 4, 255 - x * 4, 90))
    img.save(path)
    return path


@pytest.fixture
def empty_project(tmp_path: Path) -> Path:
    """A copy of the project without the sample posts and images: the import goes here."""
    project = copy_project(tmp_path / "site")
    for sub in ("posts", "images"):
        shutil.rmtree(project / "content" / sub, ignore_errors=True)
    return project


def build_settings(project: Path) -> dict[str, object]:
    return {
        "PRUDENT_ROOT": str(project),
        "PRUDENT_SETTINGS_FILES": [str(project / "pelicanconf.py")],
        "PRUDENT_PROGRESS": False,
    }
