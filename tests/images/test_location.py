"""location-metadata: GPS written by the test, found, then stripped by the task with pixels unchanged."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin
from PIL.TiffImagePlugin import IFDRational
from skimage import data

from prudent.images import ImageChecker
from prudent.images.strip import StripError, strip_location
from tests.images.conftest import FAST, checker_for, make_site

ROOT = Path(__file__).resolve().parents[2]
LAT, LON = 45.425342, -75.684722  # written as 45°25'31.23"N 75°41'5"W


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make: other metadata must survive the stripping
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (IFDRational(45), IFDRational(25), IFDRational(3123, 100))
    gps[3], gps[4] = "W", (IFDRational(75), IFDRational(41), IFDRational(5))
    return exif


XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'exif:GPSLatitude="45,25.52N" exif:GPSLongitude="75,41.08W"><dc:creator>Sam</dc:creator>'
    b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def photo_with_gps(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(data.chelsea()).save(
        buf, fmt, exif=gps_exif(), **({"quality": 90} if fmt == "JPEG" else {})
    )
    return buf.getvalue()


def photo_with_xmp(fmt: str) -> bytes:
    buf = io.BytesIO()
    im = Image.fromarray(data.chelsea())
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", XMP.decode(), zip=True)
        im.save(buf, "PNG", pnginfo=info)
    else:
        im.save(buf, fmt, xmp=XMP)
    return buf.getvalue()


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> ImageChecker:
    c = checker_for(tmp_path_factory.mktemp("loc"), FAST)
    yield c
    c.close()


def _frames(raw: bytes) -> list[bytes]:
    with Image.open(io.BytesIO(raw)) as im:
        return [im.tobytes()]


@pytest.mark.parametrize("fmt,ext", [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_gps_found_and_stripped_by_the_task_without_reencoding(
    checker: ImageChecker, tmp_path: Path, fmt: str, ext: str
) -> None:
    raw = photo_with_gps(fmt)
    post = f"Title: Cat\nDate: 2026-01-01\n\n![our cat]({{static}}/images/cat.{ext})\n"
    site = make_site(tmp_path, {"cat.md": post}, {f"images/cat.{ext}": raw})
    [finding] = checker.check(site).findings
    assert (finding.rule, str(finding.location)) == (
        "location-metadata",
        "content/posts/cat.md:4:12",
    )
    assert finding.extra["lat"] == pytest.approx(LAT, abs=1e-5)
    assert finding.extra["lon"] == pytest.approx(LON, abs=1e-5)
    command = f".venv/bin/invoke strip-location content/images/cat.{ext}"
    assert command in finding.fix

    # The exact command of the message, run as the author would (from the project root).
    project = _project_with(tmp_path / "project", f"content/images/cat.{ext}", raw)
    done = subprocess.run(
        [sys.executable, "-m", "invoke", *command.split()[1:]],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "removed EXIF GPS" in done.stdout
    stripped = (project / f"content/images/cat.{ext}").read_bytes()
    assert len(stripped) == len(raw)  # blanked in place, nothing re-encoded
    assert _frames(stripped) == _frames(raw)
    with Image.open(io.BytesIO(stripped)) as im:
        assert im.getexif().get(0x010F) == "TestCam"
        assert not im.getexif().get_ifd(0x8825)
    site = make_site(tmp_path / "after", {"cat.md": post}, {f"images/cat.{ext}": stripped})
    assert checker.check(site).findings == []


def _project_with(dest: Path, rel: str, raw: bytes) -> Path:
    dest.mkdir(parents=True)
    (dest / "tasks.py").write_text((ROOT / "tasks.py").read_text())
    (dest / "prudent").symlink_to(ROOT / "prudent")
    (dest / "sitebuild").symlink_to(ROOT / "sitebuild")
    (dest / rel).parent.mkdir(parents=True)
    (dest / rel).write_bytes(raw)
    return dest


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_xmp_location_found_and_stripped(checker: ImageChecker, tmp_path: Path, fmt: str) -> None:
    raw = photo_with_xmp(fmt)
    site = make_site(tmp_path, {}, {f"images/x.{fmt.lower()}": raw})
    [finding] = checker.check(site).findings
    assert finding.rule == "location-metadata" and "XMP" in finding.message
    assert finding.extra["lat"] == pytest.approx(45.425333, abs=1e-5)
    stripped, removed = strip_location(raw)
    assert removed == ["XMP location"]
    assert _frames(stripped) == _frames(raw)
    assert b"<dc:creator>Sam</dc:creator>" in stripped or fmt == "PNG"
    site = make_site(tmp_path / "after", {}, {f"images/x.{fmt.lower()}": stripped})
    assert checker.check(site).findings == []


def test_a_photo_without_location_is_left_alone(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.fromarray(data.coffee()).save(buf, "JPEG")
    out, removed = strip_location(buf.getvalue())
    assert removed == [] and out == buf.getvalue()


def test_strip_refuses_a_format_it_cannot_edit() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "GIF")
    with pytest.raises(StripError, match="GIF is not a format"):
        strip_location(buf.getvalue())
