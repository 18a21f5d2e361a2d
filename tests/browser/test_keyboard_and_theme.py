"""Keyboard use, dark mode, print styles and the screenshots the README shows."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    ARTIFACTS,
    MISSING_AXE,
    MISSING_CHROMIUM,
    normalise,
    published_posts,
    require_axe,
    require_chromium,
)

FOCUS_YELLOW = "rgb(255, 221, 0)"


@pytest.mark.parametrize("path", ["/", "/archives/"])
def test_skip_link_is_the_first_tab_stop_and_becomes_visible(open_page, path: str) -> None:
    page, watch = open_page(path)
    skip = page.locator(".skip-link")
    hidden_box = skip.bounding_box()
    assert hidden_box["y"] + hidden_box["height"] <= 0, "hidden until it has focus"

    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert focused == "skip-link"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["x"] >= 0 and box["width"] > 50 and box["height"] > 20
    centre_hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('.skip-link') !== null",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert centre_hit, "the focused skip link is on top, not covered"
    assert skip.evaluate("el => getComputedStyle(el).backgroundColor") == FOCUS_YELLOW

    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    assert page.evaluate("() => document.activeElement.id") == "main"

    # The next Tab goes into the content, and focus there is plainly visible.
    page.keyboard.press("Tab")
    style = page.evaluate(
        """() => { const el = document.activeElement;
                   return {tag: el.tagName, inMain: !!el.closest('main'),
                           bg: getComputedStyle(el).backgroundColor}; }"""
    )
    assert style == {"tag": "A", "inMain": True, "bg": FOCUS_YELLOW}
    assert watch.problems() == []


def test_dark_mode_follows_the_system_setting(open_page) -> None:
    def background(scheme: str) -> list[int]:
        page, _ = open_page("/", color_scheme=scheme)
        rgb = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        return [int(c) for c in rgb[rgb.index("(") + 1 : -1].split(",")[:3]]

    assert sum(background("light")) > 3 * 230
    assert sum(background("dark")) < 3 * 40


def test_print_shows_the_words_and_link_addresses_without_navigation(open_page) -> None:
    linking = next(p for p in published_posts() if "](http" in p.source.read_text("utf-8"))
    page, _ = open_page("/archives/")
    page.get_by_role("link", name=normalise(linking.title), exact=True).click()
    page.wait_for_load_state("load")
    page.emulate_media(media="print")
    visible = page.evaluate(
        """() => ({
            nav: getComputedStyle(document.querySelector('.site-nav')).display,
            skip: getComputedStyle(document.querySelector('.skip-link')).display,
            body: getComputedStyle(document.body).backgroundColor,
            disclaimer: getComputedStyle(document.querySelector('.disclaimer')).display,
            after: getComputedStyle(document.querySelector('.post-body a[href^="http"]'), '::after').content,
            href: document.querySelector('.post-body a[href^="http"]').getAttribute('href'),
        })"""
    )
    assert visible["nav"] == "none" and visible["skip"] == "none"
    assert visible["disclaimer"] != "none", "the disclaimer is printed too"
    assert visible["body"] == "rgb(255, 255, 255)"
    assert visible["href"] in visible["after"]
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def _screenshot_targets(open_page) -> list[tuple[str, str]]:
    """Home, and the post with a picture (found through the archives)."""
    pictured = next(p for p in published_posts() if p.image)
    page, _ = open_page("/archives/")
    link = page.get_by_role("link", name=normalise(pictured.title), exact=True)
    return [("home", "/"), ("article", link.evaluate("a => new URL(a.href).pathname"))]


def test_screenshots_of_home_and_an_article_at_desktop_and_phone_widths(open_page) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, path in _screenshot_targets(open_page):
        for device, width in (("desktop", 1280), ("phone", 375)):
            page, watch = open_page(path, width=width)
            target = ARTIFACTS / f"{name}-{device}.png"
            target.unlink(missing_ok=True)
            page.screenshot(path=str(target), full_page=True)
            # PNG header: width and height are big-endian at bytes 16..24.
            data = target.read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
            assert int.from_bytes(data[16:20], "big") == width
            assert int.from_bytes(data[20:24], "big") > 600
            assert watch.problems() == []


def test_missing_browser_or_axe_fails_with_how_to_install(tmp_path) -> None:
    with pytest.raises(pytest.fail.Exception) as failed:
        require_chromium(tmp_path / "no-chromium")
    assert "apt-get install -y chromium" in str(failed.value)
    assert str(tmp_path / "no-chromium") in str(failed.value)
    assert MISSING_CHROMIUM.split("{")[0] in str(failed.value)
    with pytest.raises(pytest.fail.Exception) as failed:
        require_axe(tmp_path / "axe.min.js")
    assert "npm ci" in str(failed.value) and MISSING_AXE.split("{")[0] in str(failed.value)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_every_link_shows_focus_when_tabbed_to(open_page, site, color_scheme: str) -> None:
    """Tab through whole pages: every stop is marked, whatever style the link has."""
    unmarked = []
    for path in ("/", "/tags/", "/archives/"):
        page, _ = open_page(path, color_scheme=color_scheme)
        stops = page.evaluate("() => document.querySelectorAll('a[href], button, input').length")
        for _ in range(stops):
            page.keyboard.press("Tab")
            state = page.evaluate(
                """() => { const el = document.activeElement, s = getComputedStyle(el);
                           return {text: el.textContent.trim().slice(0, 40), tag: el.tagName,
                                   bg: s.backgroundColor, outline: s.outlineStyle}; }"""
            )
            marked = (
                state["bg"] == FOCUS_YELLOW if state["tag"] == "A" else state["outline"] != "none"
            )
            if not marked:
                unmarked.append(f"{path}: {state}")
    assert unmarked == []
