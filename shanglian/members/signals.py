"""What the member registry tells the apps above it about writes that bypass `Model.save()`."""

from django.dispatch import Signal

# Sent with `pairs`: the (chamber id, enterprise id) of active chamber memberships written without save() (the
# member import's multi-row INSERTs): the appeal summaries of those chambers follow (appeals.summaries).
chamber_memberships_written = Signal()
