"""Where a link of the old site points in the new one.

Local images are copied into ``content/images/`` and linked as
``{static}/images/...``; links to other imported posts become
``{filename}/posts/...`` links, which Pelican checks at build time; anything
else on the old site either points at the old site (``--site-url``) or is kept
and reported. Only links that surely resolve are written as ``{static}`` or
``{filename}``: a dangling one would fail the build.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

IMAGE_SUFFIXES = frozenset(
    [
        ".jpg",
        ".jpeg",
        ".jpe",
        ".png",
        ".gif",
        ".webp",
        ".bmp",
        ".tif",
        ".tiff",
        ".svg",
        ".avif",
        ".ico",
    ]
)
# Folder names a static site keeps its images under; the new home is content/images/.
_ASSET_DIRS = {"assets", "static", "images", "img", "uploads", "media", "files"}
REMOTE_MODES = ("keep", "link", "download")
_REMOTE = re.compile(r"(?i)^(?:https?:)?//")


def is_remote(url: str) -> bool:
    return bool(_REMOTE.match(url.strip()))


@dataclass(frozen=True)
class Resolved:
    url: str | None  # None: a local image that does not exist (neutralise it)
    code: str = ""  # a problem to report, if any
    action: str = ""


def is_image_path(path: str) -> bool:
    return PurePosixPath(urlsplit(path).path).suffix.lower() in IMAGE_SUFFIXES


def canonical_path(path: str) -> str:
    """``/2014/03/19/hello/index.html`` and ``/2014/03/19/hello`` are the same page."""
    path = unquote(path).split("#", 1)[0].split("?", 1)[0]
    for suffix in ("index.html", ".html"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    return "/" + path.strip("/")


_MAGIC = (
    (b"\xff\xd8\xff", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
)
_SAME = {".jpg": {".jpg", ".jpeg", ".jpe"}, ".png": {".png"}, ".gif": {".gif"}, ".webp": {".webp"}}


def real_suffix(path: Path) -> str:
    """The suffix the bytes call for (JPEG, PNG, GIF, WebP), or "" when unsure."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    for magic, suffix in _MAGIC:
        if head.startswith(magic):
            return suffix
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    return ""


