"""The logo rule's matcher on a user's own reference: real OpenCV matching against a synthetic seal.

The shipped government marks and the ID badge detector are tested in test_marks.py and
test_badge.py."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps
from skimage import data

from importer.corpus import SAMPLE, pictures
from prudent.images.decode import decode
from prudent.images.library import LibrarySettings, load_library
from prudent.images.logo import LogoMatcher, LogoSettings
from prudent.images.scanner import _gray
from prudent.policy import PolicyError
from tests.images.conftest import FAST, checker_for, make_site
from tests.images.synth import corpus_images, jpeg, place, png, synthetic_seal


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> LogoMatcher:
    path = tmp_path_factory.mktemp("logos") / "department-seal.png"
    synthetic_seal().save(path)
    return LogoMatcher(load_library([], [path], LibrarySettings()), LogoSettings())


def _frames(raw: bytes):
    """The grey picture the scanner searches, and its scale to the original."""
    image = decode(raw, max_pixels=10**8, max_frames=1, work_side=LogoSettings.max_side)
    return _gray(image, 0, LogoSettings.max_side)


def _gray_of(arr: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY)


def _name(matcher: LogoMatcher, match) -> str:
    return matcher.library.references[match.reference].id


BACKGROUNDS = {
    "astronaut": data.astronaut,
    "coffee": data.coffee,
    "rocket": data.rocket,
}
PLACEMENTS = {
    "large": dict(scale=0.5),
    "small": dict(scale=0.15, at=(0.25, 0.3)),
    "rotated 35": dict(scale=0.3, angle=35),
    "upside down": dict(scale=0.3, angle=180),
    "perspective": dict(scale=0.45, tilt=0.4),
    "rotated and tilted": dict(scale=0.35, angle=120, tilt=0.3),
    "40% covered": dict(scale=0.4, occlude=0.4),
}


@pytest.mark.parametrize("background", sorted(BACKGROUNDS))
@pytest.mark.parametrize("placement", sorted(PLACEMENTS))
def test_logo_found_under_scale_rotation_perspective_occlusion_and_jpeg(
    matcher: LogoMatcher, background: str, placement: str
) -> None:
    bg = Image.fromarray(BACKGROUNDS[background]()).resize((900, 640))
    kw = PLACEMENTS[placement]
    photo = place(synthetic_seal(), bg, **kw)
    frame, scale = _frames(jpeg(photo, 55))  # recompressed, as a phone would
    [match] = matcher.match(frame, scale)
    assert _name(matcher, match) == "department-seal.png"
    x, y, w, h = match.box
    cx, cy = kw.get("at", (0.5, 0.5))
    assert abs(x + w / 2 - cx * 900) < 60 and abs(y + h / 2 - cy * 640) < 60


def test_light_logo_on_dark_badge_is_found_in_negative(matcher: LogoMatcher) -> None:
    badge = ImageOps.invert(synthetic_seal())
    photo = place(badge, Image.fromarray(data.coffee()).resize((800, 600)), scale=0.4)
    [match] = matcher.match(*_frames(jpeg(photo, 70)))
    assert match.negative


def test_no_false_alarm_on_ordinary_photos(matcher: LogoMatcher) -> None:
    names = [
        "astronaut",
        "coffee",
        "chelsea",
        "rocket",
        "camera",
        "hubble_deep_field",
        "immunohistochemistry",
        "page",
        "text",
        "brick",
        "grass",
        "gravel",
        "cell",
    ]
    for name in names:
        arr = getattr(data, name)()
        if arr.ndim == 2:
            arr = np.stack([arr] * 3, -1)
        assert matcher.match(_gray_of(np.ascontiguousarray(arr[..., :3]))) == [], name


def test_no_false_alarm_on_a_real_blogs_images(matcher: LogoMatcher) -> None:
    # Half the full corpus's pictures when it is there (for the suite's time;
    # bench/image_scan.py checks all of them), else the sample every clone has.
    files = corpus_images()[::2] or pictures(SAMPLE)
    assert len(files) >= 35, f"{SAMPLE}/assets is missing pictures"
    alarms = []
    for path in files:
        frame, scale = _frames(path.read_bytes())
        alarms += [(path.name, m) for m in matcher.match(frame, scale)]
    assert alarms == []


def test_logo_finding_end_to_end_on_the_reference_in_the_post(tmp_path: Path) -> None:
    checker = checker_for(tmp_path, FAST, seal=True)
    photo = place(synthetic_seal(), Image.fromarray(data.rocket()), scale=0.35, angle=20)
    post = "Title: Launch\nDate: 2026-01-01\n\n<img alt='launch' src='/images/launch.jpg'>\n"
    site = make_site(tmp_path, {"launch.md": post}, {"images/launch.jpg": jpeg(photo, 80)})
    [finding] = checker.check(site).findings
    assert (finding.rule, str(finding.location)) == ("logo", "content/posts/launch.md:4:24")
    assert finding.matched == "department-seal.png"
    assert "(reference: guardrails/logos/department-seal.png)" in finding.message
    [box] = finding.extra["boxes"]
    assert box["label"] == "department-seal.png" and 0 < box["score"] <= 1
    assert (
        abs(box["x"] + box["w"] / 2 - 320) < 40 and abs(box["y"] + box["h"] / 2 - 213) < 40
    )  # centre
    checker.close()


def test_logo_inside_an_svg_embedded_raster(tmp_path: Path) -> None:
    import base64

    raster = base64.b64encode(
        png(place(synthetic_seal(), Image.new("RGB", (600, 400), "white"), scale=0.6))
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="600" '
        f'height="400"><image width="600" height="400" xlink:href="data:image/png;base64,{raster.decode()}"/></svg>'
    )
    checker = checker_for(tmp_path, FAST, seal=True)
    site = make_site(tmp_path, {}, {"images/diagram.svg": svg.encode()})
    [finding] = checker.check(site).findings
    assert finding.rule == "logo" and "(embedded image 1)" in finding.message
    assert str(finding.location) == "content/images/diagram.svg:1:1"
    checker.close()


def test_unreadable_reference_logo_stops_with_the_file_named(tmp_path: Path) -> None:
    logos = tmp_path / "guardrails" / "logos"
    logos.mkdir(parents=True)
    (logos / "badge.png").write_bytes(b"not a png")
    (logos / "README.md").write_text("ignored")
    with pytest.raises(PolicyError, match=r"badge\.png: cannot read this reference logo"):
        checker_for(tmp_path, FAST + '\n[images.logo]\nreferences = "guardrails/logos"\n')


def test_blank_reference_logo_is_refused(tmp_path: Path) -> None:
    logos = tmp_path / "guardrails" / "logos"
    logos.mkdir(parents=True)
    buf = io.BytesIO()
    Image.new("RGB", (300, 300), "navy").save(buf, "PNG")
    (logos / "plain.png").write_bytes(buf.getvalue())
    with pytest.raises(PolicyError, match=r"plain\.png: too little detail"):
        checker_for(tmp_path)


def test_the_drawing_in_its_place_decides_not_the_features_alone(matcher: LogoMatcher) -> None:
    """The appearance check: the picture, seen through the match's homography in the
    rendering's frame, must look like the rendering (the GOV of LOGIN.GOV matched GOV.UK's
    features, not its drawing)."""
    from prudent.images.logo import appearance

    v = next(v for v in matcher.library.variants if not v.negative)
    w, h = v.size
    scene = np.full((3 * h, 3 * w), 200, np.uint8)
    scene[h : 2 * h, w : 2 * w] = v.picture
    at = np.array([[1.0, 0, w], [0, 1.0, h], [0, 0, 1.0]])  # rendering -> scene
    assert appearance(scene, at, v) > 0.9
    # The same geometry over another drawing (the seal a third of its size away), or nothing.
    other = np.full_like(scene, 200)
    other[h + h // 3 : 2 * h + h // 3, w + w // 3 : 2 * w + w // 3] = v.picture
    assert appearance(other, at, v) < LogoSettings.min_appearance
    assert appearance(np.full_like(scene, 128), at, v) < LogoSettings.min_appearance
    # Light on dark is the same mark, for the negative rendering.
    neg = next(n for n in matcher.library.variants if n.negative and n.size == v.size)
    assert appearance(255 - scene, at, neg) > 0.9
