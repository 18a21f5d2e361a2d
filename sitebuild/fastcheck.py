"""``check`` after an edit: re-read and re-judge only the documents that changed.

A full check (Pelican reads the whole site, the guardrails judge it) leaves an
index in one SQLite file, ``.cache/prudent/check-index.sqlite``: every content
file's size and modification time, what Pelican made of each post and page
(slug, URL, status, metadata keys), the image references each one writes, and
the whole report. The next ``check`` stats the content folder and, when only
posts or pages were edited, reads just those with Pelican's own reader, judges
them with the text rules and answers with the stored report for the rest.

It answers only when that gives the same report as a full check, and hands
over to the full check otherwise (``None``):

- the key differs: the settings files, the policy and lists (``guardrails.toml``,
  ``guardrails/``), the theme, the plugins, Prudent's code and shipped models,
  the installed packages (their versions: the models' among them) or the
  ``PRUDENT_*``/``PELICAN*`` environment;
- a file was added or removed, or a changed file is not a post or page;
- the last check had Pelican problems, or reading a changed file logs one;
- an edit changes what Pelican builds from the file (slug, URL, date, status,
  language, translation, its metadata keys), the images it references, or a
  ``{filename}``/``{static}``/``{attach}`` link that no longer finds its file;
- the file had findings of other rules than the text rules (images, plugins).

Nothing here loads a model: the text rules load theirs only when a changed
document needs them (``prudent.text``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

INDEX = ".cache/prudent/check-index.sqlite"
FORMAT = 1
MAX_CHANGED = 25  # more than this: the full check is as quick
_TEXT_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".mkd": "markdown"}
_TEXT_SUFFIXES |= {".html": "html", ".htm": "html", ".rst": "rst"}
# What the text rules (and the encoding check) report: a file whose findings are
# all of these can be re-judged by the text rules alone.
TEXT_RULE_IDS = frozenset(
    {
        "partisan",
        "personal-attack",
        "workplace-complaint",
        "official-link",
        "allowance-unused",
        "allowance-without-reason",
        "allowance-unknown-rule",
        "unreadable-text",
    }
)
_LINK = re.compile(r"[{|](filename|static|attach|tag|category|author|index)[|}]([^\s)\"'<>]*)")
_IMAGE_TOKEN = re.compile(
    r"[^\s()\"'<>\[\]]+\.(?:png|jpe?g|gif|webp|bmp|tiff?|svgz?|avif|heic|ico)\b"
    r"|data:[^\s)\"'<>]{0,64}|<(?:img|source|image|video|input|use|feimage|object|embed|iframe)\b"
    r"|url\(|\.\.\s+(?:image|figure)::",
    re.I,
)
_META_IMAGE = re.compile(
    r"^[ \t]*:?(image|cover|og_image|og:image|twitter_image|twitter:image|thumbnail|"
    r"featured_image|[a-z_:]*(?:image|photo|picture|logo|icon|banner|avatar)[a-z_:]*)"
    r"[ \t]*:[ \t]*(\S.*?)[ \t]*$",
    re.I | re.M,
)


@dataclass
class Entry:
    mtime_ns: int
    size: int
    kind: str = ""  # "article", "page" or "" (any other file)
    shape: str = ""  # what Pelican built from it (json), for posts and pages
    refs: str = ""  # digest of its image references
    status: str = ""


def project_root(settings_file: Path, overrides: dict[str, Any] | None) -> Path:
    root = (overrides or {}).get("PRUDENT_ROOT")
    return Path(root) if root else settings_file.resolve().parent


# -- the key --------------------------------------------------------------


def _stat_tree(h: Any, base: Path) -> None:
    if base.is_file():
        st = base.stat()
        h.update(f"{base}:{st.st_size}:{st.st_mtime_ns}\n".encode())
        return
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", ".git"))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            h.update(f"{path}:{st.st_size}:{st.st_mtime_ns}\n".encode())


def key(root: Path, settings_files: list[Path], extra: dict[str, Any]) -> str:
    """Digest of everything but the content that a check's answer depends on."""
    here = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(f"format {FORMAT} {sys.version}\n".encode())
    for f in settings_files:
        h.update(f.read_bytes() if f.is_file() else b"-")
    h.update(json.dumps(extra, sort_keys=True, default=str).encode())
    for name, value in sorted(os.environ.items()):
        if name.startswith(("PRUDENT_", "PELICAN")) and name != "PRUDENT_NO_WATCH":
            h.update(f"{name}={value}\n".encode())
    for base in (
        root / "guardrails.toml",
        root / "guardrails",
        here / "prudent",
        here / "sitebuild",
        *[Path(p) for p in extra.get("trees", [])],
    ):
        if base.exists():
            _stat_tree(h, base)
    # Installed packages and their versions (the models' wheels among them).
    for entry in sys.path:
        if entry.endswith("site-packages") and os.path.isdir(entry):
            h.update("\n".join(sorted(os.listdir(entry))).encode())
    return h.hexdigest()


