"""Site settings for the notebook. ``make build`` uses this file."""

import os
from pathlib import Path

_HERE = Path(__file__).resolve().parent

AUTHOR = "Sam Rivers"
AUTHOR_BIO = (
    "I work in the public service and write here about digital services, "
    "plain language and working in the open."
)
SITENAME = "Sam's Online Notebook"
SITESUBTITLE = "Notes on digital services, plain language and working in the open"
DISCLAIMER = "This is a personal notebook. The views here are my own and not those of my employer."

# Absolute, so every feed carries absolute URLs. ``make serve`` and the tests
# override it with their local address; publishconf.py sets the real one.
SITEURL = os.environ.get("PRUDENT_SITEURL", "https://notebook.example.org")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL

PATH = "content"
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
OUTPUT_PATH = "output"
THEME = "theme"
CACHE_PATH = ".cache/pelican"

TIMEZONE = "America/Toronto"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"
DEFAULT_PAGINATION = 5
SUMMARY_MAX_LENGTH = 50

ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# A translation (same slug, another Lang:) lives under its language: /fr/2026/05/slug/.
ARTICLE_LANG_URL = "{lang}/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/{date:%Y}/{date:%m}/{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
DRAFT_LANG_URL = "drafts/{lang}/{slug}/"
DRAFT_LANG_SAVE_AS = "drafts/{lang}/{slug}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = "archives/index.html"
CATEGORIES_SAVE_AS = "categories/index.html"
TAGS_SAVE_AS = "tags/index.html"
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds: Atom and RSS, whole posts, for everything, each category and each tag.
RSS_FEED_SUMMARY_ONLY = False
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{slug}.rss.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{slug}.rss.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
FEED_MAX_ITEMS = 20

# Cross-posting (plugins/prudent_crosspost): a post with "Crosspost: govloop"
# goes to feeds/crosspost/govloop.atom.xml and .json. A partner needs no entry
# here; one refines its display name, attribution and categories.
CROSSPOST_TARGETS = {
    "kind-of-digital": {
        "name": "Kind of Digital",
        "attribution": 'Cross posted from <a href="{url}">{site}</a>.',
    },
    "govloop": {
        "name": "GovLoop",
        "attribution": 'Originally published by {author} at <a href="{url}">{site}</a>.',
        "categories": ["Working in the open", "Offers"],
    },
}

MENUITEMS = (
    ("Archives", "/archives/"),
    ("Tags", "/tags/"),
)
EXTRA_MENUITEMS = (("Bookmarks", "/bookmarks/"),)  # prudent_bookmarks: content/bookmarks/
LINKS = (
    ("Plain language guidelines (plainlanguage.example.org)", "https://plainlanguage.example.org/"),
)
SOCIAL = (("Mastodon", "https://mastodon.example.social/@samrivers"),)

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"permalink": False},
        "markdown.extensions.smarty": {},
    },
    "output_format": "html5",
}

PLUGIN_PATHS = ["plugins"]
# yaml_metadata (pelican-yaml-metadata): posts may use YAML front matter
# (---) as Jekyll, Hugo and Eleventy write it, beside Pelican's "Key: value".
# neighbors (pelican-neighbors): each post's newer and older post, computed once
# for the theme's "More posts" links.
PLUGINS = [
    "yaml_metadata",
    "neighbors",
    "prudent_guardrails",
    "prudent_bookmarks",
    "prudent_crosspost",
]

# Where the guardrails find the project and the settings text to point at.
PRUDENT_ROOT = str(_HERE)
PRUDENT_SETTINGS_FILES = [str(_HERE / "pelicanconf.py")]

# Deployment (used by ``make publish`` with publishconf.py).
DEPLOY_METHOD = os.environ.get("PRUDENT_DEPLOY", "")  # "rsync" or "ghp-import"
RSYNC_TARGET = os.environ.get("PRUDENT_RSYNC_TARGET", "")  # user@host:/var/www/notebook/
GITHUB_PAGES_BRANCH = "gh-pages"
