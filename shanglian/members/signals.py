"""What the member registry tells the apps above it about writes that bypass `Model.save()`."""

from django.dispatch import Signal

# Sent with `pairs`: the (chamber id, enterprise id) of active chamber memberships written without save() — by the
# member import, once after its last batch (`MemberRowWriter.announce`): the appeal summaries of those chambers
# follow (appeals.summaries).
chamber_memberships_written = Signal()
