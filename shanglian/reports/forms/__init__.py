"""The reports app's forms, one module per part (external indicators, targets, the annual report)."""
