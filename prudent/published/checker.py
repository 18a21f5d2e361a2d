"""``PublishedChecker(text_checker, policy).check(folder, sources) -> Report``.

Every file of the rendered site is read as a reader gets it (``formats``) and
its blocks are judged by the text rules, except blocks that are word for word
a source's text (already judged there). A finding is then:

- dropped, when its words with their published context were judged at a
  source (reported or allowed there, or passed): nothing is reported twice;
- traced, when its words are in a source (a post, a template, a setting, a
  bookmark) but were not judged as published: reported there, saying where it
  was published and by which route, and allowed by that source's allowance
  when the rest of the published context is the theme's own words;
- reported at the published file's line otherwise (written by Pelican, the
  theme's code or a plugin).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prudent.document import PLAIN, TEMPLATE, TextDocument
from prudent.findings import Allowance, Finding, Location, Severity
from prudent.policy import Policy
from prudent.published.cache import JsonStore
from prudent.published.formats import FileText, position, read_file
from prudent.published.formats import Problem as _Problem
from prudent.published.markup import LINK
from prudent.published.sources import (
    Prose,
    SourceIndex,
    rank,
    route,
    skeleton,
    unit_key,
    units_of,
)
from prudent.report import Report
from prudent.text import KNOWN_RULES, TextChecker, suppress
from prudent.text.links import host_of

UNJUDGED = "unjudged-output"
RULES = {UNJUDGED: "A published file the guardrails cannot read, so its words go unjudged"}
CACHE_DIR = ".cache/prudent/published"
_WINDOW = 40  # characters of published context on each side of a finding
_CONTEXT = 8  # skeleton characters of context that make a window more than the match
_FIX_READ = "Check the file's permissions (and what wrote it), then build again"


@dataclass
class Sources:
    """What the build judged at its source: the documents and the verdicts."""

    docs: list[TextDocument]
    report: Report


@dataclass
class _Verdict:
    dropped: bool = False
    doc: TextDocument | None = None  # the traced source
    offset: int = 0
    allowance: tuple[str, Location] | None = None  # (reason, where) of a source's allowance


@dataclass
class _Group:
    finding: Finding
    allowance: Allowance | None
    published: list[str] = field(default_factory=list)  # output locations


class PublishedChecker:
    """One class, one method: judge a rendered site folder against what its sources said."""

    def __init__(self, text: TextChecker, policy: Policy, *, cache: bool = True) -> None:
        self.text = text
        self.policy = policy
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
        report = Report(checked={"published files": len(manifest)})
        resolver = _Resolver(self, index, sources.report)
        groups: dict[tuple[str, str, str, bool], _Group] = {}
        for rel, key in manifest:
            published = f"{shown_as.rstrip('/')}/{rel}"
            for entry in self.files.get(key) or []:
                resolver.add(entry, published, groups)
        for rel, why in unreadable:
            problem = _Problem(0, f"the published file cannot be read ({why})", _FIX_READ)
            entry = _problem_entry(FileText(""), problem)
            resolver.add(entry, f"{shown_as.rstrip('/')}/{rel}", groups)
        for group in groups.values():
            finding = _with_places(group.finding, group.published)
            if group.allowance is not None:
                a = group.allowance
                report.allowances.append(Allowance(finding, a.reason, a.where))
            else:
                report.findings.append(finding)
        self.used_allowances = resolver.used
        self.files.save()
        self.units.save()
        return report

    def _judge(self, todo: dict[str, tuple[str, bytes]], index: SourceIndex) -> None:
        known = self._source_units(index.docs)
        texts: dict[str, TextDocument] = {}  # one document per distinct block text
        doc_of: dict[tuple[str, bool], str | None] = {}  # block text -> its document, or None
        read: dict[str, tuple[FileText, list[tuple[Any, str]]]] = {}
        for key, (rel, data) in todo.items():
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
            read[key] = (ft, judged)
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

    def _source_units(self, docs: Iterable[TextDocument]) -> set[str]:
        known: set[str] = set()
        for doc in docs:
            units = self.units.get(doc.digest)
            if units is None:
                from prudent.text.prepare import prepare

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


# -- entries: the raw findings of one file, as cached -------------------------------


def _problem_entry(ft: FileText, problem: Any) -> dict[str, Any]:
    line, col = (problem.line, problem.col) if problem.line else position(ft.text, problem.offset)
    message = problem.message + (f" ({ft.note})" if ft.note else "")
    return {
        "rule": UNJUDGED,
        "severity": "error",
        "line": line,
        "col": col,
        "matched": "",
        "message": message,
        "fix": problem.fix,
        "where": "file",
        "window": "",
        "link": False,
    }


def _entry(
    ft: FileText, block: Any, doc: TextDocument, f: Finding, allowed: Allowance | None
) -> dict[str, Any]:
    offset = _offset_in(doc, f.location)
    line, col = position(ft.text, block.text.origin(offset))
    text = block.text.text
    window = text[max(0, offset - _WINDOW) : offset + len(f.matched) + _WINDOW]
    entry = {
        "rule": f.rule,
        "severity": str(f.severity),
        "line": line,
        "col": col,
        "matched": f.matched.replace("\u200b", ""),
        "message": f.message,
        "fix": f.fix.split("; or, if it is right here", 1)[0],
        "where": block.where + (f" ({ft.note})" if ft.note else ""),
        "window": window,
        "link": block.kind == LINK or bool(host_of(f.matched)),
    }
    if allowed is not None:
        entry["allowed"] = [allowed.reason, allowed.where.path, allowed.where.line]
    return entry


def _offset_in(doc: TextDocument, loc: Location) -> int:
    lines = doc.text.split("\n")
    return sum(len(x) + 1 for x in lines[: loc.line - 1]) + loc.col - 1


# -- resolving: judged at its source, traced, or published only --------------------


class _Resolver:
    def __init__(self, checker: PublishedChecker, index: SourceIndex, source: Report) -> None:
        self.checker = checker
        self.index = index
        self.site = checker.text.site_allowances
        self.used: set[Location] = set()
        self._memo: dict[tuple[str, str, str], _Verdict] = {}
        self._directives: dict[str, suppress.Directives] = {}
        self._links: dict[str, set[str]] = {}
        self._clipped: dict[str, list[str]] = {}
        for f in [*source.findings, *(a.finding for a in source.allowances)]:
            if host_of(f.matched):
                key = _url_key(f.matched)
                if f.matched.endswith("..."):
                    self._clipped.setdefault(f.rule, []).append(key)
                else:
                    self._links.setdefault(f.rule, set()).add(key)

    def add(self, e: dict[str, Any], published: str, groups: dict[Any, _Group]) -> None:
        out_loc = Location(published, int(e["line"]), int(e["col"]))
        rule = e["rule"]
        if rule == UNJUDGED:
            finding = Finding(rule, Severity.ERROR, out_loc, e["matched"], e["message"], e["fix"])
            site = self._site_allowance(rule, [published])
            allowed = Allowance(finding, site.reason, site.where) if site else None
            self._group(groups, finding, allowed, None)
            return
        memo_key = (rule, e["matched"], e["window"])
        verdict = self._memo.get(memo_key)
        if verdict is None:
            verdict = self._memo[memo_key] = self._verdict(e)
        if verdict.dropped:
            return
        doc = verdict.doc
        location = doc.location(verdict.offset) if doc is not None else out_loc
        came = (
            f"it came by {route(doc)}"
            if doc is not None
            else "no source the guardrails read holds it (Pelican, the theme's code or a plugin "
            "wrote it)"
        )
        message = (
            f"{e['message']}. Found in the published site, not in any source as it reads there: "
            f"{{places}} ({e['where']}); {came}"
        )
        finding = Finding(
            rule, Severity(e["severity"]), location, e["matched"], message, _fix(rule, doc, e)
        )
        allowance = None
        if verdict.allowance is not None:
            allowance = Allowance(finding, *verdict.allowance)
            self.used.add(verdict.allowance[1])
        elif e.get("allowed"):
            reason, path, line = e["allowed"]
            allowance = Allowance(finding, reason, Location(path, line))
        else:
            site = self._site_allowance(rule, [published] + ([doc.path] if doc else []))
            allowance = Allowance(finding, site.reason, site.where) if site else None
        # One finding per source place; one per published phrase when it has no source.
        place = str(location) if doc is not None else f"{e['where']}\0{skeleton(e['window'])}"
        self._group(groups, finding, allowance, out_loc, place)

    def _group(
        self,
        groups: dict[Any, _Group],
        finding: Finding,
        allowance: Allowance | None,
        out_loc: Location | None,
        place: str | None = None,
    ) -> None:
        key = (
            finding.rule,
            place or str(finding.location),
            skeleton(finding.matched) or finding.message,
            allowance is not None,
        )
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(finding, allowance)
        if out_loc is not None:
            group.published.append(str(out_loc))

    def _site_allowance(self, rule: str, paths: list[str]) -> suppress.SiteAllowance | None:
        return next(
            (a for a in self.site if a.rule == rule and any(a.covers(p) for p in paths)), None
        )

    # -- the verdict on one finding (the same for every file it is in) -------------

    def _verdict(self, e: dict[str, Any]) -> _Verdict:
        if e["link"]:
            return self._link_verdict(e)
        match, window = skeleton(e["matched"]), skeleton(e["window"])
        if len(window) >= len(match) + _CONTEXT and self.index.containing(window, e["window"]):
            return _Verdict(dropped=True)  # these very words, in this context, were judged
        found = self.index.containing(match, e["matched"])
        if not found:
            return self._pieced(e["matched"])
        prose, at = min(found, key=lambda pa: rank(pa[0]))
        offset = prose.offset(at)
        verdict = _Verdict(doc=prose.doc, offset=offset)
        left, _, right = window.partition(match)
        if self.index.templates_hold(left) and self.index.templates_hold(right):
            directive = self._directive(prose.doc, e["rule"], offset)
            if directive is not None:
                verdict.allowance = (directive.reason, directive.where)
        return verdict

    def _pieced(self, matched: str) -> _Verdict:
        """Words no one source holds together: the file that holds most of them pieced them
        ("Vote" and "Labour" in two literals of one template). Not a trace strong enough
        to apply that file's allowances."""
        words = [w for w in re.findall(r"\w{2,}", matched)]
        by_path: dict[str, list[tuple[Prose, int]]] = {}
        for word in words:
            for prose, at in self.index.containing(skeleton(word), word):
                by_path.setdefault(prose.doc.path, []).append((prose, at))
        if not by_path:
            return _Verdict()
        best = max(
            by_path.values(),
            key=lambda hits: (len({h[0].doc.digest for h in hits} | set()), -rank(hits[0][0])),
        )
        prose, at = min(best, key=lambda h: (h[0].doc.start_line, h[0].doc.start_col, h[1]))
        return _Verdict(doc=prose.doc, offset=prose.offset(at))

    def _link_verdict(self, e: dict[str, Any]) -> _Verdict:
        rule, key = e["rule"], _url_key(e["matched"])
        if key in self._links.get(rule, set()) or any(
            key.startswith(c[: -len("...")] if c.endswith("...") else c)
            for c in self._clipped.get(rule, [])
        ):
            return _Verdict(dropped=True)  # this link was judged where it is written
        url = html.unescape(e["matched"]).strip().casefold()
        for doc in self.index.docs:
            at = doc.text.casefold().find(url)
            if at >= 0:
                verdict = _Verdict(doc=doc, offset=at)
                directive = self._directive(doc, rule, at)
                if directive is not None:
                    verdict.allowance = (directive.reason, directive.where)
                return verdict
        return _Verdict()

    def _directive(self, doc: TextDocument, rule: str, offset: int) -> suppress.Directive | None:
        directives = self._directives.get(doc.digest)
        if directives is None:
            directives = self._directives[doc.digest] = suppress.parse(doc, KNOWN_RULES)
        return directives.find(rule, offset)


