"""``make report`` on a site with one of each kind of finding, read in a real Chromium.

The site: a partisan sentence, an attack on a named person, a photo with a
(synthetic) department seal in it, a photo with GPS in its EXIF, and an allowed
paragraph. The review is written by the real pipeline (``sitebuild.review``:
Pelican, the guardrails, the real models), opened from disk (``file://``, no
server) and checked: the marks sit on the matched words, the boxes on the seal,
the coordinates are shown, the allowance with its reason is listed, axe finds
nothing, the keyboard reaches everything, a phone fits it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from skimage import data

from sitebuild.review import review
from tests.browser.conftest import ARTIFACTS, require_axe, run_axe
from tests.fixtures import copy_project
from tests.images.synth import jpeg, place, synthetic_seal
from tests.images.test_location import LAT, LON, photo_with_gps

SEAL_AT, SEAL_SCALE = (0.62, 0.45), 0.4  # where the test puts the seal in the photo
POST = "content/posts/2026-12-01-under-review.md"
ALLOW_REASON = "I report what was said at the public meeting, I take no side"
TEXT = f"""Title: Under review
Date: 2026-12-01 10:00
Category: Notes
Tags: review

The workshop on forms went well. Remember to vote Labour on Thursday.

I met Jordan Blake at the conference. Jordan Blake is an idiot and a liar.

![The team at the open day]({{static}}/images/open-day.jpg)

![The view from the hill]({{static}}/images/hill.jpg)

