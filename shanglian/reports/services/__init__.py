"""The reports app's services, one module per part (external indicators, targets, the annual report, the kept boards of the 领导驾驶舱)."""
