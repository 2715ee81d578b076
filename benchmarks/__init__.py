"""Benchmarks: synthetic chronicles, the same records as a Hugo site, and the harness that times both."""
