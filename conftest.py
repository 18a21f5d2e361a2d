# Fixtures shared by tests/ and the tests that sit next to plugin code.
pytest_plugins = ["tests.fixtures"]
