"""Settings the plugin adds to Pelican's: the JSON Feed's path, guarded partner text."""

from __future__ import annotations

from typing import Any

from .generator import FEED_ALL_JSON_DEFAULT
from .targets import SETTING


def add_defaults(pelican: Any) -> None:
    """``initialized``: ``FEED_ALL_JSON`` for the templates; partner text for the guardrails.

    ``FEED_ALL_JSON = None`` in pelicanconf.py turns the JSON Feed off. The
    attribution templates and partner names are published in every cross-post
    feed, so the guardrails check them like any other setting shown to readers.
    """
    settings = pelican.settings
    settings.setdefault("FEED_ALL_JSON", FEED_ALL_JSON_DEFAULT)
    guarded = list(settings.get("PRUDENT_GUARDED_SETTINGS") or [])
    if settings.get(SETTING) and SETTING not in guarded:
        settings["PRUDENT_GUARDED_SETTINGS"] = [*guarded, SETTING]
