"""Every write of the engagement app, one module per part: `representatives` (arrangements, honours,
cultivation plans), `proposals`, `liaison` (assignments, visits, the appeal a visit opens) and `party`
(organisations, activities, census, instructors). Each function takes the acting user first, checks the role
and the scope, locks what it changes, runs in a transaction and writes the audit row."""
