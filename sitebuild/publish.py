"""``make publish``: deploy a green build, and only a green build."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitebuild.build import BuildFailed, build, load_settings


class PublishError(Exception):
    pass


def publish(settings_file: Path, runner: Callable[..., Any]) -> None:
    settings = load_settings(settings_file)
    method = settings.get("DEPLOY_METHOD", "")
    if method not in ("rsync", "ghp-import"):
        raise PublishError(
            "set DEPLOY_METHOD (or PRUDENT_DEPLOY) to 'rsync' or 'ghp-import' in "
            f"{settings_file.name}"
        )
    if method == "rsync" and not settings.get("RSYNC_TARGET"):
        raise PublishError(
            "set RSYNC_TARGET (or PRUDENT_RSYNC_TARGET), e.g. user@host:/var/www/notebook/"
        )
    try:
        result = build(settings_file)
    except BuildFailed as exc:
        raise PublishError(f"the build failed, so nothing was deployed.\n{exc}") from None
    out = result.output
    if method == "rsync":
        runner(f"rsync -avz --delete {out}/ {settings['RSYNC_TARGET']}")
    else:
        branch = settings.get("GITHUB_PAGES_BRANCH", "gh-pages")
        runner(f"ghp-import -n -p -f -b {branch} {out}")
