"""How often real SVGs would be refused for loading something from elsewhere.

    .venv/bin/python bench/svg_references.py [FOLDER ...]

Runs ``prudent.images.svg.scan_svg`` on every ``*.svg`` under the folders
(default: the 18F corpus's images and the machine's icon themes in
/usr/share/icons and /usr/share/pixmaps: SVGs nobody here wrote) and prints
how many carry an external reference (refused as ``unscannable-image``), how
many are active (``unsafe-svg``) and how many cannot be read, with examples.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from importer.corpus import corpus_dir  # noqa: E402
from prudent.images.decode import Unscannable  # noqa: E402
from prudent.images.svg import scan_svg  # noqa: E402


def main(folders: list[Path]) -> None:
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.svg")):
            if not path.is_file():
                continue
            try:
                result = scan_svg(path.read_bytes(), max_bytes=20_000_000)
            except Unscannable as exc:
                kind, detail = "unreadable", str(exc)
            except OSError:
                continue
            else:
                if result.external:
                    kind, detail = "external", result.external[0]
                elif result.active:
                    kind, detail = "active", result.active[0]
                else:
                    kind, detail = "clean", ""
            counts[kind] += 1
            if kind != "clean" and len(examples.setdefault(kind, [])) < 5:
                examples[kind].append(f"{path}: {detail}")
    total = sum(counts.values())
    print(f"{total:,} SVG files under {', '.join(str(f) for f in folders)}")
    for kind in ("clean", "external", "active", "unreadable"):
        print(f"  {kind:<10} {counts[kind]:>7,}")
        for example in examples.get(kind, []):
            print(f"      {example}")


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    if not args:
        args = [p for p in (Path("/usr/share/icons"), Path("/usr/share/pixmaps")) if p.is_dir()]
        corpus = corpus_dir()
        if corpus is not None and (corpus / "assets").is_dir():
            args.insert(0, corpus / "assets")
    main(args)