# -- the index ------------------------------------------------------------


class Index:
    def __init__(self, root: Path) -> None:
        self.path = root / INDEX

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path)
        db.execute("CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, mtime_ns INTEGER, "
            "size INTEGER, kind TEXT, shape TEXT, refs TEXT, status TEXT)"
        )
        return db

    def load(self) -> tuple[dict[str, str], dict[str, Entry]] | None:
        if not self.path.is_file():
            return None
        try:
            db = self._connect()
            try:
                state = dict(db.execute("SELECT name, value FROM state"))
                files = {
                    row[0]: Entry(*row[1:])
                    for row in db.execute(
                        "SELECT path, mtime_ns, size, kind, shape, refs, status FROM files"
                    )
                }
            finally:
                db.close()
        except sqlite3.Error:
            return None  # a damaged index: the full check rebuilds it
        return state, files

    def save(self, state: dict[str, str], files: dict[str, Entry], *, replace: bool = True) -> None:
        try:
            db = self._connect()
            try:
                with db:
                    if replace:
                        db.execute("DELETE FROM files")
                        db.execute("DELETE FROM state")
                    db.executemany(
                        "INSERT OR REPLACE INTO state VALUES (?, ?)", list(state.items())
                    )
                    db.executemany(
                        "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [
                            (p, e.mtime_ns, e.size, e.kind, e.shape, e.refs, e.status)
                            for p, e in files.items()
                        ],
                    )
            finally:
                db.close()
        except (sqlite3.Error, OSError) as exc:  # a read-only checkout still gets checked
            logging.getLogger(__name__).debug("cannot write the check index: %s", exc)

    def forget(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()


def scan(content_dir: Path, root: Path) -> dict[str, tuple[int, int]]:
    """Every file under the content folder: path relative to the project -> (mtime, size)."""
    out: dict[str, tuple[int, int]] = {}
    stack = [content_dir]
    base = os.path.relpath(content_dir, root)
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for e in entries:
            if e.is_dir(follow_symlinks=True):
                stack.append(Path(e.path))
            elif e.is_file(follow_symlinks=True):
                st = e.stat()
                rel = os.path.join(base, os.path.relpath(e.path, content_dir))
                out[Path(rel).as_posix()] = (st.st_mtime_ns, st.st_size)
    return out


# -- what a document is made of -------------------------------------------


def shape_of(item: Any) -> str:
    """What Pelican built from a post or page that matters to other files."""
    meta = getattr(item, "metadata", {}) or {}
    date = getattr(item, "date", None)
    return json.dumps(
        {
            "slug": getattr(item, "slug", None),
            "url": getattr(item, "url", None),
            "save_as": getattr(item, "save_as", None),
            "status": str(getattr(item, "status", "")),
            "lang": getattr(item, "lang", None),
            "translation": str(meta.get("translation", "")),
            "date": date.isoformat() if date is not None else None,
            "keys": sorted(meta),
        },
        sort_keys=True,
    )


def refs_of(text: str) -> str:
    """Digest of everything in a source that could be an image reference."""
    found = sorted(m.group(0).lower() for m in _IMAGE_TOKEN.finditer(text))
    found += sorted(f"{m.group(1)}={m.group(2)}".lower() for m in _META_IMAGE.finditer(text))
    return hashlib.sha256("\n".join(found).encode()).hexdigest()[:24]


def links_resolve(text: str, source: Path, content_dir: Path) -> bool:
    """Every ``{filename}``/``{static}``/``{attach}`` link names a file that is there
    (any other kind of intrasite link: not decided here)."""
    for m in _LINK.finditer(text):
        what, value = m.group(1), m.group(2)
        if what not in ("filename", "static", "attach"):
            return False
        value = re.split(r"[#?]", value, maxsplit=1)[0]
        if not value:
            continue
        from urllib.parse import unquote

        value = unquote(value)
        target = content_dir / value.lstrip("/") if value.startswith("/") else source.parent / value
        if not target.exists():
            return False
    return True


# -- the fast path --------------------------------------------------------


def stored_report(state: dict[str, str]) -> Any:
    from prudent.findings import Allowance, Finding, Location, Severity
    from prudent.report import Report

    def finding(d: dict[str, Any]) -> Finding:
        end = d.get("end")
        return Finding(
            d["rule"],
            Severity(d["severity"]),
            Location(**d["location"]),
            d["matched"],
            d["message"],
            d.get("fix", ""),
            end=Location(**end) if isinstance(end, dict) else None,
        )

    data = json.loads(state["report"])
    return Report(
        findings=[finding(d) for d in data["findings"]],
        allowances=[
            Allowance(finding(a["finding"]), a["reason"], Location(**a["where"]))
            for a in data["allowances"]
        ],
        checked=data["checked"],
    )


def report_json(report: Any) -> str:
    return json.dumps(
        {
            "findings": [
                {k: v for k, v in f.to_dict().items() if k != "extra"} for f in report.findings
            ],
            "allowances": [
                {
                    **a.to_dict(),
                    "finding": {k: v for k, v in a.finding.to_dict().items() if k != "extra"},
                }
                for a in report.allowances
            ],
            "checked": report.checked,
        }
    )


_checkers: dict[tuple[str, str], Any] = {}


def checker_for(root: Path, key: str) -> Any:
    """The text rules for this key, loaded once per process: a resident process
    (``invoke watch``) keeps them and their models for every later edit."""
    from prudent.policy import Policy
    from prudent.text import TextChecker

    ckey = (str(root), key)
    if ckey not in _checkers:
        _checkers.clear()
        _checkers[ckey] = TextChecker(Policy.load(root), progress=False)
    return _checkers[ckey]


def _changes(stored: dict[str, Entry], now: dict[str, tuple[int, int]]) -> tuple[list[str], bool]:
    """The changed files, and whether any was added or removed."""
    if set(stored) != set(now):
        return [], True
    changed = [p for p, (m, s) in now.items() if (stored[p].mtime_ns, stored[p].size) != (m, s)]
    return sorted(changed), False


class _Catch(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(("pelican", "prudent")):
            self.seen += 1


class _Quiet(logging.Filter):
    """On the console's handlers meanwhile: what a read logs, the full check tells (a
    file:line message in the build's words), so Pelican's raw line is not shown too."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.levelno >= logging.WARNING and record.name.startswith(("pelican", "prudent"))
        )


def fast_check(
    settings_file: Path, overrides: dict[str, Any] | None, load_settings: Any
) -> Any | None:
    """The report of a full check, from the index and the changed files; or None."""
    root = project_root(settings_file, overrides)
    loaded = Index(root).load()
    if loaded is None:
        return None
    state, stored = loaded
    try:
        meta = json.loads(state["settings"])
        if state.get("problems", "[]") != "[]":
            return None
        settings_files = [Path(p) for p in meta["settings_files"]]
        if state.get("key") != key(root, settings_files, meta["key_extra"]):
            return None
        now = scan(Path(meta["content_dir"]), root)
    except (KeyError, ValueError, OSError):
        return None
    changed, added_or_removed = _changes(stored, now)
    if added_or_removed or len(changed) > MAX_CHANGED:
        return None
    if not changed:
        return stored_report(state)
    if any(not stored[p].kind for p in changed):
        return None
    report = stored_report(state)
    changed_set = set(changed)
    for f in report.findings:
        if f.location.path in changed_set and f.rule not in TEXT_RULE_IDS:
            return None
    for a in report.allowances:
        if a.finding.location.path in changed_set and a.finding.rule not in TEXT_RULE_IDS:
            return None
    docs = _read_changed(changed, stored, root, meta, settings_file, overrides, load_settings)
    if docs is None:
        return None
    fresh = checker_for(root, state["key"]).check(docs)
    report.findings = [f for f in report.findings if f.location.path not in changed_set]
    report.allowances = [a for a in report.allowances if a.finding.location.path not in changed_set]
    report.findings.extend(fresh.findings)
    report.allowances.extend(fresh.allowances)
    for p in changed:
        stored[p].mtime_ns, stored[p].size = now[p]
    state["report"] = report_json(report)
    Index(root).save({"report": state["report"]}, {p: stored[p] for p in changed}, replace=False)
    return report


def _read_changed(
    changed: list[str],
    stored: dict[str, Entry],
    root: Path,
    meta: dict[str, Any],
    settings_file: Path,
    overrides: dict[str, Any] | None,
    load_settings: Any,
) -> list[Any] | None:
    from prudent.document import TextDocument
    from prudent.encoding import NotUtf8Error, read_text

    settings = load_settings(settings_file, overrides)
    readers = _readers(settings)
    content_dir = Path(meta["content_dir"])
    docs = []
    catch, quiet = _Catch(), _Quiet()
    consoles = list(logging.getLogger().handlers)
    for handler in consoles:
        handler.addFilter(quiet)
    logging.getLogger().addHandler(catch)
    try:
        for rel in changed:
            path = root / rel
            entry = stored[rel]
            try:
                text = read_text(path, rel)
            except NotUtf8Error:
                return None
            if refs_of(text) != entry.refs or not links_resolve(text, path, content_dir):
                return None
            item = _read(readers, settings, path, entry.kind)
            if item is None or catch.seen or shape_of(item) != entry.shape:
                return None
            if "crosspost" in {k.lower() for k in item.metadata}:
                return None  # the crosspost plugin reads it: the full check judges that
            kind = _TEXT_SUFFIXES.get(path.suffix.lower())
            if kind is None:
                return None
            status = {"status": entry.status} if entry.status else {}
            docs.append(TextDocument(rel, text, kind, metadata=status))
            st = path.stat()
            entry.mtime_ns, entry.size = st.st_mtime_ns, st.st_size
    finally:
        logging.getLogger().removeHandler(catch)
        for handler in consoles:
            handler.removeFilter(quiet)
    return docs


def _readers(settings: dict[str, Any]) -> Any:
    from pelican.plugins._utils import load_plugins
    from pelican.readers import Readers

    global _registered
    # Only the plugins that may change how a file is read (yaml_metadata): the
    # guardrails' own wire generators, which this path does not run.
    names = [p for p in settings.get("PLUGINS") or [] if not str(p).startswith("prudent_")]
    if not _registered:
        for plugin in load_plugins(dict(settings, PLUGINS=names)):
            if hasattr(plugin, "register"):
                plugin.register()
        _registered = True
    return Readers(settings)


_registered = False


def _read(readers: Any, settings: dict[str, Any], path: Path, kind: str) -> Any | None:
    from pelican.contents import Article, Page

    cls = Article if kind == "article" else Page
    try:
        return readers.read_file(
            base_path=settings["PATH"],
            path=os.path.relpath(path, settings["PATH"]),
            content_class=cls,
            context={},
        )
    except Exception:
        return None


# -- after a full check ---------------------------------------------------


def record(
    settings: dict[str, Any],
    settings_file: Path,
    overrides: dict[str, Any] | None,
    report: Any,
    problems: list[str],
    items: dict[str, tuple[str, Any]],
    snapshot: dict[str, tuple[int, int]],
) -> None:
    """Write the index after a full check (``items``: source -> (kind, Pelican's object);
    ``snapshot``: the content folder's ``scan`` from before Pelican read it, so that a
    file edited during the check is judged again next time)."""
    from prudent.encoding import NotUtf8Error, read_text

    root = project_root(settings_file, overrides)
    content_dir = Path(settings["PATH"]).resolve()
    settings_files = [
        Path(p) for p in settings.get("PRUDENT_SETTINGS_FILES") or [str(settings_file)]
    ]
    theme = Path(settings["THEME"]).resolve()
    plugin_paths = [
        str((Path(p) if Path(p).is_absolute() else root / p).resolve())
        for p in settings.get("PLUGIN_PATHS", [])
    ]
    key_extra = {
        "settings_file": str(Path(settings_file).resolve()),
        "overrides": {k: v for k, v in (overrides or {}).items()},
        "trees": [str(theme), *plugin_paths],
    }
    files: dict[str, Entry] = {}
    for rel, (mtime, size) in snapshot.items():
        entry = Entry(mtime, size)
        if rel in items and Path(rel).suffix.lower() in _TEXT_SUFFIXES:
            kind, item = items[rel]
            try:
                text = read_text(root / rel, rel)
            except NotUtf8Error:
                text = None
            if text is not None:
                entry.kind, entry.shape = kind, shape_of(item)
                entry.refs, entry.status = refs_of(text), str(getattr(item, "status", ""))
        files[rel] = entry
    state = {
        "key": key(root, settings_files, key_extra),
        "settings": json.dumps(
            {
                "settings_files": [str(p) for p in settings_files],
                "key_extra": key_extra,
                "content_dir": str(content_dir),
            }
        ),
        "report": report_json(report),
        "problems": json.dumps(problems),
    }
    Index(root).save(state, files)


def items_of(generators: list[Any], root: Path) -> Iterator[tuple[str, tuple[str, Any]]]:
    """Each post's and page's source (relative to the project) and Pelican's object."""
    from prudent.document import relative_path

    lists = {
        "ArticlesGenerator": (
            "article",
            (
                "articles",
                "drafts",
                "hidden_articles",
                "translations",
                "drafts_translations",
                "hidden_translations",
            ),
        ),
        "PagesGenerator": (
            "page",
            (
                "pages",
                "hidden_pages",
                "draft_pages",
                "translations",
                "hidden_translations",
                "draft_translations",
            ),
        ),
    }
    for gen in generators:
        kind, attrs = lists.get(type(gen).__name__, ("", ()))
        for attr in attrs:
            for item in getattr(gen, attr, None) or []:
                yield relative_path(item.source_path, root), (kind, item)
