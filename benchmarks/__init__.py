"""Benchmarks: speed and memory measured on generated sites (`make bench`); never part of `make test`."""
