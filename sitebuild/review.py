"""``make report``: the guardrails' findings as a page a person reads.

Runs the build's own collection and checks, then lets Pelican write the site
anyway, into ``report/site/`` (never ``output/``), so that each finding links
to the page it would have produced were the build green except for it; then
writes ``report/index.html`` from the same ``Report`` the other formats use.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitebuild.build import ROOT, BuildFailed, _import_paths, load_settings, run_pelican

REPORT_DIR = "report"


@dataclass
class ReviewResult:
    page: Path  # report/index.html
    report: Any  # prudent.report.Report
    problems: list[str] = field(default_factory=list)


def review(
    settings_file: str | Path = ROOT / "pelicanconf.py",
    report_dir: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> ReviewResult:
    """Write the review report; raise BuildFailed when the site cannot even be read."""
    _import_paths()
    from prudent.policy import PolicyError
    from prudent.review import write_review
    from prudent_guardrails import adapter

    settings = load_settings(settings_file, overrides)
    root = adapter.project_root(settings)
    out = Path(report_dir) if report_dir else root / REPORT_DIR
    site = out / "site"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True, exist_ok=True)
    settings = dict(
        settings,
        OUTPUT_PATH=str(site),
        DELETE_OUTPUT_DIRECTORY=False,
        PRUDENT_REVIEW=True,
        # Pages that open from disk: links relative to each page (the feeds keep
        # the site's absolute address, as partners need it).
        RELATIVE_URLS=True,
    )
    try:
        report, problems = run_pelican(settings)
    except PolicyError as exc:
        raise BuildFailed(str(exc)) from None
    except Exception as exc:
        raise BuildFailed(f"Pelican stopped: {type(exc).__name__}: {exc}") from exc
    if report is None:
        raise BuildFailed(
            "The guardrails plugin did not run (is 'prudent_guardrails' in PLUGINS?)."
        )
    pages = {
        source: f"site/{save_as}"
        for source, save_as in adapter.last_pages.items()
        if (site / save_as).is_file()
    }
    page = write_review(report, root, out, pages=pages, problems=problems)
    return ReviewResult(page, report, problems)
