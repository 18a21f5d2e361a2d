# The fixtures live in tests/fixtures.py (loaded for every test folder by the
# root conftest.py); re-exported here for ``from tests.conftest import ...``.
from tests.fixtures import ROOT, SHARED, copy_project, tree_digest

__all__ = ["ROOT", "SHARED", "copy_project", "tree_digest"]
