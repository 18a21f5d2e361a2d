"""Runs Pelican for the tasks: atomic builds, guardrail checks, serving, publishing."""
