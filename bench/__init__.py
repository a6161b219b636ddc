"""Benchmarks: they print their figures and compare against a baseline
measured in the same run. Run with ``python -m bench`` (see README)."""
