"""``prudent init DIR``: start a notebook from the shipped theme, settings and sample posts.

The new folder builds with stock ``pelican content``: its settings name the
plugins, which an installed Prudent provides as Pelican namespace plugins. The
rule lists are not copied: a notebook reads Prudent's shipped lists, and a file
of the same name under its own ``guardrails/`` replaces one (docs/install.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from prudent import shipped

# The shipped lists stay in the package (see above); everything else is copied.
COPIED = tuple(part for part in shipped.NOTEBOOK_PARTS if part != shipped.DATA_DIR)
GITIGNORE = "output/\n.cache/\n__pycache__/\n"
# The project's own settings, made right for a folder with no plugins/ of its own.
SETTINGS_EDITS = (
    ("``make build`` uses this file.", "``pelican content`` builds with it."),
    ('\nPLUGIN_PATHS = ["plugins"]\n', "\n"),
)


class InitError(Exception):
    """The notebook cannot be made there. ``str()`` says why and what to do."""


def init_notebook(dest: Path) -> list[str]:
    """Copy the notebook into ``dest`` (new or empty); the names written, sorted."""
    if dest.exists() and not dest.is_dir():
        raise InitError(f"{dest} is a file; give the name of a new folder")
    if dest.is_dir() and any(dest.iterdir()):
        raise InitError(f"{dest} is not empty; give the name of a new folder (nothing was written)")
    source = shipped.notebook()
    missing = [part for part in COPIED if not (source / part).exists()]
    if missing:
        raise InitError(f"this Prudent installation lacks {', '.join(missing)} in {source}")
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in COPIED:
        src = source / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=ignore)
        else:
            shutil.copy2(src, dest / part)
    settings = dest / "pelicanconf.py"
    text = settings.read_text(encoding="utf-8")
    for old, new in SETTINGS_EDITS:
        text = text.replace(old, new)
    settings.write_text(text, encoding="utf-8")
    (dest / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return sorted([*COPIED, ".gitignore"])


def next_steps(dest: Path) -> str:
    return f"""Started a notebook in {dest}/:
  pelicanconf.py   your name, the site's title and address (SITEURL)
  guardrails.toml  your employer's names (workplace-complaint) and every rule's settings
  content/posts/   sample posts: read them, then edit or delete them
  theme/           the notebook's theme (Pelican templates and CSS)

  cd {dest}
  pelican content                    build output/; the guardrails run first and a
                                     finding that is an error stops the build
  pelican --listen --autoreload      preview at http://127.0.0.1:8000/
  prudent check content/posts        the text guardrails alone, on files or folders
"""
