"""``PublishedChecker(text_checker, policy).check(folder, sources) -> Report``.

Every file of the rendered site is read as a reader gets it (``formats``) and
its blocks are judged by the text rules, except blocks that are word for word
a source's text (already judged there). Each distinct block is judged once,
however many pages and feeds repeat it. What the rules find in a file is
cached by the file's digest (``cache``); whether a finding was judged at its
source, and where it came from, is decided afresh on every build
(``resolve``), since the sources may have changed.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prudent.document import PLAIN, TextDocument
from prudent.findings import Allowance, Finding, Location
from prudent.policy import Policy
from prudent.progress import Progress
from prudent.published.cache import JsonStore
from prudent.published.formats import FileText, Problem, position, read_file
from prudent.published.markup import LINK, Block
from prudent.published.resolve import UNJUDGED, Resolver
from prudent.published.sources import SourceIndex, skeleton, unit_key, units_of
from prudent.report import Report
from prudent.text import TextChecker
from prudent.text.links import host_of
from prudent.text.prepare import prepare

RULES = {UNJUDGED: "A published file the guardrails cannot read, so its words go unjudged"}
CACHE_DIR = ".cache/prudent/published"
_WINDOW = 40  # characters of published context on each side of a finding
_WORDY = re.compile(r"[^\W\d_]{2}")
# Between the texts judged together: no rule reads across a full stop on a line of its own.
_SEPARATOR = "\n\n.\n\n"
_CHUNK = 50_000  # characters of texts per document


_FIX_READ = "Check the file's permissions (and what wrote it), then build again"


@dataclass
class Sources:
    """What the build judged at its source: the documents and the verdicts."""

    docs: list[TextDocument]
    report: Report
    # The site's own hosts (SITEURL, FEED_DOMAIN): a link there stays on the site, and the
    # setting that names the host was judged (official-link) where it is written.
    site_hosts: frozenset[str] = frozenset()


class PublishedChecker:
    """One class, one method: judge a rendered site folder against what its sources said."""

    def __init__(
        self, text: TextChecker, policy: Policy, *, cache: bool = True, progress: bool = False
    ) -> None:
        self.text = text
        self.policy = policy
        self.progress = progress  # a bar on a terminal once reading takes over a second
        h = hashlib.sha256(f"{getattr(text, '_version', '')}:{policy.version}".encode())
        for path in sorted(Path(__file__).parent.glob("*.py")):
            h.update(path.read_bytes())
        version = h.hexdigest()[:20]
        folder = policy.root / CACHE_DIR if cache else None
        self.files = JsonStore(folder / "files.json" if folder else None, version)
        self.units = JsonStore(folder / "units.json" if folder else None, version)
        self.used_allowances: set[Location] = set()  # source allowances the pass used

    # -- the pass ---------------------------------------------------------------

    def check(self, folder: Path, sources: Sources, shown_as: str = "output") -> Report:
        """Judge every file under ``folder``, which readers get as ``shown_as/``."""
        self.files.begin()
        self.units.begin()
        manifest: list[tuple[str, str]] = []
        todo: dict[str, tuple[str, bytes]] = {}
        # Which links are the site's own decides what is judged: part of each file's key.
        salt = hashlib.sha256(repr(sorted(sources.site_hosts)).encode()).hexdigest()[:8]
        unreadable: list[tuple[str, str]] = []
        for rel, path in _files(Path(folder)):
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except FileNotFoundError:
                continue  # a dangling link: nothing is published there
            except OSError as exc:
                unreadable.append((rel, exc.strerror or str(exc)))
                continue
            key = hashlib.sha256(data).hexdigest() + salt + os.path.splitext(rel)[1].lower()
            manifest.append((rel, key))
            if key not in todo and self.files.get(key) is None:
                todo[key] = (rel, data)
        index = SourceIndex(sources.docs)
        if todo:
            self._judge(todo, index, sources.site_hosts)
        resolver = Resolver(index, sources.report, self.text.site_allowances)
        shown = shown_as.rstrip("/")
        for rel, key in manifest:
            for entry in self.files.get(key) or []:
                resolver.add(entry, f"{shown}/{rel}")
        for rel, why in unreadable:
            problem = Problem(0, f"the published file cannot be read ({why})", _FIX_READ)
            resolver.add(_problem_entry(FileText(""), problem), f"{shown}/{rel}")
        report = resolver.report()
        report.checked["published files"] = len(manifest)
        self.used_allowances = resolver.used
        self.files.save()
        self.units.save()
        return report

    def _judge(
        self, todo: dict[str, tuple[str, bytes]], index: SourceIndex, own: frozenset[str]
    ) -> None:
        known = self._source_units(index.docs)
        verdict: dict[tuple[str, bool], bool] = {}  # block text -> judged here (not at source)
        read: dict[str, tuple[FileText, list[Block]]] = {}
        with Progress(
            "reading the published site", len(todo), unit="files", enabled=self.progress
        ) as bar:
            for key, (rel, data) in todo.items():
                read[key] = self._read(rel, data, known, own, verdict)
                bar.advance()
        found = self._judge_texts([t for t, judged in verdict.items() if judged])
        for key, (ft, judged) in read.items():
            entries = [_problem_entry(ft, p) for p in ft.problems]
            for block in judged:
                for start, end, f, allowed in found.get((block.text.text, block.kind == LINK), []):
                    entries.append(_entry(ft, block, start, end, f, allowed))
            self.files.put(key, entries)

    def _judge_texts(
        self, texts: list[tuple[str, bool]]
    ) -> dict[tuple[str, bool], list[tuple[int, int, Finding, Allowance | None]]]:
        """Each distinct text judged once, many to a document (one document each would spend
        the time writing cache entries): findings as (start, end) offsets in each text."""
        docs: list[TextDocument] = []
        placed: dict[str, tuple[list[int], list[tuple[str, bool]]]] = {}
        for chunk in _chunks(texts):
            body = _SEPARATOR.join(t for t, _ in chunk)
            digest = hashlib.sha1(body.encode("utf-8", "surrogatepass")).hexdigest()[:16]
            doc = TextDocument(f"published:{digest}", body, PLAIN)
            starts, at = [], 0
            for text, _ in chunk:
                starts.append(at)
                at += len(text) + len(_SEPARATOR)
            docs.append(doc)
            placed[doc.path] = (starts, chunk)
        report = self.text.check(docs) if docs else Report()
        by_path = {d.path: d for d in docs}
        out: dict[tuple[str, bool], list[tuple[int, int, Finding, Allowance | None]]] = {}
        pairs = [(f, None) for f in report.findings] + [(a.finding, a) for a in report.allowances]
        for f, allowed in pairs:
            doc = by_path.get(f.location.path)
            if doc is None:
                continue
            starts, chunk = placed[doc.path]
            offset = _offset_in(doc, f.location)
            i = bisect.bisect_right(starts, offset) - 1
            text = chunk[i][0]
            start = offset - starts[i]
            end = (
                _offset_in(doc, f.end) - starts[i] if f.end is not None else start + len(f.matched)
            )
            out.setdefault(chunk[i], []).append(
                (start, max(start + 1, min(end, len(text))), f, allowed)
            )
        return out

    @staticmethod
    def _read(
        rel: str,
        data: bytes,
        known: set[str],
        own: frozenset[str],
        verdict: dict[tuple[str, bool], bool],
    ) -> tuple[FileText, list[Block]]:
        """A file and its blocks to judge here (not those its sources judged)."""
        ft = read_file(rel, data)
        judged = []
        for block in ft.blocks:
            text, link = block.text.text, block.kind == LINK
            here = verdict.get((text, link))
            if here is None:
                if link:
                    here = host_of(text) not in own  # a link within the site stays on it
                else:
                    # No word a rule could read (a date, a number), or word for word a
                    # source's text (judged there).
                    here = bool(_WORDY.search(text)) and unit_key(skeleton(text)) not in known
                verdict[text, link] = here
            if here:
                judged.append(block)
        return ft, judged

    def _source_units(self, docs: Iterable[TextDocument]) -> set[str]:
        known: set[str] = set()
        for doc in docs:
            units = self.units.get(doc.digest)
            if units is None:
                units = units_of(prepare(doc).text)
                self.units.put(doc.digest, units)
            known.update(units)
        return known


def _files(folder: Path) -> list[tuple[str, str]]:
    """(path relative to ``folder`` with forward slashes, full path) of every file, sorted.

    Symbolic links are followed as a web server would serve them."""
    out = []
    base = str(folder)
    for top, _, names in os.walk(base, followlinks=True):
        rel_top = top[len(base) :].strip(os.sep).replace(os.sep, "/")
        prefix = f"{rel_top}/" if rel_top else ""
        out.extend((prefix + name, os.path.join(top, name)) for name in names)
    return sorted(out)


def _chunks(texts: list[tuple[str, bool]]) -> list[list[tuple[str, bool]]]:
    """Texts grouped for judging. One with a parenthesis stays alone: "Skills Network
    Protocol (SNP)" tells the partisan rule what SNP means in that text, not in others."""
    out: list[list[tuple[str, bool]]] = []
    size = _CHUNK
    for item in texts:
        if "(" in item[0]:
            out.append([item])
            size = _CHUNK  # the next text starts a chunk of its own
            continue
        if size + len(item[0]) > _CHUNK:
            out.append([])
            size = 0
        out[-1].append(item)
        size += len(item[0]) + len(_SEPARATOR)
    return out


