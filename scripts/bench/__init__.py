"""The parts of scripts/benchmark.py: loading a city, timing the evaluations, the pages and the saves, the report."""
