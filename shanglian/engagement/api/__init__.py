"""/api/v1/ for the engagement app: the representative database (read, scoped, PII masked), proposals (with
their workflow actions) and visits."""
