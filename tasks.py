"""The project's tasks (invoke). The Makefile only bootstraps .venv and calls these.

.venv/bin/invoke --list
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import shutil
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent


def _logging(verbose: bool) -> None:
    from rich.logging import RichHandler

    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(show_time=False, show_path=False, markup=False)],
        force=True,
    )


@task(
    help={
        "settings": "settings file (default pelicanconf.py)",
        "verbose": "show Pelican's progress",
    }
)
def build(c, settings="pelicanconf.py", verbose=False):
    """Build the site into output/, atomically: a failed build publishes nothing."""
    from sitebuild.build import BuildFailed
    from sitebuild.build import build as run_build

    _logging(verbose)
    try:
        result = run_build(ROOT / settings)
    except BuildFailed as exc:
        print(exc, file=sys.stderr)
        raise Exit("Build failed: output/ was left as it was.", code=1) from None
    print(result.report.to_text(), end="")
    print(
        f"Built {result.output.relative_to(ROOT) if result.output.is_relative_to(ROOT) else result.output}/"
    )


@task(
    help={
        "format": "text (default), json or sarif",
        "output": "write the report to this file instead of standard output",
        "settings": "settings file (default pelicanconf.py)",
    }
)
def check(c, format="text", output="", settings="pelicanconf.py"):
    """Run the guardrails over everything the build would publish; write nothing."""
    from sitebuild.build import BuildFailed
    from sitebuild.build import check as run_check
    from sitebuild.watch import ask

    _logging(False)
    try:
        # A running `invoke watch` has the rules and models loaded: ask it first.
        result = ask(ROOT / settings) or run_check(ROOT / settings)
    except BuildFailed as exc:
        raise Exit(str(exc), code=2) from None
    _emit(result.report, format, output)
    if result.problems:
        print("Pelican reported problems that would fail the build:", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
    if result.failed:
        raise Exit(code=1)


@task(help={"settings": "settings file (default pelicanconf.py)"})
def watch(c, settings="pelicanconf.py"):
    """Check now and after every edit, models kept loaded; `make check` asks it meanwhile."""
    from sitebuild.watch import watch as run_watch

    _logging(False)
    with contextlib.suppress(KeyboardInterrupt):
        run_watch(ROOT / settings)


def _emit(report, format: str, output: str) -> None:

    def sarif() -> str:
        # The rules' descriptions: only SARIF needs them (their modules load NumPy, OpenCV).
        from prudent import encoding, secrets
        from prudent.images.checker import RULES as IMAGE_RULE_DOCS
        from prudent.text import RULE_DOCS as TEXT_RULE_DOCS

        rule_docs = {**TEXT_RULE_DOCS, **IMAGE_RULE_DOCS}
        rule_docs.update({encoding.RULE: encoding.RULE_DOC, secrets.RULE: secrets.RULE_DOC})
        return report.to_sarif(rule_docs)

    renderers = {"text": report.to_text, "json": report.to_json, "sarif": sarif}
    if format not in renderers:
        raise Exit(f"Unknown format {format!r}: use text, json or sarif.", code=2)
    text = renderers[format]()
    if output:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        print(report.summary())
    else:
        print(text, end="" if text.endswith("\n") else "\n")


@task(
    help={
        "output": "the report's folder (default report/)",
        "settings": "settings file (default pelicanconf.py)",
    }
)
def report(c, output="report", settings="pelicanconf.py"):
    """Write report/index.html: every finding in context, flagged images drawn, allowances."""
    from sitebuild.build import BuildFailed
    from sitebuild.review import review

    _logging(False)
    try:
        result = review(ROOT / settings, ROOT / output)
    except BuildFailed as exc:
        raise Exit(str(exc), code=2) from None
    print(result.report.summary())
    where = result.page.relative_to(ROOT) if result.page.is_relative_to(ROOT) else result.page
    print(f"Wrote {where}: open it in a browser (file://{result.page}).")


@task(help={"port": "port on 127.0.0.1 (default 8000)", "host": "address to bind"})
def serve(c, port=8000, host="127.0.0.1"):
    """Serve output/ with live reload, rebuilding (atomically) on every change."""
    from sitebuild.serve import serve as run_serve

    _logging(False)
    try:
        run_serve(ROOT, host=host, port=int(port))
    except KeyboardInterrupt:
        print("Stopped serving.")
    except OSError as exc:
        raise Exit(f"Cannot serve on {host}:{port}: {exc.strerror or exc}", code=1) from None


@task(help={"title": "the post's title", "tags": "comma-separated tags", "category": "category"})
def new_post(c, title, tags="", category="Notes"):
    """Scaffold content/posts/YYYY-MM-DD-slug.md with its metadata."""
    if not title:
        raise Exit('Give a title: invoke new-post --title "My post"', code=2)
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "post"
    today = dt.date.today()
    path = ROOT / "content" / "posts" / f"{today:%Y-%m-%d}-{slug}.md"
    if path.exists():
        raise Exit(f"{path.relative_to(ROOT)} exists already.", code=1)
    path.write_text(
        f"Title: {title}\nDate: {dt.datetime.now():%Y-%m-%d %H:%M}\nCategory: {category}\n"
        f"Tags: {tags}\nSummary: \nStatus: draft\n\nWrite here.\n",
        encoding="utf-8",
    )
    print(f"Created {path.relative_to(ROOT)} (Status: draft; remove that line to publish).")


@task(help={"settings": "settings file (default publishconf.py)"})
def publish(c, settings="publishconf.py"):
    """Build with production settings and deploy, only when the build is green."""
    from sitebuild.publish import PublishError
    from sitebuild.publish import publish as run_publish

    _logging(False)
    try:
        run_publish(ROOT / settings, runner=c.run)
    except PublishError as exc:
        raise Exit(f"Not published: {exc}", code=1) from None


@task
def clean(c):
    """Remove output/, report/ and the caches."""
    for path in (ROOT / "output", ROOT / "report", ROOT / ".cache"):
        shutil.rmtree(path, ignore_errors=True)
    for stale in ROOT.glob(".output-*"):
        shutil.rmtree(stale, ignore_errors=True)
    print("Removed output/, report/ and .cache/")


@task(help={"args": "extra arguments for pytest, e.g. '-k partisan'"})
def test(c, args=""):
    """ruff, then the whole test suite."""
    c.run(f"{VENV_BIN}/ruff check .", pty=False)
    c.run(f"{VENV_BIN}/python -m pytest {args}", pty=False)


@task(
    help={
        "output": "where to write the export (default content/bookmarks/pinboard.json)",
        "api": "the API's base URL (default https://api.pinboard.in/v1, or $PINBOARD_API_URL)",
        "keep_private": "also write private bookmarks and private tags (never published)",
    }
)
def fetch_bookmarks(c, output="content/bookmarks/pinboard.json", api="", keep_private=False):
    """Fetch a fresh Pinboard export with the token in $PINBOARD_TOKEN."""
    import os

    sys.path.insert(0, str(ROOT / "plugins"))
    from prudent_bookmarks.fetch import DEFAULT_API, TOKEN_VARIABLE, FetchError, fetch

    dest = Path(output) if Path(output).is_absolute() else ROOT / output
    api = api or os.environ.get("PINBOARD_API_URL", "") or DEFAULT_API
    try:
        result = fetch(dest, os.environ.get(TOKEN_VARIABLE, ""), api=api, keep_private=keep_private)
    except FetchError as exc:
        raise Exit(f"Not fetched: {exc}", code=1) from None
    dropped = result.total - result.written
    print(
        f"Wrote {result.written} bookmarks to {output}"
        + (f" ({dropped} private ones left out)" if dropped else "")
    )


@task(
    help={
        "path": "the image(s) to strip, e.g. content/images/photo.jpg (space-separated)",
    }
)
def strip_location(c, path):
    """Remove GPS/XMP location from JPEG, PNG, WebP or TIFF images without re-encoding them."""
    from prudent.images.strip import StripError, strip_file

    failed = False
    for name in path.split():
        try:
            removed = strip_file(ROOT / name if not Path(name).is_absolute() else Path(name))
        except StripError as exc:
            print(f"{name}: not stripped: {exc}", file=sys.stderr)
            failed = True
            continue
        if removed:
            print(f"{name}: removed {', '.join(removed)}; the pixels are unchanged")
        else:
            print(f"{name}: no location metadata found; left as it was")
    if failed:
        raise Exit(code=1)


@task(
    help={
        "source": "the old blog's posts folder (Jekyll _posts, Hugo content/posts, Eleventy posts)",
        "dest": "the content folder to import into (default content)",
        "site_url": "the old site's address: links to its pages that were not imported point there",
        "flavour": "auto (default), jekyll, hugo or eleventy",
        "force": "replace posts that exist already",
        "report": "also write the report to this file (.json for JSON)",
        "remote_images": "keep (default: downloaded and judged at every build), link (a link "
        "to the picture, nothing remote shown: builds offline) or download (copied in now)",
    }
)
def import_blog(
    c,
    source,
    dest="content",
    site_url="",
    flavour="auto",
    force=False,
    report="",
    remote_images="keep",
):
    """Import a Jekyll, Hugo or Eleventy blog: posts, front matter, shortcodes, images."""
    from importer import import_blog as run_import

    try:
        result = run_import(
            source,
            dest,
            site_url=site_url,
            flavour=flavour,
            force=force,
            remote_images=remote_images,
        )
    except (FileNotFoundError, ValueError) as exc:
        raise Exit(str(exc), code=2) from None
    text = result.to_text()
    print(text, end="")
    if report:
        Path(report).write_text(
            result.to_json() if report.endswith(".json") else text, encoding="utf-8"
        )
    if not result.posts_found:
        raise Exit(f"No Markdown posts found in {source}.", code=1)
    if not result.posts_imported:
        raise Exit("No post was imported.", code=1)


@task(
    help={
        "quick": "a smaller site (60 posts, 20 images), in about two minutes",
        "reps": "repetitions per measurement (default 3)",
        "corpus": "also import, check and build the whole 18F corpus (default: with the full run)",
    }
)
def bench(c, quick=False, reps=0, corpus=None):
    """Benchmarks: guarded builds against plain Pelican, NudeNet and alex; writes bench/RESULTS.md."""
    from importer.corpus import CorpusMissing, corpus_dir

    try:
        corpus_dir()  # every benchmark is made of the 18F corpus's prose and pictures
    except CorpusMissing as exc:
        raise Exit(f"Benchmarks not run: {exc}.", code=2) from None
    bench_dir = ROOT / "bench"
    lock = bench_dir / "package-lock.json"
    stamp = bench_dir / "node_modules" / ".package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        with c.cd(str(bench_dir)):
            c.run("npm ci --no-audit --no-fund", pty=False, hide="out")
    if corpus if corpus is not None else not quick:
        c.run(f"{sys.executable} {bench_dir / 'corpus.py'}", pty=False)
    args = (" --quick" if quick else "") + (f" --reps {int(reps)}" if reps else "")
    c.run(f"{sys.executable} {bench_dir / 'run.py'}{args}", pty=False)


def _shared_dir() -> Path:
    """``$PRUDENT_SHARED``, or ``shared/`` beside the checkout (a few levels up)."""
    import os

    env = os.environ.get("PRUDENT_SHARED")
    if env:
        return Path(env)
    for base in [ROOT, *ROOT.parents[:3]]:
        if (base / "shared" / "datasets").is_dir():
            return base / "shared"
    return ROOT.parent / "shared"


@task(
    help={
        "olid": "OLID's training TSV (default: shared/datasets/olid/olid-training-v1.0.tsv)",
        "output": "where to write the model (default guardrails/models/personal-attack-en.npz)",
    }
)
def train_attack_model(c, olid="", output="guardrails/models/personal-attack-en.npz"):
    """Rebuild the personal-attack model from OLID (deterministic: the same bytes each time)."""
    from prudent.text import attack_model, attack_training, nlp

    source = Path(olid) if olid else _shared_dir() / "datasets/olid/olid-training-v1.0.tsv"
    if not source.is_file():
        raise Exit(f"{source}: OLID's training set is not there; pass --olid PATH", code=2)
    insults_file = ROOT / "guardrails" / "insults.txt"
    insults = [
        line.split("#", 1)[0].strip()
        for line in insults_file.read_text(encoding="utf-8").splitlines()
        if line.split("#", 1)[0].strip()
    ]
    examples = attack_training.read_olid(source)
    print(f"{len(examples)} tweets, {sum(e.label for e in examples)} attacks on an individual")
    cues = attack_model.Cues(insults, nlp.vader().lexicon)
    matrix = attack_training.featurise(examples, cues)
    provenance = {
        "training": {
            "file": source.name,
            "sha256": attack_training.sha256(source),
            "tweets": len(examples),
            "attacks_on_individuals": sum(e.label for e in examples),
            "licence": "CC BY 4.0 (OLID v1.0, Zampieri et al., NAACL 2019)",
        },
        "insults_sha256": attack_training.sha256(insults_file),
    }
    arrays, meta, _ = attack_training.train(examples, matrix, provenance)
    out = ROOT / output
    attack_training.write_npz(out, arrays, meta)
    print(
        f"wrote {out} ({out.stat().st_size:,} bytes, sha256 "
        f"{attack_training.sha256(out)[:16]}...), threshold {meta['threshold']}"
    )
