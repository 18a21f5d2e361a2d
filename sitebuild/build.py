"""Atomic builds: render into a staging folder, swap it in only when all is green.

Any failure (a guardrail error, a Pelican error or warning, a crash) leaves the
published folder byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class BuildFailed(Exception):
    """The build did not publish. ``str()`` says why and what to do."""


@dataclass
class BuildResult:
    output: Path
    report: Any = None  # prudent.report.Report of the guardrails
    warnings: list[str] = field(default_factory=list)


class _Recorder(logging.Handler):
    """Collects Pelican's warnings and errors: any of them fails the build.

    Each is explained while Pelican is still handling it (``problems.explain``:
    the file, the line, the value and the fix), and kept off the console: the
    build's own message lists them all once.
    """

    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__(logging.WARNING)
        from sitebuild.problems import Context

        self.context = Context(settings)
        self.problems: list[str] = []
        self.explained: set[str] = set()  # files whose problem was told in full
        self.hide = _Taken()

    def _explained(self, source: str) -> bool:
        return bool(source) and self.context.shown(source.strip("'")) in self.explained

    def emit(self, record: logging.LogRecord) -> None:
        if not _taken(record):
            return
        from sitebuild.problems import explain, is_input_error, said_elsewhere

        if said_elsewhere(record):
            return
        source = str(record.args[0]) if isinstance(record.args, tuple) and record.args else ""
        if str(record.msg).startswith("Skipping %s: could not find") and self._explained(source):
            return  # its front matter could not be read: said already
        msg = explain(record, self.context)
        if msg is not None:
            self.explained.add(self.context.shown(source.strip("'")))
        else:
            msg = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                msg += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
        level = "error" if is_input_error(record) else record.levelname.lower()
        self.problems.append(f"{level}: {msg}")

    def messages(self) -> list[str]:
        return list(self.problems)


def _taken(record: logging.LogRecord) -> bool:
    # Pelican's own loggers and every Prudent plugin ("prudent_*").
    return record.levelno >= logging.WARNING and record.name.startswith(("pelican", "prudent"))


class _Taken(logging.Filter):
    """On the console's handlers: drop what the recorder reports in the build's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _taken(record)


def _import_paths() -> None:
    # The plugin must be the very module Pelican loads through PLUGIN_PATHS
    # (as "prudent_guardrails"), or its exceptions would be other classes.
    for path in (ROOT, ROOT / "plugins"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))