class LinkResolver:
    def __init__(
        self,
        search_roots: list[Path],
        content_dir: Path,
        *,
        site_url: str = "",
        remote_images: str = "keep",
    ) -> None:
        self.search_roots = [r.resolve() for r in search_roots]
        self.content_dir = content_dir
        self.site_url = site_url.rstrip("/")
        # "keep" (scanned at build), "link" (a link, not the picture) or "download"
        # (copied in now, so the build needs no network).
        self.remote_images = remote_images
        self.downloaded: dict[str, str] = {}  # URL -> path under content/
        self.download_errors: dict[str, str] = {}  # URL -> why it could not be downloaded
        self._fetcher = None
        self.posts_by_path: dict[str, str] = {}  # canonical old URL path -> dest name
        self.posts_by_stem: dict[str, str] = {}  # source stem -> dest name
        self.copied: dict[Path, str] = {}  # source file -> path under content/
        self.renamed: list[tuple[Path, str]] = []  # (source, why) for the report
        self._taken: set[str] = set()

    # -- the posts of the import, for links between them ---------------------

    def add_post(self, dest_name: str, stem: str, old_paths: list[str]) -> None:
        self.posts_by_stem[stem] = dest_name
        self.posts_by_stem[Path(dest_name).stem] = dest_name
        for path in old_paths:
            self.posts_by_path.setdefault(canonical_path(path), dest_name)

    def post_link(self, ref: str) -> str | None:
        """``{filename}`` link for a post named by stem or path (post_url, ref)."""
        ref, _, frag = ref.partition("#")
        name = PurePosixPath(ref.strip().strip('"')).name
        for key in (name, PurePosixPath(name).stem, PurePosixPath(name).parent.name):
            if key in self.posts_by_stem:
                return f"{{filename}}/posts/{self.posts_by_stem[key]}" + (
                    f"#{frag}" if frag else ""
                )
        dest = self.posts_by_path.get(canonical_path(ref))
        if dest:
            return f"{{filename}}/posts/{dest}" + (f"#{frag}" if frag else "")
        return None

    # -- any URL -----------------------------------------------------------------

    def resolve(self, url: str, post_dir: Path) -> Resolved:
        raw = url.strip()
        if raw.startswith("<") and raw.endswith(">"):
            raw = raw[1:-1].strip()
        if not raw or raw.startswith(
            ("#", "{static}", "{filename}", "{attach}", "{tag}", "{category}")
        ):
            return Resolved(raw)
        parts = urlsplit(raw)
        if parts.scheme or raw.startswith("//"):
            return Resolved(raw)
        suffix = ("?" + parts.query if parts.query else "") + (
            "#" + parts.fragment if parts.fragment else ""
        )
        path = unquote(parts.path)
        if not path:
            return Resolved(raw)
        for candidate, mapped in self._candidates(path, post_dir):
            if candidate.is_file():
                if candidate.suffix.lower() in IMAGE_SUFFIXES:
                    return Resolved(
                        "{static}/" + quote(self.copy_image(candidate, mapped)) + suffix
                    )
                return self._elsewhere(
                    raw,
                    path,
                    "not-imported-file",
                    "a local file that is not an image was not copied",
                )
        link = self.post_link(path) if path.startswith("/") else None
        if link:
            return Resolved(link + ("#" + parts.fragment if parts.fragment else ""))
        if is_image_path(path):
            return Resolved(
                None,
                "missing-image",
                "image file not found in the source; replaced by its description",
            )
        return self._elsewhere(
            raw, path, "unresolved-link", "link to a page of the old site that was not imported"
        )

    def _elsewhere(self, raw: str, path: str, code: str, why: str) -> Resolved:
        if self.site_url and (raw.startswith("/") or not raw.startswith(".")):
            absolute = self.site_url + "/" + raw.lstrip("/")
            return Resolved(absolute, code, f"{why}: now points at the old site, {absolute}")
        return Resolved(
            raw, code, f"{why}: kept as is (give --site-url to point it at the old site)"
        )

    def _candidates(self, path: str, post_dir: Path) -> list[tuple[Path, str]]:
        """(file, its path for the new home): a page bundle's images go under its name."""
        rel = path.lstrip("/")
        out = []
        if not path.startswith("/"):
            out.append((post_dir / rel, f"{post_dir.name}/{rel}"))
        out.extend((root / rel, rel) for root in self.search_roots)
        return out

    def copy_image(self, source: Path, url_path: str) -> str:
        """Copy once; return the path under content/, e.g. ``images/blog/x.png``."""
        source = source.resolve()
        if source in self.copied:
            return self.copied[source]
        parts = [p for p in PurePosixPath(url_path.lstrip("/")).parts if p not in ("..", ".")]
        while len(parts) > 1 and parts[0].lower() in _ASSET_DIRS:
            parts = parts[1:]
        real = real_suffix(source)
        if real and PurePosixPath(parts[-1]).suffix.lower() not in _SAME[real]:
            # A .png that holds a JPEG: browsers shrug, scanners and servers do not.
            fixed = f"{PurePosixPath(parts[-1]).stem}{real}"
            self.renamed.append((source, f"the file holds {real[1:].upper()}: copied as {fixed}"))
            parts = [*parts[:-1], fixed]
        rel = PurePosixPath("images", *parts)
        n = 1
        while rel.as_posix().lower() in self._taken:
            n += 1
            rel = rel.with_name(
                f"{PurePosixPath(parts[-1]).stem}-{n}{PurePosixPath(parts[-1]).suffix}"
            )
        self._taken.add(rel.as_posix().lower())
        target = self.content_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        self.copied[source] = rel.as_posix()
        return rel.as_posix()

    # -- pictures on other servers -------------------------------------------------

    def remote_image(self, url: str) -> tuple[str, str]:
        """What a picture on another server becomes: ``(url, how)``.

        ``how`` is "keep" (the URL stays, the build downloads and judges it),
        "copied" (``url`` is now ``{static}/...``) or "link" (show a link, not the
        picture: asked for, or the download failed; ``download_errors`` says why).
        """
        if self.remote_images == "keep":
            return url, "keep"
        if self.remote_images == "download":
            copied = self.download(url)
            if copied is not None:
                return "{static}/" + quote(copied), "copied"
        return url, "link"

    def download(self, url: str) -> str | None:
        """Fetch the picture into content/images/remote/HOST/; None (and why) if it fails."""
        if url in self.downloaded:
            return self.downloaded[url]
        if url in self.download_errors:
            return None
        from prudent.images.decode import FORMAT_EXTENSION, sniff
        from prudent.images.fetch import Fetcher, FetchError, RemoteSettings

        full = "https:" + url if url.startswith("//") else url
        if self._fetcher is None:
            cache = Path(tempfile.mkdtemp(prefix="prudent-import-"))
            self._fetcher = Fetcher(cache, RemoteSettings(timeout_seconds=20, cache_hours=0))
        try:
            data = self._fetcher.fetch(full)
        except FetchError as exc:
            self.download_errors[url] = str(exc)
            return None
        parts = urlsplit(full)
        name = PurePosixPath(unquote(parts.path)).name or "image"
        fmt = sniff(data)
        suffix = FORMAT_EXTENSION.get(fmt or "", "")
        stem = PurePosixPath(name).stem if PurePosixPath(name).suffix else name
        if parts.query:  # the same path with two queries is two pictures
            stem += "-" + hashlib.sha256(parts.query.encode()).hexdigest()[:8]
        host = re.sub(r"[^\w.-]+", "-", parts.hostname or "remote")
        rel = PurePosixPath("images", "remote", host, f"{stem}{suffix}")
        n = 1
        while rel.as_posix().lower() in self._taken:
            n += 1
            rel = rel.with_name(f"{stem}-{n}{suffix}")
        self._taken.add(rel.as_posix().lower())
        target = self.content_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.downloaded[url] = rel.as_posix()
        return rel.as_posix()
