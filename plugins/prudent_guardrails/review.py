"""Review mode for a plain ``pelican`` run (``prudent report`` without files).

With ``PRUDENT_REVIEW_DIR`` set, once Pelican has written the site (into that
folder's ``site/``, never ``output/``), the review page is written beside it
from the same ``Report`` the build judged, with ``report.json`` for the exit
status. ``make report`` drives the same review in-process (``sitebuild/review.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prudent.review import write_review

from . import adapter


def write_review_page(pelican: Any) -> None:
    out = pelican.settings.get("PRUDENT_REVIEW_DIR")
    report = adapter.last_report
    if not out or report is None:
        return
    out = Path(out)
    site = Path(pelican.settings["OUTPUT_PATH"])
    root = adapter.project_root(pelican.settings)
    pages = {}
    for source, save_as in adapter.last_pages.items():
        if (site / save_as).is_file():
            pages[source] = (
                (site / save_as).relative_to(out).as_posix()
                if site.is_relative_to(out)
                else str(site / save_as)
            )
    page = write_review(report, root, out, pages=pages)
    (out / "report.json").write_text(report.to_json() + "\n", encoding="utf-8")
    print(report.summary())
    print(f"Wrote {page}: open it in a browser (file://{page}).")
