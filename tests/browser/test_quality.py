"""Every page the build wrote, in a real Chromium: clean console, no failed or
off-site requests, no sideways scrolling on phones, and axe-core finds nothing
serious in light or dark mode."""

from __future__ import annotations

import pytest

from tests.browser.conftest import describe_violations, run_axe, site_paths


def test_no_console_errors_failed_or_offsite_requests(open_page, site) -> None:
    paths = site_paths(site.output)
    assert len(paths) > 10
    page, watch = open_page("/")
    broken_images = []
    for path in paths:
        page.goto(site.url(path), wait_until="load")
        broken_images += [
            f"{path}: {src}"
            for src in page.eval_on_selector_all(
                "img", "els => els.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
            )
        ]
    assert watch.problems() == []
    assert broken_images == []


@pytest.mark.parametrize("width", [375, 320])
def test_no_horizontal_scrolling_on_phones(open_page, site, width: int) -> None:
    page, watch = open_page("/", width=width)
    too_wide = []
    for path in site_paths(site.output):
        page.goto(site.url(path), wait_until="load")
        sizes = page.evaluate(
            """() => ({
                scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
                view: document.documentElement.clientWidth,
                wide: [...document.querySelectorAll('body *')]
                    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                    .slice(0, 3).map(el => el.tagName.toLowerCase() + '.' + el.className),
            })"""
        )
        if sizes["scroll"] > sizes["view"] or sizes["wide"]:
            too_wide.append(f"{path}: {sizes}")
    assert too_wide == []
    assert watch.problems() == []


def test_axe_finds_no_serious_or_critical_violations_in_light_or_dark(
    open_page, site, axe_source: str
) -> None:
    page, watch = open_page("/")
    found = []
    checked = 0
    for path in site_paths(site.output):
        page.goto(site.url(path), wait_until="load")
        # One load, both schemes: contrast is checked against each palette.
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            serious = [
                v for v in run_axe(page, axe_source) if v["impact"] in {"serious", "critical"}
            ]
            checked += 1
            if serious:
                found.append(describe_violations(f"{path} ({scheme})", serious))
    assert checked > 20
    assert found == [], "\n".join(found)
    assert watch.problems() == []


def test_the_axe_check_catches_what_it_should(open_page, axe_source: str) -> None:
    """The gate above can fail: the same check on a broken page reports it."""
    page, _ = open_page("/")
    page.evaluate(
        """() => {
            const p = document.createElement('p');
            p.textContent = 'Faint words nobody can read';
            p.style.cssText = 'color:#c8c8c8;background:#ffffff';
            document.querySelector('main').append(p);
            const img = document.createElement('img');
            img.src = document.querySelector('link[rel=icon]').href;
            document.querySelector('main').append(img);
        }"""
    )
    found = {v["id"]: v["impact"] for v in run_axe(page, axe_source)}
    assert found.get("color-contrast") == "serious"
    assert found.get("image-alt") == "critical"
