"""Scan results on disk, keyed by what decides them: never a file name or a time stamp.

The key is the SHA-256 of the image bytes together with the scanner's version
(model file, OpenCV, reference logos, this code) and the image policy's
version. The same picture under two names is scanned once; a picture changed
under the same name is scanned again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

SCHEMA = "prudent-images-1"


class ResultCache:
    def __init__(self, folder: Path, version: str, enabled: bool = True) -> None:
        self.folder = folder
        self.version = version
        self.enabled = enabled

    def key(self, sha256: str) -> str:
        return hashlib.sha256(f"{SCHEMA}\0{self.version}\0{sha256}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, sha256: str) -> dict[str, Any] | None:
        if not self.enabled:
            return None
        try:
            entry = json.loads(self._path(self.key(sha256)).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing or damaged: scan again
        if not isinstance(entry, dict) or entry.get("sha256") != sha256:
            return None
        result = entry.get("result")
        return result if isinstance(result, dict) else None

    def put(self, sha256: str, result: dict[str, Any]) -> None:
        if not self.enabled:
            return
        path = self._path(self.key(sha256))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"sha256": sha256, "result": result}), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # an unwritable cache only costs time
