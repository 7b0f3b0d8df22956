"""Reads of 光彩公益, one module per part; every read starts from a scope of `scopes`."""
