"""``prudent check [--format text|json|sarif] [--output F] FILES...``, ``prudent report
[FILES...]`` and ``prudent init DIR``.

``check`` runs the build's text guardrails standalone: an author's pre-commit
hook or an editor runs them on Markdown (HTML, reStructuredText) files without
Pelican. Exit status: 0 when there is no error, 1 when there is at least one, 2
for a usage or policy error (nothing checked). ``report`` writes the same
findings as the review page a person reads (``prudent/review.py``); without
files it reviews the whole notebook through its Pelican build
(``prudent_guardrails/review.py``). ``init`` starts a notebook
(``prudent/init.py``). ``python -m prudent`` is the same command.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from prudent.document import HTML, MARKDOWN, PLAIN, RST, TextDocument
from prudent.encoding import NotUtf8Error, read_text
from prudent.findings import Finding
from prudent.policy import POLICY_FILE, Policy, PolicyError
from prudent.report import Report

_KINDS = {
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".mkd": MARKDOWN,
    ".html": HTML,
    ".htm": HTML,
    ".rst": RST,
    ".txt": PLAIN,
}


class UsageError(Exception):
    pass


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` with a guardrails.toml (the project)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / POLICY_FILE).is_file():
            return folder
    return start


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prudent",
        description="Prudent's publishing guardrails, standalone.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser(
        "check",
        help="check Markdown/HTML/reST files with the text guardrails",
        description="Check files with the text guardrails. Exit 0: no error; 1: errors; "
        "2: usage or policy error.",
    )
    check.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="files, or folders to check every Markdown, HTML and reST file under",
    )
    check.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    check.add_argument("--output", "-o", metavar="F", help="write the report to F")
    check.add_argument(
        "--root",
        metavar="DIR",
        help="project root (default: the nearest folder above the current one with "
        "guardrails.toml); lists are read from DIR/guardrails/",
    )
    check.add_argument(
        "--policy", metavar="TOML", help="policy file (default: ROOT/guardrails.toml)"
    )
    check.add_argument("--no-cache", action="store_true", help="check every file afresh")
    report = sub.add_parser(
        "report",
        help="write the review page (report/index.html) a person reads",
        description="Write report/index.html: every finding in its context, flagged images "
        "drawn, allowances with their reasons. With FILES, the text guardrails on those "
        "files; without, the whole notebook through its build (pelicanconf.py), images "
        "included. Exit 0: no error; 1: errors; 2: nothing could be reviewed.",
    )
    report.add_argument(
        "files", nargs="*", metavar="FILE", help="files or folders (default: the whole notebook)"
    )
    report.add_argument(
        "--output", "-o", metavar="DIR", help="the report's folder (default: ROOT/report)"
    )
    report.add_argument("--root", metavar="DIR", help="project root (as for check)")
    report.add_argument("--policy", metavar="TOML", help="policy file (files only)")
    report.add_argument(
        "--settings",
        metavar="PY",
        default="pelicanconf.py",
        help="Pelican settings, relative to ROOT, for the whole notebook (default: %(default)s)",
    )
    report.set_defaults(no_cache=False)
    init = sub.add_parser(
        "init",
        help="start a notebook: the theme, settings, policy and sample posts",
        description="Start a notebook in DIR (a new or empty folder) from the shipped theme, "
        "settings, policy and sample posts; it builds with `pelican content`.",
    )
    init.add_argument("dir", metavar="DIR", help="the new notebook's folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] not in ("check", "report", "init", "-h", "--help"):
        argv = ["check", *argv]  # the `prudent-check FILES...` script
    args = parser.parse_args(argv)
    if args.command == "init":
        return _init(Path(args.dir))
    try:
        return _report(args) if args.command == "report" else _check(args)
    except (PolicyError, UsageError) as exc:
        print(f"prudent: {exc}", file=sys.stderr)
        print("Nothing was checked.", file=sys.stderr)
        return 2
    except Exception as exc:  # a model that cannot load, a detector that fails: fail closed
        print(f"prudent: the check could not run: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("Nothing was checked; fix the cause above and run it again.", file=sys.stderr)
        return 2


def _init(dest: Path) -> int:
    from prudent.init import InitError, init_notebook, next_steps

    try:
        init_notebook(dest)
    except (InitError, OSError) as exc:
        print(f"prudent init: {exc}", file=sys.stderr)
        return 2
    print(next_steps(dest), end="")
    return 0


def _check(args: argparse.Namespace) -> int:
    from prudent.encoding import RULE as ENCODING_RULE
    from prudent.encoding import RULE_DOC as ENCODING_RULE_DOC
    from prudent.text import RULE_DOCS

    report = _text_report(args)
    if args.format == "json":
        out = report.to_json()
    elif args.format == "sarif":
        out = report.to_sarif({**RULE_DOCS, ENCODING_RULE: ENCODING_RULE_DOC})
    else:
        out = report.to_text()
    if not out.endswith("\n"):
        out += "\n"
    if args.output:
        try:
            Path(args.output).write_text(out, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
        print(report.summary())
    else:
        sys.stdout.write(out)
    return 1 if report.failed else 0


def _report(args: argparse.Namespace) -> int:
    root = _root(args)
    out = Path(args.output).resolve() if args.output else root / "report"
    if not args.files:
        return _report_notebook(root, args.settings, out)
    from prudent.review import write_review

    report = _text_report(args)
    try:
        page = write_review(report, root, out)
    except OSError as exc:
        raise UsageError(f"cannot write the report in {out}: {exc.strerror}") from None
    print(report.summary())
    print(f"Wrote {page}: open it in a browser (file://{page}).")
    return 1 if report.failed else 0


def _report_notebook(root: Path, settings: str, out: Path) -> int:
    """The whole notebook, images included: its own Pelican build in review mode.

    Pelican runs in a child process so that this core module never imports it;
    the guardrails plugin writes the page (``PRUDENT_REVIEW_DIR``).
    """
    conf = root / settings
    if not conf.is_file():
        raise UsageError(
            f"{conf}: no Pelican settings here; run `prudent report` in a notebook "
            "(see `prudent init`), pass --root, or name the files to review"
        )
    extra = {
        "PRUDENT_REVIEW": True,
        "PRUDENT_REVIEW_DIR": str(out),
        "OUTPUT_PATH": str(out / "site"),
        "DELETE_OUTPUT_DIRECTORY": True,
        "RELATIVE_URLS": True,
    }
    command = [sys.executable, "-m", "pelican", "--settings", str(conf)]
    command += ["--extra-settings", *(f"{key}={_json(value)}" for key, value in extra.items())]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True)
    page = out / "index.html"
    if done.returncode != 0 or not page.is_file():
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-12:])
        print(f"prudent report: the notebook could not be reviewed:\n{tail}", file=sys.stderr)
        return 2
    sys.stdout.write(done.stdout)
    import json

    try:
        errors = json.loads((out / "report.json").read_text(encoding="utf-8"))["errors"]
    except (OSError, ValueError, KeyError):
        errors = 1  # no verdict to read: fail closed
    return 1 if errors else 0


def _json(value: object) -> str:
    import json

    return json.dumps(value)


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve() if args.root else find_root(Path.cwd())


def _text_report(args: argparse.Namespace) -> Report:
    from prudent.text import TextChecker

    root = _root(args)
    policy_path = Path(args.policy).resolve() if args.policy else None
    if policy_path is not None and not policy_path.is_file():
        raise UsageError(f"{args.policy}: no such policy file")
    policy = Policy.load(root, policy_path)
    docs: list[TextDocument] = []
    unreadable: list[Finding] = []
    for path in _expand(args.files):
        try:
            docs.append(_read(path, root))
        except NotUtf8Error as exc:  # reported like a finding; the other files are checked
            unreadable.append(exc.diagnosis.finding(exc.path))
    checker = TextChecker(policy, cache=not args.no_cache)
    _mark_other_sections(policy)
    policy.reject_unknown_keys()
    report: Report = checker.check(docs)
    report.findings.extend(unreadable)
    return report


def _expand(names: list[str]) -> list[Path]:
    """Files as given; a folder stands for the Markdown, HTML and reST files under it.

    Bookmark exports (under a ``bookmarks`` folder) are left to ``make check``:
    only the build knows which of their entries are public.
    """
    out: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in _FOLDER_KINDS
                and "bookmarks" not in p.relative_to(path).parts[:-1]
            )
            if not found:
                raise UsageError(f"{name}: no Markdown, HTML or reST files in this folder")
            out.extend(found)
        else:
            out.append(path)
    return out


_FOLDER_KINDS = frozenset(k for k in _KINDS if k != ".txt")


def _read(path: Path, root: Path) -> TextDocument:
    try:
        rel = path.resolve().relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    try:
        text = read_text(path, rel)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: a folder where a file was expected") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror})") from None
    return TextDocument(rel, text, _KINDS.get(path.suffix.lower(), MARKDOWN))


def _mark_other_sections(policy: Policy) -> None:
    """Sections of rules this command does not run (images, bookmarks) are not typos.

    The build validates them; here only the text rules' keys are checked, so a
    typo in a text rule's section still stops the check with its line.
    """
    from prudent.text import TEXT_RULES

    rules = policy.data.get("rules", {})
    if isinstance(rules, dict):
        for name in rules:
            if name not in TEXT_RULES:
                policy.mark_read(f"rules.{name}")
                _mark_all(policy, f"rules.{name}", rules[name])
    for name, value in policy.data.items():
        if name not in ("rules", "allow"):
            _mark_all(policy, name, value)


def _mark_all(policy: Policy, dotted: str, value: object) -> None:
    policy.mark_read(dotted)
    if isinstance(value, dict):
        for k, v in value.items():
            _mark_all(policy, f"{dotted}.{k}", v)
