"""`python -m benchmarks`: run every measure and print the report (see benchmarks/README.md)."""

from __future__ import annotations

from benchmarks.runner import main

if __name__ == "__main__":
    raise SystemExit(main())
