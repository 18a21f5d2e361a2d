"""Fail closed: images that cannot be read block, with a reason and never a traceback."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from skimage import data

from prudent.images import ImageChecker
from prudent.policy import Policy, PolicyError
from tests.images.conftest import FAST, checker_for, make_site
from tests.images.synth import jpeg, png


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> ImageChecker:
    c = checker_for(tmp_path_factory.mktemp("bad"), FAST)
    yield c
    c.close()


def _png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header that claims a huge size over a tiny IDAT (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


PHOTO = jpeg(Image.fromarray(data.coffee()), 85)
CASES = {
    "images/empty.png": (b"", "empty (zero bytes)"),
    "images/notes.jpg": (b"Shopping list: milk, tea\n", "not an image format"),
    "images/half.jpg": (PHOTO[: len(PHOTO) // 2], "truncated or corrupt"),
    "images/half.png": (png(Image.fromarray(data.coffee()))[:5000], "truncated or corrupt"),
    "images/bomb.png": (_png_claiming(30000, 30000), "decompression bomb"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_unreadable_image_blocks_with_its_reason(
    checker: ImageChecker, tmp_path: Path, name: str
) -> None:
    raw, reason = CASES[name]
    post = f"Title: T\nDate: 2026-01-01\n\n![x]({{static}}/{name})\n"
    site = make_site(tmp_path, {"t.md": post}, {name: raw})
    report = checker.check(site)
    [finding] = report.findings
    assert (finding.rule, str(finding.location)) == ("unscannable-image", "content/posts/t.md:4:6")
    assert reason in finding.message and "fail closed" in finding.message
    assert report.failed


def test_wrong_extension_blocks_and_names_the_right_one(
    checker: ImageChecker, tmp_path: Path
) -> None:
    site = make_site(tmp_path, {}, {"images/photo.png": PHOTO})
    [finding] = checker.check(site).findings
    assert (finding.rule, str(finding.location)) == (
        "unscannable-image",
        "content/images/photo.png:1:1",
    )
    assert "its bytes are JPEG" in finding.message and "photo.jpg" in finding.fix


def test_missing_referenced_image_blocks(checker: ImageChecker, tmp_path: Path) -> None:
    site = make_site(tmp_path, {"t.md": 'Title: T\n\n<img src="/images/gone.webp">\n'}, {})
    [finding] = checker.check(site).findings
    assert (finding.rule, str(finding.location)) == ("unscannable-image", "content/posts/t.md:3:11")
    assert "does not exist" in finding.message


SCRIPTED = b"""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
<rect width="10" height="10" onclick="alert(1)"/><script>fetch('/x')</script></svg>"""


def test_svg_with_script_and_handlers_is_unsafe(checker: ImageChecker, tmp_path: Path) -> None:
    site = make_site(tmp_path, {}, {"images/chart.svg": SCRIPTED})
    [finding] = checker.check(site).findings
    assert (finding.rule, str(finding.location)) == ("unsafe-svg", "content/images/chart.svg:1:1")
    assert "onclick" in finding.message and "<script>" in finding.message
    assert finding.fix.startswith("Remove the event handlers (on...= attributes) and the scripts")


def test_svg_with_a_foreign_object_is_told_to_remove_it(
    checker: ImageChecker, tmp_path: Path
) -> None:
    # Red team F5: no script in it, yet the fix said "Remove the scripts and event handlers".
    foreign = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject width="9" height="9">'
        b'<div xmlns="http://www.w3.org/1999/xhtml"><p>Just text</p></div></foreignObject></svg>'
    )
    site = make_site(tmp_path, {}, {"images/fo.svg": foreign})
    [finding] = checker.check(site).findings
    assert (finding.rule, str(finding.location)) == ("unsafe-svg", "content/images/fo.svg:1:1")
    assert finding.fix.startswith("Remove the <foreignObject> element (")
    assert "script" not in finding.fix


def test_plain_svg_and_data_uri_images_pass(checker: ImageChecker, tmp_path: Path) -> None:
    import base64

    plain = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'
    uri = (
        "data:image/png;base64,"
        + base64.b64encode(png(Image.new("RGB", (64, 64), "teal"))).decode()
    )
    bad_uri = "data:image/png;base64,iVBORw0KGgo="
    post = f'Title: T\n\n<img src="{uri}">\n\n<img src="{bad_uri}">\n'
    site = make_site(tmp_path, {"t.md": post}, {"images/dot.svg": plain})
    [finding] = checker.check(site).findings
    assert (finding.rule, str(finding.location)) == ("unscannable-image", "content/posts/t.md:5:11")


def test_entity_declarations_in_svg_are_unsafe(checker: ImageChecker, tmp_path: Path) -> None:
    lol = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    site = make_site(tmp_path, {}, {"images/lol.svg": lol})
    [finding] = checker.check(site).findings
    assert finding.rule == "unsafe-svg" and "ENTITY" in finding.message


def test_truncated_frame_inside_a_gif(checker: ImageChecker, tmp_path: Path) -> None:
    frames = [Image.new("RGB", (64, 64), (i * 20, 0, 0)) for i in range(6)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    site = make_site(tmp_path, {}, {"images/cut.gif": buf.getvalue()[:-40]})
    [finding] = checker.check(site).findings
    assert finding.rule == "unscannable-image"


@pytest.mark.parametrize(
    ("toml", "line", "words"),
    [
        # Red team F6: a negative or zero limit was taken as it was.
        ("[images]\nmax_pixels = -5\n", 2, "'images.max_pixels' must be a positive number, not -5"),
        ("[images]\n\nmax_pixels = 0\n", 3, "'images.max_pixels' must be a positive number, not 0"),
        ("[images]\nmax_frames = 0\n", 2, "'images.max_frames' must be a positive number"),
        ("[images.nudity]\ntile_above = -1\n", 2, "'images.nudity.tile_above' must be a positive"),
        ("[images.remote]\nmax_bytes = -1\n", 2, "'images.remote.max_bytes' must be a positive"),
        ("[images.remote]\ntimeout_seconds = 0\n", 2, "'images.remote.timeout_seconds' must be"),
        ("[images.remote]\ncache_hours = -2\n", 2, "must be zero (download every build) or more"),
        ("[images]\nworkers = -1\n", 2, "must be zero (one per CPU core) or more, not -1"),
        # ... and a wrong type said "must be a int".
        (
            '[images]\nmax_pixels = "lots"\n',
            2,
            "'images.max_pixels' must be an integer, not \"lots\"",
        ),
    ],
)
def test_a_limit_that_is_not_a_positive_number_is_a_policy_error(
    tmp_path: Path, toml: str, line: int, words: str
) -> None:
    (tmp_path / "guardrails.toml").write_text(toml)
    with pytest.raises(PolicyError) as err:
        ImageChecker(Policy.load(tmp_path))
    message = str(err.value)
    assert message.startswith(f"guardrails.toml:{line}: policy error: "), message
    assert words in message
    key = words.split("'")[1].rsplit(".", 1)[-1] if "'" in words else ""
    assert "write it as, for instance, " in message and (not key or f"{key} = " in message)
