"""The output pass: what Pelican wrote is judged before the build publishes it.

``sitebuild.build`` calls ``check_published`` once Pelican has written the site
into the staging folder and before the staging folder replaces ``output/``.
The core (``prudent.published``) reads every file; this adapter hands it the
engine, the documents the plugin judged at their source and their report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prudent.document import relative_path
from prudent.published import PublishedChecker, Sources
from prudent.report import Report
from prudent.text.links import host_of
from prudent.text.suppress import UNUSED

from . import adapter

_checkers: dict[int, PublishedChecker] = {}


def check_published(settings: dict[str, Any], staging: Path, final: Path) -> Report:
    """The whole report (sources and published site); raises GuardrailsFailed on an error."""
    if adapter.last_report is None or adapter.last_site is None:
        raise RuntimeError("the guardrails plugin did not judge the sources of this build")
    root = adapter.project_root(settings)
    progress = bool(settings.get("PRUDENT_PROGRESS", True))
    engine = adapter.engine_for(root, progress=progress)
    checker = _checkers.get(id(engine))
    if checker is None:
        _checkers.clear()
        checker = PublishedChecker(engine.text, engine.policy, progress=progress)
        _checkers[id(engine)] = checker
    source = adapter.last_report
    hosts = frozenset(
        h for h in (host_of(str(settings.get(k) or "")) for k in ("SITEURL", "FEED_DOMAIN")) if h
    )
    published = checker.check(
        staging, Sources(adapter.last_site.texts, source, hosts), relative_path(final, root)
    )
    report = Report(
        findings=[
            f
            for f in source.findings
            # An allowance the published text used is not unused after all.
            if not (f.rule == UNUSED and f.location in checker.used_allowances)
        ],
        allowances=list(source.allowances),
        checked=dict(source.checked),
    )
    report.extend(published)
    adapter.last_report = report
    if report.failed:
        raise adapter.GuardrailsFailed(report)
    return report
