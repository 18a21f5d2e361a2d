"""One measured step, run in its own process by ``bench/run.py``; prints one JSON line.

    python bench/runsite.py stock|plain|build|check|text|images|nudenet|nudenet2 SITE [FILES...]

``stock`` is what a user would run instead: stock Pelican (its default theme,
``notmyidea``; its default URLs; only the YAML front-matter reader plugin that
the project's settings also load) on the same content;
``plain`` is Pelican with the same settings minus the guardrails plugin (what the
guardrails alone cost);
``build`` and ``check`` are the project's own (``sitebuild``); ``text`` and
``images`` time the guardrail core alone (models loaded first, not timed);
``nudenet`` is the raw NudeNet detector over the same images, as its README runs
it (one process, onnxruntime's default threads); ``nudenet2`` is NudeNet at its
best on two cores: two worker processes, one onnxruntime thread each, the images
dealt out between them.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]


def _settings(site: Path) -> dict:
    return {
        "PRUDENT_ROOT": str(site),
        "PRUDENT_SETTINGS_FILES": [str(site / "pelicanconf.py")],
        "PRUDENT_PROGRESS": False,
    }


def plain(site: Path) -> dict:
    from sitebuild.build import load_settings, run_pelican

    settings = load_settings(site / "pelicanconf.py", _settings(site))
    plugins = [p for p in settings["PLUGINS"] if "prudent_guardrails" not in str(p)]
    with tempfile.TemporaryDirectory(dir=site) as out:
        settings = dict(settings, PLUGINS=plugins, OUTPUT_PATH=out, DELETE_OUTPUT_DIRECTORY=False)
        t = time.perf_counter()
        _, warnings = run_pelican(settings)
        return {"seconds": time.perf_counter() - t, "warnings": warnings}


def stock(site: Path) -> dict:
    from pelican import Pelican
    from pelican.settings import read_settings

    class Warnings(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.WARNING)
            self.seen: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.seen.append(record.getMessage())

    with tempfile.TemporaryDirectory(dir=site) as out:
        settings = read_settings(
            None,
            override={
                "PATH": str(site / "content"),
                "ARTICLE_PATHS": ["posts"],
                "PAGE_PATHS": ["pages"],
                "STATIC_PATHS": ["images"],
                "OUTPUT_PATH": out,
                "THEME": "notmyidea",
                "PLUGINS": ["yaml_metadata"],
                "TIMEZONE": "America/Toronto",
                "SITEURL": "https://notebook.example.org",
                "CACHE_PATH": str(site / ".cache/stock"),
                "LOAD_CONTENT_CACHE": False,
            },
        )
        handler = Warnings()
        logging.getLogger().addHandler(handler)
        t = time.perf_counter()
        Pelican(settings).run()
        seconds = time.perf_counter() - t
        logging.getLogger().removeHandler(handler)
        return {"seconds": seconds, "stock_warnings": handler.seen[:20]}


def build(site: Path) -> dict:
    from sitebuild.build import BuildFailed
    from sitebuild.build import build as run_build

    t = time.perf_counter()
    try:
        result = run_build(site / "pelicanconf.py", site / "output", _settings(site))
    except BuildFailed as exc:
        return {"seconds": time.perf_counter() - t, "failed": str(exc)[-4000:]}
    return {"seconds": time.perf_counter() - t, "summary": result.report.summary()}


def check(site: Path) -> dict:
    from sitebuild.build import check as run_check

    t = time.perf_counter()
    result = run_check(site / "pelicanconf.py", _settings(site))
    report = result.report
    return {
        "seconds": time.perf_counter() - t,
        "summary": report.summary(),
        "problems": result.problems,
        "findings": [
            {
                "rule": f.rule,
                "severity": str(f.severity),
                "path": f.location.path,
                "line": f.location.line,
                "matched": f.matched,
            }
            for f in report.sorted_findings()
        ],
    }


WARM_UP = (
    "Title: Warm-up\n\nJordan Lee said the plan was foolish. I hate my job some days.\n"
    "The Liberal Party met on Tuesday.\n"
)


def _engine(site: Path):
    from prudent.engine import Guardrails

    return Guardrails(site)


def text(site: Path, files: list[str]) -> dict:
    from prudent.document import MARKDOWN, TextDocument

    engine = _engine(site)
    docs = [
        TextDocument(
            Path(f).resolve().relative_to(site).as_posix(), Path(f).read_text("utf-8"), MARKDOWN
        )
        for f in files
    ]
    words = sum(len(re.findall(r"\w+", d.text)) for d in docs)
    # Throughput, not start-up: load the models (spaCy, the classifier's process)
    # on a small text of its own first, as alex-bench.mjs warms alex up.
    warm = time.perf_counter()
    engine.text.check([TextDocument("content/posts/warm-up.md", WARM_UP, MARKDOWN)])
    warm = time.perf_counter() - warm
    t = time.perf_counter()
    report = engine.text.check(docs)
    return {
        "seconds": time.perf_counter() - t,
        "words": words,
        "posts": len(docs),
        "model_loading": warm,
        "findings": len(report.findings),
    }


def images(site: Path, files: list[str]) -> dict:
    from prudent.document import ImageFile, Site

    engine = _engine(site)
    s = Site(root=site, content_dir=site / "content")
    s.images = [ImageFile(Path(f).resolve().relative_to(site).as_posix()) for f in files]
    t = time.perf_counter()
    report = engine.images.check(s)
    return {
        "seconds": time.perf_counter() - t,
        "images": len(files),
        "findings": len(report.findings),
    }


def nudenet(site: Path, files: list[str]) -> dict:
    from nudenet import NudeDetector

    detector = NudeDetector()
    t = time.perf_counter()
    scanned = 0
    for f in files:
        try:
            detector.detect(f)
            scanned += 1
        except Exception:
            pass
    return {"seconds": time.perf_counter() - t, "images": scanned}


def _nudenet_worker(files: list[str]) -> int:
    import os

    import onnxruntime
    from nudenet import NudeDetector

    detector = NudeDetector()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    path = os.path.join(os.path.dirname(sys.modules["nudenet"].__file__), "320n.onnx")
    detector.onnx_session = onnxruntime.InferenceSession(
        path, options, providers=["CPUExecutionProvider"]
    )
    scanned = 0
    for f in files:
        try:
            detector.detect(f)
            scanned += 1
        except Exception:
            pass
    return scanned


def nudenet2(site: Path, files: list[str]) -> dict:
    import multiprocessing

    t = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        scanned = sum(pool.map(_nudenet_worker, [files[0::2], files[1::2]]))
    return {"seconds": time.perf_counter() - t, "images": scanned}


def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    mode, site, files = sys.argv[1], Path(sys.argv[2]).resolve(), sys.argv[3:]
    steps = {"stock": stock, "plain": plain, "build": build, "check": check}
    result = steps[mode](site) if mode in steps else globals()[mode](site, files)
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
