"""One class, one method: ``Guardrails(root).check(site) -> Report``."""

from __future__ import annotations

from pathlib import Path

from prudent.document import Site
from prudent.images import ImageChecker
from prudent.policy import Policy
from prudent.report import Report
from prudent.secrets import SecretUrlRule
from prudent.text import TextChecker


class Guardrails:
    """Loads the policy and every rule once; checks a whole site.

    Raises ``PolicyError`` (with file and line) when the policy is malformed,
    before anything is checked.
    """

    def __init__(
        self, root: Path, policy_path: Path | None = None, *, progress: bool = False
    ) -> None:
        self.root = Path(root)
        self.policy = Policy.load(self.root, policy_path)
        self.text = TextChecker(self.policy, progress=progress)
        self.images = ImageChecker(self.policy, progress=progress)
        # The bookmarks plugin strips secrets from URLs by this rule's settings.
        self.secrets = SecretUrlRule(self.policy)
        # Every rule has read its settings: whatever is left over is a typo.
        self.policy.reject_unknown_keys()

    def check(self, site: Site) -> Report:
        report = Report(findings=list(site.findings))
        # Images first, then their worker processes go before the text models
        # load: NudeNet in each worker and spaCy here never share the memory
        # (peak under 1 GiB on a full cold build; bench/RESULTS.md).
        report.extend(self.images.check(site))
        self.images.release_workers()
        report.extend(self.text.check(site.texts))
        return report
