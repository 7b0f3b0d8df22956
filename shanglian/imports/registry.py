"""The import kinds: each app registers its own from its `imports.py` (found at startup by
`ImportsConfig.ready()`), so a new app adds an import kind without editing any other app:

    # events/imports.py
    from shanglian.imports.registry import import_kind

    @import_kind("events")
    class EventImportSpec(ImportSpec): ...

A kind names the `ImportSpec` class that checks and writes its rows; jobs and pages find it here."""

from django.core.exceptions import ImproperlyConfigured

_KINDS = {}


def register(kind, spec_class):
    """Register `spec_class` (an ImportSpec subclass, built as `spec_class(actor=user)`) under `kind`.
    Registering the same class again is harmless; another class under a taken kind is an error."""
    if len(kind) > 30:
        raise ImproperlyConfigured(f"import kind {kind!r} is longer than 30 characters (ImportJob.kind)")
    taken = _KINDS.get(kind)
    if taken is not None and taken is not spec_class:
        raise ImproperlyConfigured(f"import kind {kind!r} is already registered by {taken.__module__}.{taken.__name__}")
    _KINDS[kind] = spec_class
    return spec_class


def import_kind(kind):
    """Class decorator: `@import_kind("members")` on the spec class registers it."""
    return lambda spec_class: register(kind, spec_class)


def unregister(kind):
    """Remove a kind (for tests that register a kind of their own)."""
    _KINDS.pop(kind, None)


def is_registered(kind):
    return kind in _KINDS


def spec_class(kind):
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"no import kind {kind!r} is registered") from None


def spec_for(kind, actor):
    """The kind's ImportSpec for `actor` (the spec checks the actor's permission when built)."""
    return spec_class(kind)(actor=actor)


def kinds():
    """The registered kinds, sorted."""
    return sorted(_KINDS)