def load_settings(
    settings_file: str | Path, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    _import_paths()
    from pelican.settings import read_settings

    try:
        return read_settings(str(settings_file), override=overrides or {})
    except SyntaxError as exc:
        raise BuildFailed(
            f"{exc.filename or settings_file}:{exc.lineno or 1}:{exc.offset or 1}: the settings "
            f"are not valid Python ({exc.msg}); fix that line. Nothing was published."
        ) from None
    except Exception as exc:
        raise BuildFailed(
            f"{settings_file}: the settings could not be loaded ({type(exc).__name__}: {exc}); "
            "fix the file. Nothing was published."
        ) from None


def run_pelican(settings: dict[str, Any]) -> tuple[Any, list[str]]:
    """Run Pelican in-process. Returns (guardrails report, Pelican warnings)."""
    from pelican import Pelican

    # Pelican drops a warning it has logged once in this process; a second
    # build in the same process (serve, tests) must see its problems again.
    from pelican.log import LimitFilter

    from prudent_guardrails import adapter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()

    recorder = _Recorder(settings)
    root_logger = logging.getLogger()
    consoles = list(root_logger.handlers)
    for handler in consoles:
        handler.addFilter(recorder.hide)
    root_logger.addHandler(recorder)
    adapter.last_report = None
    try:
        Pelican(settings).run()
    except BaseException as exc:
        exc.pelican_problems = recorder.messages()  # type: ignore[attr-defined]
        raise
    finally:
        root_logger.removeHandler(recorder)
        for handler in consoles:
            handler.removeFilter(recorder.hide)
    return adapter.last_report, recorder.messages()


def build(
    settings_file: str | Path = ROOT / "pelicanconf.py",
    output: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> BuildResult:
    """Build the site atomically into ``output`` (default: the settings' OUTPUT_PATH)."""
    _import_paths()
    from prudent.policy import PolicyError
    from prudent_guardrails.adapter import GuardrailsFailed

    settings = load_settings(settings_file, overrides)
    final = Path(output or settings["OUTPUT_PATH"]).resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(final.parent)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=final.parent))
    settings = dict(settings, OUTPUT_PATH=str(staging), DELETE_OUTPUT_DIRECTORY=False)
    try:
        try:
            report, problems = run_pelican(settings)
        except GuardrailsFailed as exc:
            raise BuildFailed(exc.report.to_text()) from None
        except PolicyError as exc:
            raise BuildFailed(f"{exc}\nNothing was published.") from None
        except Exception as exc:
            raise BuildFailed(
                f"Pelican stopped: {type(exc).__name__}: {exc}\nNothing was published."
            ) from exc
        if problems:
            raise BuildFailed(
                "Pelican reported problems with the content, so nothing was published:\n  "
                + "\n  ".join(problems)
                + "\nFix them (the message names the file) and build again."
            )
        if report is None:
            raise BuildFailed(
                "The guardrails plugin did not run (is 'prudent_guardrails' in PLUGINS?). "
                "Nothing was published."
            )
        report = _judge_published(settings, staging, final)
        _swap_in(staging, final)
        return BuildResult(final, report, problems)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _judge_published(settings: dict[str, Any], staging: Path, final: Path) -> Any:
    """The output pass (prudent.published): the site as readers would get it, judged
    after Pelican wrote it and before it replaces ``final``. Returns the whole report."""
    from prudent_guardrails.adapter import GuardrailsFailed
    from prudent_guardrails.published import check_published

    try:
        return check_published(settings, staging, final)
    except GuardrailsFailed as exc:
        raise BuildFailed(exc.report.to_text()) from None
    except Exception as exc:  # fail closed: a site that was not judged is not published
        raise BuildFailed(
            f"The check of the published site stopped: {type(exc).__name__}: {exc}\n"
            "Nothing was published."
        ) from exc


def _swap_in(staging: Path, final: Path) -> None:
    """Put ``staging`` in the place of ``final`` with no moment without ``final``.

    Linux swaps the two folders in one step (renameat2 RENAME_EXCHANGE), macOS
    too (renamex_np RENAME_SWAP); the old output then sits under the staging
    name and is removed. Elsewhere (or on a file system that cannot swap) two
    renames leave a moment of a few microseconds without ``final``.
    """
    os.chmod(staging, 0o755)
    try:
        if not final.exists():
            os.rename(staging, final)
            return
        if exchange(staging, final):
            shutil.rmtree(staging, ignore_errors=True)
            return
        old = Path(tempfile.mkdtemp(prefix=f"{OLD_PREFIX}{os.getpid()}-", dir=final.parent))
        old.rmdir()
        os.rename(final, old)
        try:
            os.rename(staging, final)
        except OSError:
            os.rename(old, final)
            raise
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise BuildFailed(
            f"The new site is ready but could not replace {final} ({exc.strerror or exc}); "
            f"{final} was left as it was. Check that the folder is yours and not open "
            "in another program, then build again."
        ) from None


