"""One module per part; see the app's docstring (models.py)."""
