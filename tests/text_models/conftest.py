"""Fixtures for the model-based text rules: the real lists, models loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from prudent.policy import Policy
from prudent.text.personal_attack import PersonalAttackDetector
from prudent.text.workplace_complaint import WorkplaceComplaintDetector

ROOT = Path(__file__).resolve().parents[2]
EMPLOYERS = ["Acme Corp", "Acme"]


def make_policy(root: Path = ROOT, **rules: dict) -> Policy:
    """A policy over the project's own lists (guardrails/), with ``rules`` set."""
    data = {"rules": {name.replace("_", "-"): keys for name, keys in rules.items()}}
    return Policy(root=root, data=data, text="")


@pytest.fixture(scope="session")
def attacks() -> PersonalAttackDetector:
    return PersonalAttackDetector(make_policy())


@pytest.fixture(scope="session")
def complaints() -> WorkplaceComplaintDetector:
    return WorkplaceComplaintDetector(
        make_policy(workplace_complaint={"employer_names": EMPLOYERS})
    )
