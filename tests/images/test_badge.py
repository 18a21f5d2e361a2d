"""ID badges found without a reference: a card-shaped region with a face photograph and print."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from prudent.findings import Severity
from prudent.policy import PolicyError
from tests.images.composite import badge_composite
from tests.images.conftest import FAST, checker_for, make_site

FACE = (130, 10, 330, 260)  # the astronaut's face and shoulders, as on a badge photo
PLACEMENTS = {
    "portrait badge, turned": dict(share=0.25, angle=8, tilt=0.1, portrait=1),
    "landscape badge, tilted": dict(share=0.28, angle=-5, tilt=0.2, portrait=0),
}


def _badge(background: np.ndarray, **placement: float) -> tuple[bytes, tuple[int, int, int, int]]:
    face = Image.fromarray(data.astronaut()).crop(FACE)
    placed = badge_composite(
        face, Image.fromarray(background), np.random.default_rng(3), **placement
    )
    return placed.data, placed.box


@pytest.fixture(scope="module")
def badge_checker(tmp_path_factory: pytest.TempPathFactory):
    checker = checker_for(tmp_path_factory.mktemp("badge"), FAST)
    yield checker
    checker.close()


@pytest.mark.parametrize("placement", sorted(PLACEMENTS))
def test_an_id_badge_in_a_photo_is_blocked_with_its_box(
    badge_checker, tmp_path: Path, placement: str
) -> None:
    raw, (x, y, w, h) = _badge(data.coffee(), **PLACEMENTS[placement])
    post = "Title: Day one\nDate: 2026-01-01\n\n![my new badge](/images/badge.jpg)\n"
    report = badge_checker.check(make_site(tmp_path, {"day.md": post}, {"images/badge.jpg": raw}))
    [f] = report.findings
    assert (f.rule, f.matched, str(f.location)) == ("logo", "ID badge", "content/posts/day.md:4:17")
    assert f.severity == Severity.ERROR and report.failed
    card, face = f.extra["boxes"]
    assert card["label"] == "ID badge" and face["label"] == "face on the badge"
    # The card box holds the badge's centre (it may be an outline guessed around the
    # photograph when the card's own edge is lost); the face box is on the badge.
    assert card["x"] <= x + w / 2 <= card["x"] + card["w"]
    assert card["y"] <= y + h / 2 <= card["y"] + card["h"]
    assert x - 4 <= face["x"] and face["x"] + face["w"] <= x + w + 4
    assert y - 4 <= face["y"] and face["y"] + face["h"] <= y + h + 4


def test_policy_chooses_whether_a_badge_blocks(tmp_path: Path) -> None:
    raw, _ = _badge(data.coffee(), **PLACEMENTS["portrait badge, turned"])
    site = make_site(tmp_path / "s", {}, {"images/badge.jpg": raw})
    warn = checker_for(tmp_path / "w", FAST + '[images.logo]\nbadge = "warning"\n')
    report = warn.check(site)
    warn.close()
    [f] = report.findings
    assert f.severity == Severity.WARNING and not report.failed
    off = checker_for(tmp_path / "o", FAST + '[images.logo]\nbadge = "off"\n')
    assert off.check(site).findings == []
    off.close()


def test_a_typo_in_the_badge_key_stops_the_build(tmp_path: Path) -> None:
    with pytest.raises(
        PolicyError, match=r"'images\.logo\.badge' is 'eror'; expected one of: error, warning, off"
    ):
        checker_for(tmp_path, FAST + '[images.logo]\nbadge = "eror"\n')


def test_a_portrait_photo_is_no_badge(badge_checker, tmp_path: Path) -> None:
    """A face with a plain background is a portrait, not a card: no print, no badge."""
    portrait = io.BytesIO()
    Image.fromarray(data.astronaut()).save(portrait, "JPEG", quality=85)
    site = make_site(tmp_path, {}, {"images/portrait.jpg": portrait.getvalue()})
    assert badge_checker.check(site).findings == []
