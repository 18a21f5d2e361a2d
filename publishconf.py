"""Production settings: ``make publish`` builds with these.

Everything in pelicanconf.py, read afresh from the file beside this one (not
``from pelicanconf import *``, which would reuse whichever copy Python cached).
"""

import os
import runpy
from pathlib import Path

_base = runpy.run_path(str(Path(__file__).with_name("pelicanconf.py")))
globals().update({k: v for k, v in _base.items() if k.isupper()})

SITEURL = os.environ.get("PRUDENT_SITEURL", "https://notebook.example.org")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
PRUDENT_SETTINGS_FILES = [*_base["PRUDENT_SETTINGS_FILES"], __file__]
