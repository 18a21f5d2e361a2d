"""Pelican plugin: a Pinboard-style bookmarks page from a Pinboard or browser export.

``register()`` only wires signals. Reading the exports (``pinboard_json``,
``netscape_html``), merging and filtering (``model``) are free of Pelican;
``generator`` is the thin Pelican part; ``fetch`` downloads a fresh export.
"""

from pelican import signals

from .generator import BookmarksGenerator

__all__ = ["register"]


def _generators(pelican: object) -> type[BookmarksGenerator]:
    return BookmarksGenerator


def register() -> None:
    # generate_context runs before the guardrails (all_generators_finalized),
    # so the bookmarks are checked with everything else; nothing is written
    # until every generator's context is ready.
    signals.get_generators.connect(_generators)
