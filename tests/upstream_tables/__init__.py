"""Rows of upstream Go test tables, ported for the public helpers DESIGN.md names."""
