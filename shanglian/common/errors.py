"""The one refusal of the domain: `Refused`.

A service raises `Refused` when the action does not fit the object's state or a rule of the domain
(an appeal already accepted, a policy that expired, a second pending extension …). Nothing was
changed. The message is Chinese and is shown as it is: a page puts it in a message and redraws
(the views catch it), the API answers 409 with it in `detail` (`common.api.exception_handler`).

A role that may not act at all is not a refusal of this kind: that is Django's `PermissionDenied`
(403), and bad input is `ValidationError` (400).
"""


class Refused(Exception):
    """The action is not allowed now; `message` says why (Chinese), `code` names the rule for machines."""

    status_code = 409

    def __init__(self, message, *, code="refused"):
        super().__init__(message)
        self.message = message
        self.code = code


def raise_grouped(errors):
    """Raise one `ValidationError` of every (field, reason) pair collected (a service checks all its input before
    it refuses, so the form shows every reason at once); nothing when the list is empty. `"__all__"` is a reason
    of the whole record."""
    if errors:
        from django.core.exceptions import ValidationError

        grouped = {}
        for name, reason in errors:
            grouped.setdefault(name, []).append(reason)
        raise ValidationError(grouped)
