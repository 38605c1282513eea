"""Benchmarks: each `bench_*.py` script measures our path against a floor or a peer."""
