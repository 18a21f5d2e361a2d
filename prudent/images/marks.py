"""The government marks Prudent ships: copies of the files governments publish on npm.

Each mark in ``prudent/data/marks/marks.toml`` names the npm package and version
it comes from, the file inside the package, that file's SHA-256 and how the SVG
was taken from it (``copy``, or cut out of a Nunjucks template where a design
system draws its logo inline). The copies are checked in, so the build needs no
npm and works when Prudent is pip-installed into another site;
``tests/images/test_marks.py`` re-extracts every mark from the packages that
``npm ci`` installs (pinned in ``package-lock.json``) and demands identical bytes.

    python -m prudent.images.marks vendor   # after bumping a package: rewrite the copies
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "marks"
MANIFEST = DATA / "marks.toml"


@dataclass(frozen=True)
class Mark:
    id: str  # stable id, used in findings and in the policy
    name: str  # what a finding calls it
    family: str  # e.g. "GOV.UK", "Government of Canada", "NHS"
    package: str  # npm package name
    version: str  # exact version
    source: str  # path inside the package
    source_sha256: str
    extract: str  # how the SVG is taken from the source (see EXTRACTORS)
    file: str  # the vendored SVG, in prudent/data/marks/
    sha256: str  # of the vendored SVG
    licence: str
    ignore_paths: tuple[int, ...] = ()  # <path> elements (0-based) that are a flag: not matched

    @property
    def path(self) -> Path:
        return DATA / self.file

    @property
    def origin(self) -> str:
        return f"{self.package} {self.version}"


class MarkError(Exception):
    """The shipped marks are damaged (a file missing or changed): reinstall Prudent."""


def load_marks(manifest: Path = MANIFEST) -> list[Mark]:
    data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    marks = []
    for entry in data["mark"]:
        entry = dict(entry)
        entry["ignore_paths"] = tuple(entry.get("ignore_paths", ()))
        marks.append(Mark(**entry))
    return marks


def verified_svg(mark: Mark) -> bytes:
    """The vendored SVG, refused unless it has the digest the manifest records."""
    try:
        data = mark.path.read_bytes()
    except OSError as exc:
        raise MarkError(
            f"{mark.path}: the shipped mark {mark.id} cannot be read ({exc.strerror}); "
            "reinstall Prudent (pip install --force-reinstall, or git checkout prudent/data)"
        ) from None
    if hashlib.sha256(data).hexdigest() != mark.sha256:
        raise MarkError(
            f"{mark.path}: the shipped mark {mark.id} does not have the SHA-256 recorded in "
            f"{MANIFEST.name}; restore it (git checkout prudent/data/marks) or re-vendor it "
            "from npm (python -m prudent.images.marks vendor)"
        )
    return data


# -- taking the SVGs out of the packages -------------------------------------------------

_SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'


def _njk_block(text: str, name: str) -> str:
    m = re.search(
        r"\{%-?\s*set " + re.escape(name) + r"\s*%\}(.*?)\{%-?\s*endset\s*%\}", text, re.S
    )
    if not m:
        raise MarkError(
            f"no '{{% set {name} %}}' block: the template changed, update the extractor"
        )
    return _tidy(m.group(1))


def _tidy(markup: str) -> str:
    return "\n".join(line.strip() for line in markup.strip().splitlines() if line.strip())


def _govuk_crown(text: str) -> str:
    # The Tudor crown alone: the macro draws it in the first 64 x 60 units.
    return f'<svg {_SVG_NS} viewBox="0 0 64 60">\n{_njk_block(text, "_tudorCrown")}\n</svg>\n'


def _govuk_logo(text: str) -> str:
    # Crown and "GOV.UK" logotype: the macro's viewBox is 2 x (32 + 130) wide, 60 high.
    crown, logotype = _njk_block(text, "_tudorCrown"), _njk_block(text, "_logotype")
    return f'<svg {_SVG_NS} viewBox="0 0 324 60">\n{crown}\n{logotype}\n</svg>\n'


def _nhsuk_logo(text: str) -> str:
    m = re.search(r'<svg class="nhsuk-header__logo".*?</svg>', text, re.S)
    if not m:
        raise MarkError("no nhsuk-header__logo <svg> in the header template: update the extractor")
    svg = re.sub(r"\{\{.*?\}\}", "NHS", m.group(0))  # the template's alt text, defaulting to NHS
    svg = re.sub(r'\s(?:aria-label|class|focusable|role)="[^"]*"', "", svg)
    if "{{" in svg or "{%" in svg:
        raise MarkError("template code left in the NHS logo: update the extractor")
    return _tidy(svg) + "\n"


def _copy(text: str) -> str:
    return text


EXTRACTORS = {
    "copy": _copy,
    "govuk-crown": _govuk_crown,
    "govuk-logo": _govuk_logo,
    "nhsuk-header-logo": _nhsuk_logo,
}


def extract(mark: Mark, package_dir: Path) -> bytes:
    """The SVG for ``mark``, taken from the installed package (for vendoring and its test)."""
    source = package_dir / mark.source
    raw = source.read_bytes()
    if mark.extract == "copy":
        return raw
    return EXTRACTORS[mark.extract](raw.decode("utf-8")).encode("utf-8")


def installed_version(package_dir: Path) -> str:
    return str(json.loads((package_dir / "package.json").read_text(encoding="utf-8"))["version"])


def vendor(node_modules: Path, manifest: Path = MANIFEST) -> list[str]:
    """Rewrite the vendored copies and their digests from ``node_modules`` (after ``npm ci``)."""
    text = manifest.read_text(encoding="utf-8")
    changed = []
    for mark in load_marks(manifest):
        pkg = node_modules / mark.package
        svg = extract(mark, pkg)
        (manifest.parent / mark.file).write_bytes(svg)
        fields = {
            "version": installed_version(pkg),
            "source_sha256": hashlib.sha256((pkg / mark.source).read_bytes()).hexdigest(),
            "sha256": hashlib.sha256(svg).hexdigest(),
        }
        start = text.index(f'id = "{mark.id}"')
        end = text.find("[[mark]]", start)
        end = len(text) if end < 0 else end
        block = text[start:end]
        for key, value in fields.items():
            block = re.sub(rf'(?m)^{key} = "[^"]*"', f'{key} = "{value}"', block)
        if block != text[start:end]:
            changed.append(mark.id)
        text = text[:start] + block + text[end:]
    manifest.write_text(text, encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    if argv[:1] != ["vendor"]:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    root = Path(argv[1]) if len(argv) > 1 else Path("node_modules")
    changed = vendor(root)
    print(
        f"vendored {len(load_marks())} marks from {root}; changed: {', '.join(changed) or 'none'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
