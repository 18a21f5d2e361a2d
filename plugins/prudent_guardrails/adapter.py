"""Runs the core on what Pelican is about to publish; raises to stop the build."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from prudent.document import Site, relative_path
from prudent.engine import Guardrails
from prudent.report import Report

from .collect import collect_site

logger = logging.getLogger(__name__)


class GuardrailsFailed(SystemExit):
    """The guardrails found at least one error: nothing may be published.

    A ``SystemExit`` carrying the whole report: stock ``pelican`` logs any
    ``Exception`` with a traceback, and this way it stops with the findings
    alone and exit status 1. Prudent's own build catches it and prints the report.
    """

    def __init__(self, report: Report) -> None:
        super().__init__(report.to_text().rstrip("\n"))
        self.report = report


class CheckFinished(Exception):
    """``check`` mode: the guardrails ran; stop Pelican before it writes."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.summary())
        self.report = report


# The last report of this process, for the build task to print warnings and
# allowances of a green build; and what was judged, for the output pass.
last_report: Report | None = None
last_site: Site | None = None
# Review mode (sitebuild.review): each source's page, for the report to link to.
last_pages: dict[str, str] = {}
# Check mode: each post's and page's source and Pelican's object (sitebuild.fastcheck).
last_items: dict[str, tuple[str, Any]] = {}
_engines: dict[tuple[str, str], Guardrails] = {}


def project_root(settings: dict[str, Any]) -> Path:
    root = settings.get("PRUDENT_ROOT")
    return Path(root) if root else Path(settings["PATH"]).resolve().parent


def engine_for(root: Path, progress: bool) -> Guardrails:
    """Models load once per process; a changed policy loads a fresh engine."""
    key = (str(root.resolve()), _policy_fingerprint(root))
    if key not in _engines:
        _engines.clear()
        _engines[key] = Guardrails(root, progress=progress)
    return _engines[key]


def _policy_fingerprint(root: Path) -> str:
    h = hashlib.sha256()
    files = [root / "guardrails.toml", *sorted((root / "guardrails").rglob("*"))]
    for f in files:
        if f.is_file():
            st = f.stat()
            h.update(f"{f}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def run_guardrails(generators: list[Any]) -> None:
    global last_report, last_site
    settings = generators[0].settings
    root = project_root(settings)
    site = collect_site(generators, root)
    report = engine_for(root, progress=bool(settings.get("PRUDENT_PROGRESS", True))).check(site)
    last_report, last_site = report, site
    if settings.get("PRUDENT_REVIEW"):
        # The review writes the site with its findings into the report folder,
        # never into output/: a reviewer sees the page each finding would produce.
        last_pages.clear()
        last_pages.update(_pages(generators, root))
        return
    if settings.get("PRUDENT_CHECK_ONLY"):
        from sitebuild.fastcheck import items_of

        last_items.clear()
        last_items.update(items_of(generators, root))
        _resolve_links(generators)
        raise CheckFinished(report)
    if report.failed:
        raise GuardrailsFailed(report)


def _pages(generators: list[Any], root: Path) -> dict[str, str]:
    """Source file (relative to the project) -> the file Pelican writes for it."""
    pages: dict[str, str] = {}
    for gen in generators:
        for attr in (
            "articles",
            "drafts",
            "hidden_articles",
            "pages",
            "hidden_pages",
            "draft_pages",
        ):
            for item in getattr(gen, attr, None) or []:
                source, save_as = getattr(item, "source_path", ""), getattr(item, "save_as", "")
                if source and save_as:
                    pages.setdefault(relative_path(source, root), save_as)
    return pages


def _resolve_links(generators: list[Any]) -> None:
    """Resolve every {filename}/{static} link as writing would, so that ``check``
    reports the broken ones (Pelican only resolves them when rendering)."""
    for gen in generators:
        for attr in (
            "articles",
            "drafts",
            "hidden_articles",
            "translations",
            "pages",
            "hidden_pages",
            "draft_pages",
        ):
            for item in getattr(gen, attr, None) or []:
                _ = item.content
                _ = item.summary
