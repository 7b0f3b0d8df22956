"""The engagement app's forms, one module per part (`representatives`, `proposals`, `liaison`, `party`)."""