def _url_key(url: str) -> str:
    url = html.unescape(url).strip()
    return skeleton(url[:-3] if url.endswith("...") else url) + (
        "..." if url.endswith("...") else ""
    )


def _fix(rule: str, doc: TextDocument | None, e: dict[str, Any]) -> str:
    what = e["fix"].rstrip(". ") or "Change the text"
    if doc is None:
        return (
            f"{what} where it is made (the theme's code or the plugin that writes this file); "
            f"or, if it is right here, allow it with a reason: an [[allow]] table in "
            f'guardrails.toml (rule = "{rule}", paths = ["output/..."], reason = "...")'
        )
    if doc.kind == TEMPLATE:
        how = f"{{# guardrails: allow {rule} because REASON #}} before the line"
    elif doc.kind == PLAIN:
        how = (
            f'an [[allow]] table in guardrails.toml (rule = "{rule}", paths = ["{doc.path}"], '
            'reason = "...")'
        )
    else:
        how = f"<!-- guardrails: allow {rule} because REASON --> before the paragraph"
    return f"{what} in {doc.path}; or, if it is right here, allow it with a reason: {how}"


def _with_places(f: Finding, published: list[str]) -> Finding:
    if "{places}" not in f.message:
        return f
    places = sorted(set(published))
    text = places[0] if places else "the site"
    if len(places) > 1:
        text += f" and {len(places) - 1} more place{'s' if len(places) > 2 else ''}"
    return Finding(
        f.rule, f.severity, f.location, f.matched, f.message.replace("{places}", text), f.fix
    )
