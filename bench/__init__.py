"""Klubba load benchmark: `make bench` (`python -m bench`).

Everything it measures it starts itself on 127.0.0.1 (free ports), in its own process groups,
and stops at the end. See docs/performance.md for the figures and what limits them.
"""
