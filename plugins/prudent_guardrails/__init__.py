"""Pelican adapter for Prudent's guardrails: stop the build before anything is written.

``register()`` only wires signals; collecting what Pelican will publish is in
``collect.py`` and the checking itself is the Pelican-free ``prudent`` core.
"""

from pelican import signals

from .adapter import run_guardrails
from .review import write_review_page

__all__ = ["register"]


def register() -> None:
    # Every generator has built its context and nothing is written yet.
    # (content_object_init is no good: Pelican swallows exceptions raised there.)
    signals.all_generators_finalized.connect(run_guardrails)
    # Review mode only (PRUDENT_REVIEW_DIR): the page once the site is written.
    signals.finalized.connect(write_review_page)