STAGING_PREFIX, OLD_PREFIX = ".output-staging-", ".output-old-"
_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS stdio.h
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when this system or file system cannot."""
    import ctypes
    import ctypes.util
    import errno

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return False
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        call = libc.renameat2
        call.argtypes = [
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_uint,
        ]
        args = (_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        call = libc.renamex_np
        call.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        args = (os.fsencode(a), os.fsencode(b), _RENAME_SWAP)
    else:
        return False
    if call(*args) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False  # an old kernel, or a file system (some network ones) that cannot swap
    raise OSError(err, os.strerror(err), str(b))


def remove_leftovers(parent: Path) -> list[Path]:
    """Remove staging and old-output folders that builds killed midway left behind.

    A folder is named after the process that made it; one whose process is still
    running (a build beside this one, ``make serve``) is left alone.
    """
    removed = []
    for folder in sorted(parent.glob(".output-*")):
        if not folder.name.startswith((STAGING_PREFIX, OLD_PREFIX)) or not folder.is_dir():
            continue
        if folder.is_symlink():
            continue
        parts = folder.name.split("-")  # .output, staging, PID, random
        owner = parts[2] if len(parts) >= 4 else ""
        if owner.isdigit() and int(owner) != os.getpid() and _running(int(owner)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


@dataclass
class CheckResult:
    report: Any  # prudent.report.Report
    problems: list[str]  # Pelican's warnings and errors about the content

    @property
    def failed(self) -> bool:
        return bool(self.problems) or self.report.failed


def check_reader_cache(settings: dict[str, Any]) -> dict[str, Any]:
    """``check`` re-reads only the files that changed: Pelican's own reader cache.

    The cache sits in a folder named by a digest of the settings files, the
    plugins and the Markdown settings, so a changed setting starts afresh
    rather than serving stale HTML; Pelican itself notices changed files by
    their modification time. Builds keep reading everything.
    """
    from importlib.metadata import version

    h = hashlib.sha256(version("pelican").encode())
    for name in settings.get("PRUDENT_SETTINGS_FILES") or []:
        path = Path(name)
        if path.is_file():
            h.update(path.read_bytes())
    for key in ("PLUGINS", "PLUGIN_PATHS", "MARKDOWN", "READERS", "PATH", "FORMATTED_FIELDS"):
        h.update(f"{key}={settings.get(key)!r}".encode())
    return {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CONTENT_CACHING_LAYER": "reader",
        "CACHE_PATH": str(Path(settings["CACHE_PATH"]) / f"check-{h.hexdigest()[:16]}"),
    }


def check(
    settings_file: str | Path = ROOT / "pelicanconf.py",
    overrides: dict[str, Any] | None = None,
) -> CheckResult:
    """Run the guardrails over everything the build would publish; write nothing.

    Raises BuildFailed when the site cannot even be read (or the policy is malformed).
    """
    _import_paths()
    from sitebuild import fastcheck

    settings_file = Path(settings_file)
    if not (overrides or {}).get("PRUDENT_FULL_CHECK"):
        try:
            fast = fastcheck.fast_check(settings_file, overrides, load_settings)
        except BuildFailed:
            raise
        except Exception:  # the index could not answer: the full check does
            logging.getLogger(__name__).debug("fast check failed", exc_info=True)
            fast = None
        if fast is not None:
            return CheckResult(fast, [])

    from prudent.policy import PolicyError
    from prudent_guardrails import adapter
    from prudent_guardrails.adapter import CheckFinished

    fastcheck.Index(fastcheck.project_root(settings_file, overrides)).forget()
    with tempfile.TemporaryDirectory(prefix="prudent-check-") as scratch:
        settings = load_settings(settings_file, overrides)
        settings = dict(
            settings,
            OUTPUT_PATH=scratch,
            DELETE_OUTPUT_DIRECTORY=False,
            PRUDENT_CHECK_ONLY=True,
            **check_reader_cache(settings),
        )
        root = fastcheck.project_root(settings_file, overrides)
        snapshot = fastcheck.scan(Path(settings["PATH"]).resolve(), root)
        try:
            run_pelican(settings)
        except CheckFinished as done:
            problems = getattr(done, "pelican_problems", [])
            try:
                fastcheck.record(
                    settings,
                    settings_file,
                    overrides,
                    done.report,
                    problems,
                    adapter.last_items,
                    snapshot,
                )
            except Exception:  # no index: the next check is a full one
                logging.getLogger(__name__).debug("cannot index the check", exc_info=True)
            return CheckResult(done.report, problems)
        except PolicyError as exc:
            raise BuildFailed(str(exc)) from None
        except Exception as exc:
            raise BuildFailed(f"Pelican stopped: {type(exc).__name__}: {exc}") from exc
    raise BuildFailed("The guardrails plugin did not run (is 'prudent_guardrails' in PLUGINS?).")
