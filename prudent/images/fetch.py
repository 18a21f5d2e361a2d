"""Remote images (``http://``, ``https://``, any host): downloaded, checked, cached.

A remote image is published as surely as a local one: the reader's browser
loads it. It is fetched with a timeout and a size cap, must say it is an image
(``Content-Type: image/...``) and be one (magic bytes), and is kept on disk so
the next build does not download it again within ``cache_hours``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from prudent.images.decode import sniff

USER_AGENT = "prudent-guardrails/0.1 (image check before publishing)"


class FetchError(Exception):
    """Why a remote image could not be checked, in plain words.

    ``network`` is true when the server could not be reached at all (no network,
    a name that does not resolve, a refused connection, a timeout): then working
    offline is the fix, not the URL.
    """

    def __init__(self, message: str, *, network: bool = False) -> None:
        super().__init__(message)
        self.network = network


@dataclass(frozen=True)
class RemoteSettings:
    timeout_seconds: float = 10.0
    max_bytes: int = 20_000_000
    cache_hours: float = 24.0
    offline: bool = False  # never download: judge the copies fetched earlier, however old


class Fetcher:
    def __init__(self, cache_dir: Path, settings: RemoteSettings) -> None:
        self.cache_dir = cache_dir
        self.settings = settings

    def fetch_all(self, urls: list[str]) -> dict[str, bytes | FetchError]:
        out: dict[str, bytes | FetchError] = {}
        if not urls:
            return out
        with ThreadPoolExecutor(max_workers=min(8, len(urls))) as pool:
            for url, result in zip(urls, pool.map(self._fetch_or_error, urls), strict=True):
                out[url] = result
        return out

    def _fetch_or_error(self, url: str) -> bytes | FetchError:
        try:
            return self.fetch(url)
        except FetchError as exc:
            return exc

    def fetch(self, url: str) -> bytes:
        cached = self._cached(url)
        if cached is not None:
            return cached
        if self.settings.offline:
            raise FetchError(
                "it was never downloaded, and [images.remote] offline = true forbids the "
                "network (build once online, or save the picture under content/images/)"
            )
        data = self._download(url)
        self._store(url, data)
        return data

    def _download(self, url: str) -> bytes:
        s = self.settings
        request = urllib.request.Request(
            url, headers={"User-Agent": USER_AGENT, "Accept": "image/*"}
        )
        try:
            with urllib.request.urlopen(request, timeout=s.timeout_seconds) as response:
                ctype = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
                if not ctype.startswith("image/"):
                    raise FetchError(
                        f"the server says it is {ctype or 'of no stated type'}, not an image"
                    )
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > s.max_bytes:
                    raise FetchError(
                        f"it is {int(length):,} bytes, over the {s.max_bytes:,} allowed"
                    )
                data = response.read(s.max_bytes + 1)
        except FetchError:
            raise
        except urllib.error.HTTPError as exc:
            raise FetchError(f"the server answered HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            raise FetchError(
                f"the network failed: {_reason(exc.reason)}",
                network=not isinstance(exc.reason, str),
            ) from None
        except TimeoutError:
            raise FetchError(
                f"the download took longer than {s.timeout_seconds:g} s", network=True
            ) from None
        except OSError as exc:
            raise FetchError(f"the network failed: {_reason(exc)}", network=True) from None
        except ValueError as exc:
            raise FetchError(f"it could not be downloaded ({exc})") from None
        if len(data) > s.max_bytes:
            raise FetchError(f"it is over the {s.max_bytes:,} bytes allowed")
        if not data:
            raise FetchError("the server sent zero bytes")
        if sniff(data) is None:
            raise FetchError(f"the server says {ctype}, but the bytes are not an image")
        return data

    # -- disk cache ------------------------------------------------------------

    def _paths(self, url: str) -> tuple[Path, Path]:
        name = hashlib.sha256(url.encode("utf-8")).hexdigest()
        base = self.cache_dir / name[:2] / name
        return base.with_suffix(".bin"), base.with_suffix(".json")

    def _cached(self, url: str) -> bytes | None:
        data_path, meta_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("url") != url:
                return None
            age = time.time() - float(meta["fetched"])
            if age > self.settings.cache_hours * 3600 and not self.settings.offline:
                return None
            data = data_path.read_bytes()
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            return None
        return data

    def _store(self, url: str, data: bytes) -> None:
        data_path, meta_path = self._paths(url)
        try:
            data_path.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(data_path, data)
            meta = {"url": url, "fetched": time.time(), "sha256": hashlib.sha256(data).hexdigest()}
            _atomic_write(meta_path, json.dumps(meta).encode())
        except OSError:
            pass  # a cache that cannot be written only costs time


def _reason(reason: object) -> str:
    """``[Errno -3] Temporary failure in name resolution`` without the errno noise."""
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[:1].lower() + reason.strerror[1:]
    return str(reason)


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
