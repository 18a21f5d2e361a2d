"""Download a fresh export from Pinboard's API into content/bookmarks/pinboard.json.

The API token (``user:HEX``, from https://pinboard.in/settings/password) comes
from the environment and never goes anywhere else: not into the file, not into
a message. Every error text is passed through ``redact`` before it is shown.
The export is checked with the same reader the build uses before it replaces
the old file, so a bad download never breaks the site.
"""

from __future__ import annotations

import json
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from . import pinboard_json
from .model import ExportError, is_private_tag

DEFAULT_API = "https://api.pinboard.in/v1"
TOKEN_VARIABLE = "PINBOARD_TOKEN"
USER_AGENT = "prudent-bookmarks/1.0 (+fetch_bookmarks)"


class FetchError(Exception):
    """The export could not be fetched; the message never contains the token."""


@dataclass(frozen=True)
class FetchResult:
    path: Path
    total: int  # bookmarks in the export
    written: int  # bookmarks written (private ones are dropped unless kept)


def redact(text: str, token: str) -> str:
    """``text`` with the token (and its secret part, and URL-quoted forms) masked."""
    if not token:
        return text
    secrets = {token, quote(token, safe=""), quote(token)}
    if ":" in token:
        secrets.add(token.split(":", 1)[1])
    for secret in sorted((s for s in secrets if len(s) >= 4), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def fetch(
    dest: Path,
    token: str,
    *,
    api: str = DEFAULT_API,
    keep_private: bool = False,
    timeout: float = 60.0,
) -> FetchResult:
    """Fetch ``posts/all`` as JSON and write it (pretty-printed) to ``dest``.

    With ``keep_private=False`` (the default) private bookmarks and private
    tags are dropped before writing, so they never reach the repository.
    """
    if not token.strip():
        raise FetchError(
            f"Set {TOKEN_VARIABLE} to your Pinboard API token (user:HEX, from "
            "https://pinboard.in/settings/password)."
        )
    try:
        return _fetch(dest, token.strip(), api, keep_private, timeout)
    except FetchError as exc:
        raise FetchError(redact(str(exc), token.strip())) from None
    except Exception as exc:  # anything unexpected: still no token, no traceback
        message = redact(f"{type(exc).__name__}: {exc}", token.strip())
        raise FetchError(f"Could not fetch the Pinboard export: {message}") from None


def _fetch(dest: Path, token: str, api: str, keep_private: bool, timeout: float) -> FetchResult:
    query = urlencode({"format": "json", "auth_token": token})
    url = f"{api.rstrip('/')}/posts/all?{query}"
    shown = f"{api.rstrip('/')}/posts/all"
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise FetchError(_http_message(exc.code, shown)) from None
    except urllib.error.URLError as exc:
        raise FetchError(f"Could not reach {shown}: {exc.reason}") from None
    except TimeoutError:
        raise FetchError(f"{shown} did not answer within {timeout:g} s") from None

    try:
        text = body.decode("utf-8-sig")
        data = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(f"{shown} did not return JSON ({exc}); nothing was written") from None
    if isinstance(data, dict) and "posts" in data:
        data = data["posts"]
    if not isinstance(data, list):
        raise FetchError(f"{shown} returned {type(data).__name__}, not a list of bookmarks")
    try:
        pinboard_json.parse(json.dumps(data, indent=2), "the downloaded export")
    except ExportError as exc:
        raise FetchError(f"{exc}\nThe old file was kept.") from None

    kept = data if keep_private else [_public(post) for post in data if _shared(post)]
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".pinboard-", suffix=".json", dir=dest.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(kept, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return FetchResult(dest, len(data), len(kept))


def _shared(post: dict) -> bool:
    value = post.get("shared")
    return value is True or (isinstance(value, str) and value.strip().lower() == "yes")


def _public(post: dict) -> dict:
    tags = post.get("tags")
    if isinstance(tags, str):
        post = dict(post, tags=" ".join(t for t in tags.split() if not is_private_tag(t)))
    return post


def _http_message(code: int, shown: str) -> str:
    if code in (401, 403):
        return (
            f"Pinboard refused the token (HTTP {code} from {shown}): check {TOKEN_VARIABLE} "
            "(user:HEX, from https://pinboard.in/settings/password)."
        )
    if code == 429:
        return (
            f"Pinboard says too many requests (HTTP 429 from {shown}): posts/all may be "
            "called once every five minutes. Try again later."
        )
    return f"{shown} answered HTTP {code}; nothing was written."
