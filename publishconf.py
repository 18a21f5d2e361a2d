"""Production settings: ``make publish`` builds with these."""

import os
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("PRUDENT_SITEURL", "https://notebook.example.org")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
PRUDENT_SETTINGS_FILES = [*PRUDENT_SETTINGS_FILES, __file__]  # noqa: F405
