"""``python -m prudent check FILES...`` (see ``prudent/cli.py``)."""

import sys

from prudent.cli import main

sys.exit(main())
