"""The reports app's selectors, one module per part (external indicators, targets, the annual report)."""
