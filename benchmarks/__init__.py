"""Side-by-side speed benchmarks of gdl's layers against the peer libraries (not tests).

Run ``python -m benchmarks.run --help``; see benchmarks/README.md.
"""
