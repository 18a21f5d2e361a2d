"""The published site, judged as readers get it (the build's safety net).

The text rules judge the sources (posts, templates, settings, bookmarks)
before Pelican writes anything; a reader gets whatever lands in ``output/``.
After Pelican has written the site into its staging folder, and before it
replaces ``output/``, this pass reads every published file the way a browser
or a feed reader does (``formats``, ``markup``), judges the text no source
check saw, and traces each finding back to its source (``checker``,
``sources``). Results are cached by each file's digest (``cache``).

Free of Pelican, like the rest of the core: a folder and the sources in,
a ``Report`` out.
"""

from prudent.published.checker import RULES, PublishedChecker, Sources
from prudent.published.resolve import UNJUDGED

__all__ = ["RULES", "UNJUDGED", "PublishedChecker", "Sources"]
