"""The shipped government marks: copies of the npm packages' files, found in photos, flags excluded."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data

from prudent.images.library import LibrarySettings, LogoError, load_library, rasterise_svg
from prudent.images.marks import extract, installed_version, load_marks, verified_svg
from prudent.policy import PolicyError
from tests.images.composite import composite
from tests.images.conftest import FAST, checker_for, make_site

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
MARKS = load_marks()


def _package(name: str) -> Path:
    pkg = NODE_MODULES / name
    if not (pkg / "package.json").is_file():
        pytest.skip(f"{pkg} is missing: `npm ci` (make browser-deps) installs the pinned packages")
    return pkg


def test_package_json_pins_every_marks_package_exactly() -> None:
    manifest = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for mark in MARKS:
        assert manifest[mark.package] == mark.version, mark.id
        assert lock[f"node_modules/{mark.package}"]["version"] == mark.version, mark.id


@pytest.mark.parametrize("mark", MARKS, ids=[m.id for m in MARKS])
def test_vendored_mark_is_the_npm_packages_file(mark) -> None:
    pkg = _package(mark.package)
    assert installed_version(pkg) == mark.version
    source = (pkg / mark.source).read_bytes()
    assert hashlib.sha256(source).hexdigest() == mark.source_sha256
    assert extract(mark, pkg) == mark.path.read_bytes() == verified_svg(mark)


def test_french_wordmark_is_the_same_drawing_as_the_english() -> None:
    assets = (
        _package("@cdssnc/gcds-components") / "dist/collection/components/gcds-signature/assets"
    )
    strip = lambda p: [ln for ln in p.read_text().splitlines() if "title" not in ln]  # noqa: E731
    assert strip(assets / "wmms-spl-en.svg") == strip(assets / "wmms-spl-fr.svg")


def test_a_changed_shipped_mark_stops_the_build(tmp_path: Path) -> None:
    broken = dataclasses.replace(MARKS[0], sha256="0" * 64)
    with pytest.raises(LogoError, match=r"govuk-crest\.svg: the shipped mark govuk-crest does not"):
        load_library([broken], [], LibrarySettings())


def test_features_are_cached_by_the_sources_digests(tmp_path: Path) -> None:
    first = load_library(MARKS[:1], [], LibrarySettings(), tmp_path)
    [cached] = list(tmp_path.glob("*.npz"))
    again = load_library(MARKS[:1], [], LibrarySettings(), tmp_path)
    assert again.version == first.version and cached.name == f"{first.version}.npz"
    assert [v.descriptors.tobytes() for v in again.variants] == [
        v.descriptors.tobytes() for v in first.variants
    ]
    other = load_library(MARKS[:1], [], LibrarySettings(features=200), tmp_path)
    assert other.version != first.version and len(list(tmp_path.glob("*.npz"))) == 2


def test_unknown_mark_in_the_policy_is_refused(tmp_path: Path) -> None:
    toml = FAST + '[images.logo]\nmarks = ["govuk-crest", "gc-sigature-en"]\n'
    with pytest.raises(PolicyError, match=r"unknown mark.*gc-sigature-en.*gc-signature-en"):
        checker_for(tmp_path, toml)


# -- found in photos, end to end -----------------------------------------------------------

# One photo per shipped mark at a moderate placement: a quarter to a third of the width,
# turned, tilted, recompressed. bench/logo_quality.py measures the whole range.
CASES = {
    "govuk-crest": dict(width_share=0.25, angle=8, tilt=0.15, style="black", on_card=False),
    "govuk-crown": dict(width_share=0.25, angle=-10, tilt=0.1, style="negative"),
    "govuk-logo": dict(width_share=0.35, angle=5, tilt=0.1, style="colour", on_card=True),
    "canada-wordmark": dict(width_share=0.35, angle=-6, tilt=0.1, style="black", on_card=True),
    "nhs-logo": dict(width_share=0.3, angle=12, tilt=0.15, style="colour", on_card=True),
}


@pytest.fixture(scope="module")
def shipped_checker(tmp_path_factory: pytest.TempPathFactory):
    checker = checker_for(
        tmp_path_factory.mktemp("shipped"), FAST + '[images.logo]\nbadge = "off"\n'
    )
    yield checker
    checker.close()


@pytest.mark.parametrize("mark_id", sorted(CASES))
def test_shipped_mark_in_a_photo_is_blocked_and_the_photo_alone_passes(
    shipped_checker, tmp_path: Path, mark_id: str
) -> None:
    photo = Image.fromarray(data.coffee())
    placed = composite(mark_id, photo, np.random.default_rng(7), quality=75, **CASES[mark_id])
    site = make_site(tmp_path, {}, {"images/photo.jpg": placed.data})
    findings = shipped_checker.check(site).findings
    assert [f.extra["reference"] for f in findings] == [mark_id], placed.how
    [f] = findings
    mark = next(m for m in MARKS if m.id == mark_id)
    assert f.rule == "logo" and f.matched == mark.name
    assert f"(reference: {mark.package} {mark.version})" in f.message
    [box] = f.extra["boxes"]
    x, y, w, h = placed.box
    assert abs(box["x"] + box["w"] / 2 - (x + w / 2)) < 0.1 * 1280
    assert abs(box["y"] + box["h"] / 2 - (y + h / 2)) < 0.1 * 1280
    # The same photo without the mark.
    plain = make_site(tmp_path / "plain", {}, {"images/photo.jpg": _jpeg_like(photo, placed)})
    assert shipped_checker.check(plain).findings == []


def _jpeg_like(photo: Image.Image, placed) -> bytes:
    import io

    f = 1280 / max(photo.size)
    im = photo.resize((round(photo.width * f), round(photo.height * f)), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=75)
    return buf.getvalue()


def test_a_flag_alone_is_not_a_logo(shipped_checker, tmp_path: Path) -> None:
    """The signature's flag (its first path), large, on a photo: the flag's features are
    never matched, so it raises nothing; the whole signature beside it would."""
    import re

    sig = next(m for m in MARKS if m.id == "gc-signature-en")
    text = verified_svg(sig).decode()
    paths = list(re.finditer(r"<path\b.*?/>", text, re.S))
    flag_only = text[: paths[1].start()] + text[paths[-1].end() :]
    flag = rasterise_svg(flag_only.encode(), 2400)
    ys, xs = np.nonzero(flag < 250)
    flag = flag[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    red = np.stack([np.full_like(flag, 235), flag, flag], -1)  # red on white, like the real one
    photo = np.asarray(Image.fromarray(data.rocket()).resize((1280, 853))).copy()
    fh, fw = red.shape[:2]
    k = 400 / fw
    small = np.asarray(Image.fromarray(red).resize((400, round(fh * k))))
    photo[100 : 100 + small.shape[0], 200:600] = small
    import io

    buf = io.BytesIO()
    Image.fromarray(photo).save(buf, "JPEG", quality=85)
    site = make_site(tmp_path, {}, {"images/flag.jpg": buf.getvalue()})
    assert shipped_checker.check(site).findings == []


def test_logo_findings_survive_the_cache_and_the_json_report(tmp_path: Path) -> None:
    toml = "[images]\nworkers = 1\ncache = true\n"
    placed = composite(
        "govuk-crest",
        Image.fromarray(data.coffee()),
        np.random.default_rng(7),
        quality=75,
        **CASES["govuk-crest"],
    )
    site = make_site(tmp_path, {}, {"images/photo.jpg": placed.data})
    first = checker_for(tmp_path, toml)
    [a] = first.check(site).findings
    first.close()
    assert list((tmp_path / ".cache" / "prudent" / "images" / "results").rglob("*.json"))
    second = checker_for(tmp_path, toml)
    [b] = second.check(site).findings
    second.close()
    assert b.extra["boxes"] == a.extra["boxes"] and b.message == a.message
    assert json.loads(json.dumps(b.to_dict()))["extra"]["boxes"] == a.extra["boxes"]


def test_no_alarm_on_the_18f_samples_real_pictures() -> None:
    """The 40 pictures of the corpus sample every checkout has (photos of people and
    offices, screenshots, diagrams), with every shipped mark and the badge detector."""
    from prudent.images.library import select_marks
    from prudent.images.scanner import Models, ScanSettings, scan_bytes

    assets = ROOT / "tests" / "corpus" / "18f-sample" / "assets"
    files = sorted(
        p for p in assets.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".gif")
    )
    assert len(files) >= 40
    models = Models(ScanSettings(), load_library(select_marks(None), [], LibrarySettings()))
    alarms = []
    for path in files:
        result = scan_bytes(path.read_bytes(), models)
        alarms += [(path.name, m["id"]) for m in result.get("logos") or []]
        alarms += [(path.name, "ID badge") for _ in result.get("badges") or []]
    assert alarms == []
