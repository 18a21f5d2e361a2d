"""What a reader does: open the home page, page through, read a post, browse."""

from __future__ import annotations

import math
from urllib.parse import urljoin, urlparse

from playwright.sync_api import Page

from tests.browser.conftest import ROOT, TEST_PAGINATION, normalise, published_posts, site_paths

POSTS = published_posts()


def _meta(page: Page, attr: str, name: str) -> str | None:
    found = page.locator(f'meta[{attr}="{name}"]')
    return found.get_attribute("content") if found.count() else None


def _summary_titles(page: Page) -> list[str]:
    return [normalise(t) for t in page.locator("main article.summary h2").all_inner_texts()]


def test_home_page_lists_the_newest_posts(open_page) -> None:
    page, watch = open_page("/")
    assert len(POSTS) > TEST_PAGINATION, "the sample must span several pages"
    assert _summary_titles(page) == [normalise(p.title) for p in POSTS[:TEST_PAGINATION]]
    # Each summary links to its post, and the page names the site and the disclaimer.
    first = page.locator("main article.summary").first
    first.get_by_role("link", name=normalise(POSTS[0].title), exact=True).click()
    page.wait_for_load_state("load")
    assert normalise(page.locator("main h1").inner_text()) == normalise(POSTS[0].title)
    assert "views here are my own" in page.locator("footer").inner_text()
    assert watch.problems() == []


def test_pagination_walks_every_post_in_order(open_page) -> None:
    page, watch = open_page("/")
    pages = math.ceil(len(POSTS) / TEST_PAGINATION)
    seen: list[str] = []
    urls: list[str] = []
    for number in range(1, pages + 1):
        urls.append(page.url)
        assert page.locator(".pagination .current").inner_text() == f"Page {number} of {pages}"
        seen += _summary_titles(page)
        older = page.locator(".pagination a[rel=next]")
        if number < pages:
            older.click()
            page.wait_for_load_state("load")
        else:
            assert older.count() == 0, "the last page links to no older page"
    assert seen == [normalise(p.title) for p in POSTS]
    assert len(set(urls)) == pages
    # And back again, newest first.
    page.locator(".pagination a[rel=prev]").click()
    page.wait_for_load_state("load")
    assert page.url == urls[-2]
    assert watch.problems() == []


def test_articles_render_with_their_images_loaded(open_page, site) -> None:
    with_images = 0
    for post in POSTS:
        page, watch = open_page("/")
        # Reach each post the way a reader does: through the archives.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Archives").click()
        page.get_by_role("link", name=normalise(post.title), exact=True).click()
        page.wait_for_load_state("load")
        assert normalise(page.locator("main h1").inner_text()) == normalise(post.title)
        assert len(page.locator("main .post-body").inner_text()) > 200
        images = page.locator("main img")
        for i in range(images.count()):
            img = images.nth(i)
            state = img.evaluate(
                "el => ({complete: el.complete, width: el.naturalWidth, alt: el.alt,"
                " shown: el.getBoundingClientRect().width})"
            )
            assert state["complete"] and state["width"] > 0, (post.title, state)
            assert state["shown"] > 0, (post.title, state)
            assert state["alt"].strip(), f"{post.title}: an image without alt text"
        with_images += images.count()
        source = post.source.read_text(encoding="utf-8")
        assert images.count() >= source.count("!["), post.title
        assert watch.problems() == []
    assert with_images > 0, "the sample notebook has at least one picture to check"


def test_social_cards_point_at_the_posts_own_image(open_page, site) -> None:
    checked = 0
    for post in POSTS:
        page, _ = open_page("/archives/")
        page.get_by_role("link", name=normalise(post.title), exact=True).click()
        page.wait_for_load_state("load")

        canonical = page.locator('link[rel="canonical"]').get_attribute("href")
        assert _meta(page, "property", "og:url") == canonical == page.url
        assert normalise(_meta(page, "property", "og:title")) == normalise(post.title)
        assert _meta(page, "property", "og:type") == "article"
        assert _meta(page, "name", "twitter:title") == _meta(page, "property", "og:title")
        if not post.image:
            assert _meta(page, "property", "og:image") is None
            assert _meta(page, "name", "twitter:card") == "summary"
            continue
        image_url = _meta(page, "property", "og:image")
        assert image_url and image_url.startswith(site.base_url + "/"), image_url
        assert _meta(page, "name", "twitter:image") == image_url
        assert _meta(page, "name", "twitter:card") == "summary_large_image"
        # It is the very file named in the post's `Image:` metadata.
        response = page.request.get(image_url)
        assert response.ok and response.headers["content-type"].startswith("image/")
        relative = post.image.split("}", 1)[-1].lstrip("/")
        assert response.body() == (ROOT / "content" / relative).read_bytes()
        checked += 1
    assert checked > 0, "the sample has a post with an Image: to check"


def test_navigation_reaches_archives_categories_tags_and_pages(open_page) -> None:
    page, watch = open_page("/")
    main_nav = page.get_by_role("navigation", name="Main")

    main_nav.get_by_role("link", name="Archives").click()
    assert urlparse(page.url).path == "/archives/"
    assert page.locator("main h1").inner_text() == "Archives"
    archived = [normalise(t) for t in page.locator("main .archive a").all_inner_texts()]
    assert archived == [normalise(p.title) for p in POSTS]
    assert main_nav.get_by_role("link", name="Archives").get_attribute("aria-current") == "page"

    page.get_by_role("navigation", name="Browse the notebook").get_by_role(
        "link", name="Categories"
    ).click()
    assert urlparse(page.url).path == "/categories/"
    category = POSTS[0].category
    page.locator("main .term-list a", has_text=category).click()
    assert page.locator("main h1").inner_text() == f"Category: {category}"
    assert sorted(_summary_titles(page)) == sorted(
        normalise(p.title) for p in POSTS if p.category == category
    )

    main_nav.get_by_role("link", name="Tags").click()
    assert urlparse(page.url).path == "/tags/"
    tag = max({t for p in POSTS for t in p.tags}, key=lambda t: sum(t in p.tags for p in POSTS))
    page.locator("main .term-list a", has_text=tag).first.click()
    assert normalise(page.locator("main h1").inner_text()) == normalise(f"Tagged “{tag}”")
    tagged = [normalise(p.title) for p in POSTS if tag in p.tags]
    assert len(tagged) > 1
    assert _summary_titles(page)[:TEST_PAGINATION] == tagged[:TEST_PAGINATION]

    for source in sorted((ROOT / "content" / "pages").glob("*.md")):
        title = source.read_text("utf-8").partition("Title:")[2].splitlines()[0].strip()
        main_nav.get_by_role("link", name=title, exact=True).click()
        assert normalise(page.locator("main h1").inner_text()) == normalise(title)
    page.get_by_role("link", name=page.locator(".site-name a").inner_text()).click()
    assert urlparse(page.url).path == "/"
    assert watch.problems() == []


def test_every_page_the_build_wrote_is_reachable_by_links(open_page, site) -> None:
    page, watch = open_page("/")
    wanted = set(site_paths(site.output))
    seen: set[str] = set()
    queue = ["/"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        page.goto(site.url(path), wait_until="load")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
            url = urljoin(page.url, href)
            parsed = urlparse(url)
            if url.startswith(site.base_url) and parsed.path in wanted:
                queue.append(parsed.path)
    assert wanted - seen == set(), "pages no link leads to"
    assert watch.problems() == []
