"""Benchmarks of the weekly pipeline: four ratios measured side by side in one run."""
