"""The distribution's layout; its metadata and dependencies are in pyproject.toml.

Files stay where the project keeps them; the wheel gets:
- ``prudent`` (the core) with its package data;
- the plugins in ``plugins/`` as Pelican namespace plugins,
  ``pelican.plugins.prudent_guardrails`` (and ``_bookmarks``, ``_crosspost``),
  which Pelican finds by themselves, as it finds the pelican-plugins packages;
- a copy of the starter notebook (settings, policy, ``guardrails/`` lists and
  references, theme, sample content) as ``prudent/_notebook``: the defaults a
  site without its own ``guardrails/`` reads, and what ``prudent init`` copies.
"""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PLUGINS = ("prudent_guardrails", "prudent_bookmarks", "prudent_crosspost")
# What a notebook is made of: one list, in the module that finds them at run time.
NOTEBOOK_PARTS = runpy.run_path(str(HERE / "prudent" / "shipped.py"))["NOTEBOOK_PARTS"]
NOT_SHIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", ".DS_Store")


def layout() -> tuple[list[str], dict[str, str]]:
    packages = find_packages(include=["prudent", "prudent.*"])
    package_dir = {}
    for name in PLUGINS:
        top = f"pelican.plugins.{name}"
        packages.append(top)
        package_dir[top] = f"plugins/{name}"
        for sub in find_packages(f"plugins/{name}"):
            packages.append(f"{top}.{sub}")
            package_dir[f"{top}.{sub}"] = f"plugins/{name}/{sub.replace('.', '/')}"
    return packages, package_dir


class BuildWithNotebook(build_py):
    """build_py, less the tests that sit beside plugin code, plus the notebook."""

    def find_package_modules(self, package, package_dir):
        modules = super().find_package_modules(package, package_dir)
        return [m for m in modules if not m[1].startswith("test_")]

    def run(self) -> None:
        super().run()
        dest = Path(self.build_lib) / "prudent" / "_notebook"
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        for part in NOTEBOOK_PARTS:
            src = HERE / part
            if src.is_dir():
                shutil.copytree(src, dest / part, ignore=NOT_SHIPPED)
            else:
                shutil.copy2(src, dest / part)


packages, package_dir = layout()
setup(packages=packages, package_dir=package_dir, cmdclass={"build_py": BuildWithNotebook})
