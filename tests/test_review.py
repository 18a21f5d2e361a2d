"""The review report's formatter on hand-made findings (the browser test runs the real pipeline)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from PIL import Image

from prudent.findings import Allowance, Finding, Location, Severity
from prudent.report import Report
from prudent.review import write_review


def _site(tmp_path: Path) -> Path:
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    (posts / "a.md").write_text(
        "Title: A\n\nFirst paragraph.\n\nA line before.\nThen <script>vote</script> "
        "Labour here,\nand on the next line too.\n\nLast paragraph.\n",
        encoding="utf-8",
    )
    images = tmp_path / "content" / "images"
    images.mkdir(parents=True)
    Image.new("RGB", (400, 200), "white").save(images / "p.tif")
    return tmp_path


def test_marks_exactly_the_span_across_lines_and_escapes_it(tmp_path: Path) -> None:
    root = _site(tmp_path)
    start, end = Location("content/posts/a.md", 6, 6), Location("content/posts/a.md", 7, 4)
    f = Finding(
        "partisan", Severity.ERROR, start, "x", "why", "fix; or, if it is right here, ...", end=end
    )
    page = write_review(Report(findings=[f]), root, root / "report").read_text()
    marks = re.findall(r"<mark>(.*?)</mark>", page, re.S)
    assert marks == ["&lt;script&gt;vote&lt;/script&gt; Labour here,", "and"]
    assert "A line before." in page and "First paragraph." not in page  # its paragraph only
    assert "<script>vote" not in page


def test_boxes_are_drawn_in_the_pictures_own_pixels_and_the_copy_is_web_safe(
    tmp_path: Path,
) -> None:
    root = _site(tmp_path)
    boxes = [{"label": "ID badge", "x": 10, "y": 20, "w": 100, "h": 50, "score": 0.9}]
    f = Finding(
        "logo",
        Severity.ERROR,
        Location("content/posts/a.md", 3, 1),
        "ID badge",
        "why",
        "fix",
        extra={"image": "content/images/p.tif", "sha256": "ab" * 32, "boxes": boxes},
    )
    out = root / "report"
    page = write_review(Report(findings=[f]), root, out).read_text()
    assert 'viewBox="0 0 400 200"' in page
    assert '<rect x="10" y="20" width="100" height="50"/>' in page
    [src] = re.findall(r'<img src="([^"]+)"', page)
    assert src.endswith(".png") and (out / src).is_file()  # TIFF is no web format
    assert 'sha256 = "' + "ab" * 32 + '"' in html.unescape(page)  # the allowance to copy


def test_unscannable_images_offer_no_allowance_and_allowances_are_listed(tmp_path: Path) -> None:
    root = _site(tmp_path)
    f = Finding(
        "unscannable-image",
        Severity.ERROR,
        Location("content/posts/a.md", 3, 1),
        "missing",
        "cannot be checked",
        "fix",
        extra={"image": "content/images/gone.png"},
    )
    allowed = Allowance(
        Finding("partisan", Severity.ERROR, Location("content/posts/a.md", 9, 1), "Tories", "w"),
        "a history lesson",
        Location("content/posts/a.md", 8, 1),
    )
    page = write_review(Report(findings=[f], allowances=[allowed]), root, root / "r").read_text()
    assert "could not be shown here" in page and "[[images.allow]]" not in page
    assert "a history lesson" in page and "content/posts/a.md:8:1" in page
