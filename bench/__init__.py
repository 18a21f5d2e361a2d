"""Benchmarks (``make bench``): scripts, not timed tests."""
