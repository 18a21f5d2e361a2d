"""The output pass's cache: what each published file held, by the digest of its bytes.

Two JSON files under ``.cache/prudent/published/``, each stamped with a version
(this pass's code, the text rules' code and models, the policy): ``files.json``
maps a file's SHA-256 to the raw findings the rules made of its blocks, so a
warm build reads and hashes every published file but parses and judges only
those that changed; ``units.json`` maps a source document's digest to its unit
keys (``sources.units_of``), so the sources are not prepared again either.
Entries no build asked for are dropped when the file is written.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

logger = logging.getLogger("prudent.published")


class JsonStore:
    """A dict persisted as one JSON file; a damaged or stale file is simply empty."""

    def __init__(self, path: Path | None, version: str) -> None:
        self.path = path
        self.version = version
        self._data: dict[str, Any] | None = None
        self.used: set[str] = set()
        self.changed = False

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            self._data = {}
            if self.path is not None and self.path.is_file():
                try:
                    raw = json.loads(self.path.read_text(encoding="utf-8"))
                    if raw.get("version") == self.version and isinstance(raw.get("items"), dict):
                        self._data = raw["items"]
                except (OSError, ValueError, AttributeError):
                    pass  # checked again, and written afresh
        return self._data

    def begin(self) -> None:
        """A new build: what it does not ask for is dropped when it saves."""
        self.used.clear()
        self.changed = False

    def get(self, key: str) -> Any:
        value = self._load().get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self._load()[key] = value
        self.used.add(key)
        self.changed = True

    def save(self) -> None:
        if self.path is None or self._data is None or not (self.used or self.changed):
            return  # not asked this build: left as it is
        stale = set(self._data) - self.used
        if not self.changed and not stale:
            return
        self._data = {k: v for k, v in self._data.items() if k in self.used}
        items = self._data
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"version": self.version, "items": items}, fh)
            os.replace(tmp, self.path)
        except OSError as exc:  # a read-only checkout is still checked, just not cached
            logger.debug("cannot write %s: %s", self.path, exc)
