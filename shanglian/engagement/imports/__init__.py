"""The engagement app's import kinds (found at startup as `<app>.imports`), one module per part: political
arrangements, proposals and the enterprises' party-member census."""

from . import party, proposals, representatives  # noqa: F401  (registers the import kinds)
