"""Pelican adapter for Prudent's guardrails: stop the build before anything is written.

``register()`` only wires signals; collecting what Pelican will publish is in
``collect.py`` and the checking itself is the Pelican-free ``prudent`` core.
"""

from pelican import signals

from .adapter import run_guardrails

__all__ = ["register"]


def register() -> None:
    # Every generator has built its context and nothing is written yet.
    # (content_object_init is no good: Pelican swallows exceptions raised there.)
    signals.all_generators_finalized.connect(run_guardrails)
