"""The demo case's generator, one module per kind of evidence (examples/make_case.py runs them)."""
