"""Where a warm guarded build spends its time beyond plain Pelican.

    python bench/breakdown.py SITE

Profiles one build of SITE (caches as they are: run it after a build) and
prints the cumulative time of the parts the guardrails add. cProfile slows
Python code down, so read the shares, not the absolute seconds.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

PARTS = (
    ("whole build", "sitebuild/build.py", "build"),
    ("Pelican run (reading, writing, plugins)", "pelican/__init__.py", "run"),
    ("guardrails plugin (all of it)", "prudent_guardrails/adapter.py", "run_guardrails"),
    ("  loading the engine: policy, rules, models", "prudent_guardrails/adapter.py", "engine_for"),
    ("  collecting what will be published", "prudent_guardrails/collect.py", "collect_site"),
    ("  text rules", "prudent/text/__init__.py", "check"),
    ("  image rules", "prudent/images/checker.py", "check"),
    ("swapping the new output in", "sitebuild/build.py", "_swap_in"),
)


def main() -> None:
    site = Path(sys.argv[1]).resolve()
    profile = cProfile.Profile()
    import importlib

    profile.enable()
    importlib.import_module("prudent_guardrails")
    from sitebuild.build import build

    build(
        site / "pelicanconf.py",
        site / "output",
        {"PRUDENT_ROOT": str(site), "PRUDENT_SETTINGS_FILES": [str(site / "pelicanconf.py")]},
    )
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    rows = []
    for label, file_part, func in PARTS:
        total = sum(
            v[3] for (f, _, name), v in stats.items() if name == func and f.endswith(file_part)
        )
        rows.append((label, total))
    imports = max(
        (
            v[3]
            for (f, _, name), v in stats.items()
            if name == "<module>" and f.endswith("prudent_guardrails/__init__.py")
        ),
        default=0.0,
    )
    whole = rows[0][1] or 1.0
    print("| part | seconds (profiled) | share |")
    print("| --- | ---: | ---: |")
    for label, total in [*rows, ("importing prudent (numpy, OpenCV, models' code)", imports)]:
        print(f"| {label} | {total:.2f} | {100 * total / whole:.0f}% |")


if __name__ == "__main__":
    main()
