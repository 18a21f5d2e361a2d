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

import hashlib
import os
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
_FIX_READ = "Check the file's permissions (and what wrote it), then build again"


@dataclass
class Sources:
    """What the build judged at its source: the documents and the verdicts."""

    docs: list[TextDocument]
    report: Report


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
            key = hashlib.sha256(data).hexdigest() + os.path.splitext(rel)[1].lower()
            manifest.append((rel, key))
            if key not in todo and self.files.get(key) is None:
                todo[key] = (rel, data)
        index = SourceIndex(sources.docs)
        if todo:
            self._judge(todo, index)
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

    def _judge(self, todo: dict[str, tuple[str, bytes]], index: SourceIndex) -> None:
        known = self._source_units(index.docs)
        texts: dict[str, TextDocument] = {}  # one document per distinct block text
        doc_of: dict[tuple[str, bool], str | None] = {}  # block text -> its document, or None
        read: dict[str, tuple[FileText, list[tuple[Block, str]]]] = {}
        with Progress(
            "reading the published site", len(todo), unit="files", enabled=self.progress
        ) as bar:
            for key, (rel, data) in todo.items():
                read[key] = self._read(rel, data, known, texts, doc_of)
                bar.advance()
        report = self.text.check(texts.values()) if texts else Report()
        by_doc: dict[str, list[tuple[Finding, Allowance | None]]] = {}
        for f in report.findings:
            by_doc.setdefault(f.location.path, []).append((f, None))
        for a in report.allowances:
            by_doc.setdefault(a.finding.location.path, []).append((a.finding, a))
        for key, (ft, judged) in read.items():
            entries = [_problem_entry(ft, p) for p in ft.problems]
            for block, doc_path in judged:
                doc = texts[doc_path]
                for f, allowed in by_doc.get(doc_path, []):
                    entries.append(_entry(ft, block, doc, f, allowed))
            self.files.put(key, entries)

    @staticmethod
    def _read(
        rel: str,
        data: bytes,
        known: set[str],
        texts: dict[str, TextDocument],
        doc_of: dict[tuple[str, bool], str | None],
    ) -> tuple[FileText, list[tuple[Block, str]]]:
        """A file's blocks, each with the document that judges its text (None: its source did)."""
        ft = read_file(rel, data)
        judged = []
        for block in ft.blocks:
            text, link = block.text.text, block.kind == LINK
            if (text, link) not in doc_of:
                if not link and unit_key(skeleton(text)) in known:
                    doc_of[text, link] = None  # word for word a source's text: judged there
                else:
                    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
                    doc_of[text, link] = path = f"published:{digest[:16]}"
                    texts.setdefault(path, TextDocument(path, text, PLAIN))
            doc_path = doc_of[text, link]
            if doc_path is not None:
                judged.append((block, doc_path))
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
    ft: FileText, block: Block, doc: TextDocument, f: Finding, allowed: Allowance | None
) -> dict[str, Any]:
    """One finding of a block, placed in the file: what ``resolve`` needs, as JSON."""
    text = block.text.text
    start = _offset_in(doc, f.location)
    end = _offset_in(doc, f.end) if f.end is not None else start + len(f.matched)
    end = max(start + 1, min(end, len(text)))
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
