"""The nudity rule on the real NudeNet 320n model."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from prudent.images import ImageChecker
from prudent.images.nudity import LABELS
from prudent.policy import Policy, PolicyError
from tests.images.conftest import FAST, checker_for, make_site
from tests.images.synth import jpeg, png

FACE_POLICY = FAST + '[images.nudity]\nblock = ["FACE_FEMALE"]\nmin_score = 0.4\n'


@pytest.fixture(scope="module")
def face_checker(tmp_path_factory: pytest.TempPathFactory) -> ImageChecker:
    checker = checker_for(tmp_path_factory.mktemp("face"), FACE_POLICY)
    yield checker
    checker.close()


def test_labels_match_the_installed_nudenet() -> None:
    import nudenet.nudenet as nn

    assert tuple(nn.__labels) == LABELS  # type: ignore[attr-defined]


def test_blocked_label_on_a_face_photo_end_to_end(
    face_checker: ImageChecker, tmp_path: Path
) -> None:
    post = "Title: Space\nDate: 2026-01-01\n\nOur visitor:\n\n![astronaut]({static}/images/astronaut.png)\n"
    site = make_site(
        tmp_path,
        {"space.md": post},
        {"images/astronaut.png": png(Image.fromarray(data.astronaut()))},
    )
    report = face_checker.check(site)
    [finding] = report.findings
    assert finding.rule == "nudity"
    assert str(finding.location) == "content/posts/space.md:6:14"
    assert finding.matched.startswith("FACE_FEMALE ")
    x, y, w, h = finding.extra["box"]
    assert 150 < x + w / 2 < 300 and 60 < y + h / 2 < 200  # her face, not the suit
    assert "content/images/astronaut.png" in finding.message and "[[images.allow]]" in finding.fix
    assert report.failed


def test_an_unreferenced_image_is_reported_on_the_file(
    face_checker: ImageChecker, tmp_path: Path
) -> None:
    site = make_site(
        tmp_path, {}, {"images/spare.jpg": jpeg(Image.fromarray(data.astronaut()), 90)}
    )
    [finding] = face_checker.check(site).findings
    assert (finding.rule, str(finding.location)) == ("nudity", "content/images/spare.jpg:1:1")


def test_small_face_in_a_large_image_is_found_by_tiling(
    face_checker: ImageChecker, tmp_path: Path
) -> None:
    canvas = Image.new("RGB", (3200, 2400), (90, 110, 90))
    canvas.paste(Image.fromarray(data.astronaut()).resize((400, 400)), (2500, 1700))
    site = make_site(tmp_path / "a", {}, {"images/crowd.jpg": jpeg(canvas, 90)})
    [finding] = face_checker.check(site).findings
    x, y, w, h = finding.extra["box"]
    assert 2600 <= x + w / 2 <= 2750 and 1720 <= y + h / 2 <= 1880
    # The same picture read only whole, as NudeNet does, loses the face.
    untiled = checker_for(tmp_path / "b", FACE_POLICY + "tile_above = 100000\n")
    assert (
        untiled.check(
            make_site(tmp_path / "b", {}, {"images/crowd.jpg": jpeg(canvas, 90)})
        ).findings
        == []
    )


def test_every_frame_of_an_animation_is_checked(face_checker: ImageChecker, tmp_path: Path) -> None:
    blanks = [Image.new("RGB", (256, 256), (200, 200, 200 + i)) for i in range(8)]
    frames = [*blanks[:5], Image.fromarray(data.astronaut()).resize((256, 256)), *blanks[5:]]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    site = make_site(tmp_path, {}, {"images/anim.gif": buf.getvalue()})
    [finding] = face_checker.check(site).findings
    assert "frame 6 of 9" in finding.message


def test_ordinary_photos_raise_nothing_under_the_default_policy(
    default_checker: ImageChecker, tmp_path: Path
) -> None:
    photos = {}
    for name in (
        "astronaut",
        "coffee",
        "chelsea",
        "rocket",
        "camera",
        "hubble_deep_field",
        "immunohistochemistry",
    ):
        arr = getattr(data, name)()
        if arr.ndim == 2:
            arr = np.stack([arr] * 3, -1)
        photos[f"images/{name}.jpg"] = jpeg(Image.fromarray(arr), 85)
    site = make_site(tmp_path, {}, photos)
    report = default_checker.check(site)
    assert report.findings == [], report.to_text()
    assert report.checked["images"] == len(photos)
    assert default_checker.scanner._pool is not None  # scanned by the worker processes


def test_unknown_label_is_a_policy_error(tmp_path: Path) -> None:
    (tmp_path / "guardrails.toml").write_text(
        '[images.nudity]\nblock = ["FEMALE_BREASTS_EXPOSED"]\n'
    )
    with pytest.raises(PolicyError, match=r"guardrails.toml:2: .*FEMALE_BREASTS_EXPOSED"):
        ImageChecker(Policy.load(tmp_path))
