"""Reads of 评选表彰 and 商会评估, one module per part; every read starts from a scope of `scopes`."""
