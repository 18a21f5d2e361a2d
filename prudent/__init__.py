"""Prudent's guardrail core: pure functions from documents to findings.

Nothing in this package imports Pelican; the Pelican adapter lives in
``plugins/prudent_guardrails``. The same core serves the build, the standalone
``python -m prudent check`` command and the tests.
"""

from prudent.findings import Allowance, Finding, Location, Severity

__all__ = ["Allowance", "Finding", "Location", "Severity"]
