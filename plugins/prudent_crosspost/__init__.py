"""Cross-post feeds and the JSON Feed.

A post names its partners in its metadata (``Crosspost: kind-of-digital,
govloop``); each partner gets ``feeds/crosspost/NAME.atom.xml`` and
``feeds/crosspost/NAME.json`` with those posts, whole, every URL absolute and
closed by an attribution. The site gets ``feeds/all.json`` (JSON Feed 1.1).

``register()`` only wires signals: the settings default is in ``settings.py``,
choosing and writing in ``generator.py``, control characters in ``sanitise.py``.
"""

from pelican import signals

from .generator import CrosspostError, CrosspostGenerator
from .sanitise import clean_pelican_feed, sanitise_content
from .settings import add_defaults

__all__ = ["CrosspostError", "CrosspostGenerator", "register"]


def _generators(pelican: object) -> type[CrosspostGenerator]:
    return CrosspostGenerator


def register() -> None:
    signals.initialized.connect(add_defaults)
    signals.content_object_init.connect(sanitise_content)
    signals.feed_generated.connect(clean_pelican_feed)
    signals.get_generators.connect(_generators)
