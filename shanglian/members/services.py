"""Writes on the member registry: acting user first, permission, transaction, audit."""

from django.core.exceptions import PermissionDenied


# --- Personal data --------------------------------------------------------------------------------
def reveal_person_pii(*, actor, person, purpose):
    """Record that `actor` viewed a person's full ID number and mobile, and why (PIPL Art. 51, ASVS
    8.3.5: the audit row names the subject and purpose, never the values)."""
    from shanglian.audit.models import AuditAction
    from shanglian.audit.services import record

    from .selectors import can_view_pii, persons_visible_to

    if not can_view_pii(actor) or not persons_visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("您没有查看完整个人信息的权限。")
    record(AuditAction.PII_VIEW, actor=actor, obj=person,
           detail={"fields": ["id_number", "mobile"], "purpose": purpose[:100]})
