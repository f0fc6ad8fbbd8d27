"""Benchmarks behind `make bench`. Each module measures one cost and returns its figures."""
