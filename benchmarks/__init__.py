"""Benchmarks of the course's performance targets: run ``python -m benchmarks`` (see README.md)."""