<!-- guardrails: allow partisan because {ALLOW_REASON} -->
At the town hall, the Liberal Party took questions on transit.
"""


@dataclass
class Review:
    page: Path
    photo_size: tuple[int, int]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Review:
    project = copy_project(tmp_path_factory.mktemp("review") / "site")
    (project / POST).write_text(TEXT, encoding="utf-8")
    images = project / "content" / "images"
    background = Image.fromarray(data.coffee()).resize((960, 640))
    photo = place(synthetic_seal(), background, scale=SEAL_SCALE, at=SEAL_AT)
    (images / "open-day.jpg").write_bytes(jpeg(photo, 85))
    (images / "hill.jpg").write_bytes(photo_with_gps("JPEG"))
    logos = project / "guardrails" / "logos"
    logos.mkdir(parents=True, exist_ok=True)
    synthetic_seal().save(logos / "department-seal.png")
    result = review(project / "pelicanconf.py", overrides={"CACHE_PATH": str(project / ".cache")})
    rules = {f.rule for f in result.report.findings}
    assert {"partisan", "personal-attack", "logo", "location-metadata"} <= rules, rules
    return Review(result.page, photo.size)


@pytest.fixture
def open_review(browser, written: Review) -> Iterator:
    contexts = []

    def _open(width: int = 1280, color_scheme: str = "light"):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, color_scheme=color_scheme
        )
        contexts.append(context)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(written.page.as_uri(), wait_until="load")
        return page, requests

    yield _open
    for context in contexts:
        context.close()


def _where(text: str, line_no: int = 0) -> str:
    """``POST:LINE:COL`` of the first ``text`` in the post (or the start of line ``line_no``)."""
    for number, line in enumerate(TEXT.split("\n"), 1):
        if line_no == number:
            return f"{POST}:{number}:1"
        if not line_no and text in line:
            return f"{POST}:{number}:{line.index(text) + 1}"
    raise AssertionError(text)


def _finding(page, rule: str):
    found = page.locator(f"article.finding[data-rule='{rule}']")
    assert found.count() >= 1, f"no {rule} finding in the report"
    return found.first


def test_marks_sit_on_the_matched_words(open_review) -> None:
    page, _ = open_review()
    partisan = _finding(page, "partisan")
    assert partisan.get_attribute("data-location") == _where("vote Labour")
    assert [m.strip() for m in partisan.locator("mark").all_inner_texts()] == ["vote Labour"]
    attack = _finding(page, "personal-attack")
    assert attack.get_attribute("data-location").startswith(_where("Jordan Blake is")[:-1])
    marked = " ".join(attack.locator("mark").all_inner_texts())
    assert "idiot" in marked and "Jordan Blake" in attack.locator(".context").inner_text()
    # The why, the fix and the allowance to copy are there for each.
    assert "politically neutral" in partisan.locator(".why").inner_text()
    assert (
        "<!-- guardrails: allow partisan because REASON -->"
        in partisan.locator(".snippet").inner_text()
    )


def test_the_box_is_drawn_on_the_seal(open_review, written: Review) -> None:
    page, _ = open_review()
    logo = _finding(page, "logo")
    img = logo.locator(".frame img")
    assert img.evaluate("i => i.complete && i.naturalWidth") == written.photo_size[0]
    shown = img.bounding_box()
    box = logo.locator(".overlay rect").first.bounding_box()
    assert shown and box
    # The drawn box, in the photo's own pixels.
    k = written.photo_size[0] / shown["width"]
    x0, y0 = (box["x"] - shown["x"]) * k, (box["y"] - shown["y"]) * k
    x1, y1 = x0 + box["width"] * k, y0 + box["height"] * k
    # Where the test put the seal: a square of SEAL_SCALE x the short side, at SEAL_AT.
    w, h = written.photo_size
    side = SEAL_SCALE * min(w, h)
    cx, cy = SEAL_AT[0] * w, SEAL_AT[1] * h
    ex0, ey0, ex1, ey1 = cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2
    inter = max(0, min(x1, ex1) - max(x0, ex0)) * max(0, min(y1, ey1) - max(y0, ey0))
    union = (x1 - x0) * (y1 - y0) + side * side - inter
    assert inter / union > 0.6, f"box {x0:.0f},{y0:.0f}-{x1:.0f},{y1:.0f} is not on the seal"
    assert "department-seal.png" in logo.inner_text()


def test_gps_position_is_shown_and_the_copy_has_no_location(open_review, written) -> None:
    page, _ = open_review()
    gps = _finding(page, "location-metadata")
    caption = gps.locator("figcaption").inner_text()
    assert f"{LAT:.5f}" in caption and f"{LON:.5f}" in caption
    src = gps.locator(".frame img").get_attribute("src")
    with Image.open(written.page.parent / src) as copy:
        assert not copy.getexif().get_ifd(0x8825), "the report's copy still carries GPS"


def test_allowance_is_listed_with_its_reason_and_where_it_was_written(open_review) -> None:
    page, _ = open_review()
    rows = page.locator("table.allowances tbody tr")
    texts = rows.all_inner_texts()
    found, comment = _where("Liberal Party"), _where("<!-- guardrails")
    assert any(
        ALLOW_REASON in t and found in t and comment in t and "Liberal Party" in t for t in texts
    ), texts


def test_each_finding_links_to_the_page_it_would_publish(open_review, written) -> None:
    page, _ = open_review()
    href = _finding(page, "partisan").locator(".page a").get_attribute("href")
    target = written.page.parent / href
    assert target.is_file() and "vote Labour" in target.read_text(encoding="utf-8")


def test_opens_from_disk_without_network(open_review) -> None:
    _, requests = open_review()
    assert requests and all(u.startswith(("file://", "data:")) for u in requests), requests


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 375)])
def test_axe_finds_nothing(open_review, scheme: str, width: int) -> None:
    page, _ = open_review(width=width, color_scheme=scheme)
    violations = run_axe(page, require_axe())
    assert not violations, violations


def test_keyboard_skip_link_first_then_every_link(open_review) -> None:
    page, _ = open_review()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    hrefs = page.locator("main a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    reached = set()
    for _ in range(len(hrefs) + 3):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.getAttribute('href')"))
    assert hrefs and set(hrefs) <= reached, set(hrefs) - reached


@pytest.mark.parametrize("width", [1280, 375])
def test_fits_the_screen_and_is_photographed(open_review, width: int) -> None:
    page, _ = open_review(width=width)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the report is {overflow}px wider than a {width}px screen"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = f"report-{'desktop' if width > 600 else 'phone'}.png"
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)  # docs/screenshots/ shows them
