"""What Prudent ships beside its code: the default rule data and a starter notebook.

In a checkout the project folder itself is the notebook (``pelicanconf.py``,
``guardrails.toml``, ``guardrails/``, ``theme/``, ``content/``). An installed
Prudent carries a copy of those files as package data in ``prudent/_notebook``
(``setup.py`` puts it there when the wheel is built). A site with no
``guardrails/<list>`` of its own reads the shipped one; ``prudent init`` copies
the notebook to start a new one.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
INSTALLED = HERE / "_notebook"
DATA_DIR = "guardrails"
# What a notebook is made of, relative to its folder (setup.py ships these).
NOTEBOOK_PARTS = (
    "pelicanconf.py",
    "publishconf.py",
    "guardrails.toml",
    "content",
    "theme",
    "guardrails",
)


def notebook() -> Path:
    """The shipped notebook: package data when installed, the checkout otherwise."""
    return INSTALLED if INSTALLED.is_dir() else HERE.parent


def data_file(relpath: str) -> Path:
    """The shipped ``guardrails/<relpath>`` (a list file or a folder of references)."""
    return notebook() / DATA_DIR / relpath
