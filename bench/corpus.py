"""The 18F corpus end to end: import all 509 posts, check them, build them.

Times and peak memory go to ``bench/out/corpus-results.md`` (copied into
RESULTS.md by ``run.py``); every finding goes to ``bench/out/18f-findings.json``
and, readable, ``bench/out/18f-findings.md``: the false-alarm review in the
README's import section is made from it. The policy is the project's own plus
``bench/18f-policy.toml`` (``official-link`` allowed: that team spoke for its
agency) and, when the image rules ship one, a reference logo.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.measure import run_step  # noqa: E402
from importer import import_blog  # noqa: E402
from importer.corpus import corpus_or_exit  # noqa: E402

SITE = HERE / "out" / "18f-site"


def make_project(site: Path) -> None:
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    shutil.copy2(ROOT / "pelicanconf.py", site / "pelicanconf.py")
    for part in ("theme", "plugins", "guardrails"):
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, site / part, ignore=shutil.ignore_patterns("__pycache__"))
    policy = (ROOT / "guardrails.toml").read_text() + "\n" + (HERE / "18f-policy.toml").read_text()
    (site / "guardrails.toml").write_text(policy)
    (site / "content").mkdir()
    if (ROOT / "content" / "pages").is_dir():
        shutil.copytree(ROOT / "content" / "pages", site / "content" / "pages")


def install_test_logo(site: Path) -> str:
    """The image rules' synthetic seal as a reference logo: it is in none of the
    18F pictures, so every ``logo`` finding on the corpus is a false alarm."""
    try:
        from tests.images.synth import synthetic_seal
    except ImportError:
        return "no test reference logo (the image rules' test seal is not in this checkout)"
    folder = site / "guardrails" / "logos"
    folder.mkdir(parents=True, exist_ok=True)
    synthetic_seal().save(folder / "test-seal.png")
    return "test reference logo installed: the image rules' synthetic seal (guardrails/logos/test-seal.png)"


def findings_markdown(findings: list[dict], site: Path) -> str:
    by_rule: dict[str, list[dict]] = defaultdict(list)
    for f in findings:
        by_rule[f["rule"]].append(f)
    out = []
    for rule, items in sorted(by_rule.items()):
        posts = sorted({f["path"] for f in items})
        out.append(f"## {rule}: {len(items)} findings in {len(posts)} files\n")
        for f in items:
            path = site / f["path"]
            line = ""
            if path.is_file() and path.suffix == ".md":
                lines = path.read_text().splitlines()
                line = lines[f["line"] - 1].strip()[:300] if f["line"] <= len(lines) else ""
            out.append(
                f"- `{f['path']}:{f['line']}` {f['severity']} {f.get('matched', '')!r}: {line}"
            )
        out.append("")
    return "\n".join(out)


def main() -> None:
    corpus = corpus_or_exit("bench/corpus.py")
    make_project(SITE)
    logo_note = install_test_logo(SITE)
    print(logo_note)
    t = time.perf_counter()
    report = import_blog(
        corpus / "posts",
        SITE / "content",
        site_url="https://18f.gsa.gov",
        remote_images="link",  # offline here: three Google-hosted pictures become links
    )
    import_s = time.perf_counter() - t
    print(report.summary())
    (HERE / "out" / "18f-import-report.txt").write_text(report.to_text())

    cold = run_step("check", SITE)
    findings = cold.result["findings"]
    warm = run_step("check", SITE)
    shutil.rmtree(SITE / ".cache", ignore_errors=True)
    build_cold = run_step("build", SITE)
    build_warm = run_step("build", SITE)
    (HERE / "out" / "18f-findings.json").write_text(json.dumps(findings, indent=1))
    (HERE / "out" / "18f-findings.md").write_text(findings_markdown(findings, SITE))

    errors = [f for f in findings if f["severity"] == "error"]
    per_rule = Counter(f["rule"] for f in errors)
    posts_per_rule = {
        rule: len({f["path"] for f in errors if f["rule"] == rule}) for rule in per_rule
    }
    blocked = build_cold.result.get("failed")
    lines = [
        "## The 18F corpus end to end",
        "",
        f"{len(report.posts_imported)} of {report.posts_found} posts imported with "
        f"{len(report.images_copied)} images in {import_s:.1f} s "
        f"({len(report.problems)} items reported for hand finishing).",
        "",
        "| step | time (s) | peak memory (MB) |",
        "| --- | ---: | ---: |",
        f"| check, empty cache | {cold.seconds:.1f} | {cold.peak_mb:.0f} |",
        f"| check, full cache | {warm.seconds:.1f} | {warm.peak_mb:.0f} |",
        f"| build, empty cache | {build_cold.seconds:.1f} | {build_cold.peak_mb:.0f} |",
        f"| build, full cache | {build_warm.seconds:.1f} | {build_warm.peak_mb:.0f} |",
        "",
        f"`check` with an empty cache: {cold.result['summary']}",
        "",
        f"Policy: the project's, plus `bench/18f-policy.toml` (`official-link` allowed); {logo_note}.",
        "",
        "Errors per rule (posts): "
        + (
            ", ".join(f"{r} {n} ({posts_per_rule[r]})" for r, n in sorted(per_rule.items()))
            or "none"
        )
        + (
            ". The build was blocked by them, as it should be."
            if blocked
            else ". The build is green."
        ),
        "",
    ]
    (HERE / "out" / "corpus-results.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
