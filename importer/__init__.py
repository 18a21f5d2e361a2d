"""Import a Jekyll, Hugo or Eleventy blog into Prudent's ``content/``.

``import_blog(source, dest)`` writes ``content/posts/*.md`` with YAML front
matter (read by pelican-yaml-metadata), copies the local images the posts use
into ``content/images/`` and returns an ``ImportReport`` of what it could not
convert. ``invoke import-blog --source DIR`` is the command.

- ``flavour``: which generator, and which files are posts;
- ``frontmatter``: front matter in, YAML for Pelican out;
- ``shortcodes``: Liquid, Nunjucks and Hugo shortcodes to Markdown;
- ``links``: where each link and image of the old site points now;
- ``report``: what was left for the author.
"""

from importer.blog import import_blog
from importer.report import ImportReport, Problem

__all__ = ["ImportReport", "Problem", "import_blog"]
