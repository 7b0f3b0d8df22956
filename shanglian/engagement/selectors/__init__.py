"""Every scoped read of the engagement app, one module per part (`representatives`, `proposals`, `liaison`,
`party`), each starting from the `*_visible_to(user)` of the records it builds on."""
