"""Speed against baselines measured in the same run, on the same data: `python -m benchmarks`.

A report, not a test: it prints our time, the baseline's, their ratio and the target ratio for
each measure, and exits 0. See benchmarks/README.md.
"""
