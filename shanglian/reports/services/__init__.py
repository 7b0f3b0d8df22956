"""The reports app's services, one module per part (external indicators, targets, the annual report)."""