# -- entries: the raw findings of one file, as cached ------------------------------


def _problem_entry(ft: FileText, problem: Problem) -> dict[str, Any]:
    line, col = (problem.line, problem.col) if problem.line else position(ft.text, problem.offset)
    message = problem.message + (f" ({ft.note})" if ft.note else "")
    return {
        "rule": UNJUDGED,
        "severity": "error",
        "at": [line, col],
        "matched": "",
        "message": message,
        "fix": problem.fix,
        "where": "file",
        "window": "",
        "link": False,
    }


def _entry(
    ft: FileText, block: Block, start: int, end: int, f: Finding, allowed: Allowance | None
) -> dict[str, Any]:
    """One finding of a block (``start``:``end`` in its text), placed in the file: what
    ``resolve`` needs, as JSON."""
    text = block.text.text
    entry = {
        "rule": f.rule,
        "severity": str(f.severity),
        "at": list(position(ft.text, block.text.origin(start))),
        "end": list(position(ft.text, block.text.origin(end - 1) + 1)),
        "matched": f.matched.replace("\u200b", ""),
        "words": text[start:end],
        "message": f.message,
        "fix": f.fix.split("; or, if it is right here", 1)[0],
        "where": block.where + (f" ({ft.note})" if ft.note else ""),
        "window": text[max(0, start - _WINDOW) : end + _WINDOW],
        "link": block.kind == LINK or bool(host_of(f.matched)),
    }
    if allowed is not None:
        entry["allowed"] = [allowed.reason, allowed.where.path, allowed.where.line]
    return entry


def _offset_in(doc: TextDocument, loc: Location) -> int:
    lines = doc.text.split("\n")
    return sum(len(x) + 1 for x in lines[: loc.line - 1]) + loc.col - 1
