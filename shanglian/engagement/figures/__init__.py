"""The engagement app's figures (discovered at startup as `<app>.figures`), one module per part; each module
also builds its part of the statistics page (`sections(user, period)`)."""

from . import liaison, party, proposals, representatives  # noqa: F401  (registers the figures)
