"""Benchmarks of sk-metricembed against peer embedding systems.

Run from the repository root with ``python -m benchmarks --help``; never part
of the default test run.
"""
