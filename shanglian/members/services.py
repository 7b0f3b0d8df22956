"""Writes on the member registry: acting user first, permission, transaction, audit."""

from django.core.exceptions import PermissionDenied

from shanglian.common.excel import run_import, template_xlsx

from .imports import MemberImportSpec


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


# --- Member import --------------------------------------------------------------------------------
def import_members(*, actor, path, dry_run=False, valid_only=False, progress=None):
    """Import the member spreadsheet at `path` into the actor's federation.

    Staff and the sysadmin of a federation only (PermissionDenied otherwise). Every row is checked
    first-to-last; unless `dry_run`, the clean rows are written in batches inside one transaction —
    nothing at all when a row failed, unless `valid_only`. One audit row per committed import, with
    counts only. Returns the `ImportReport`; raises `ExcelError` for a file that cannot be read."""
    spec = MemberImportSpec(actor=actor)
    return run_import(spec, path, dry_run=dry_run, valid_only=valid_only, progress=progress)


def member_import_template(*, actor):
    """The import template (bytes), with the federation's dictionaries, streets and chambers as dropdowns."""
    spec = MemberImportSpec(actor=actor)
    from shanglian.orgs.models import Chamber, Street

    chambers = list(Chamber.objects.filter(federation=spec.federation).order_by("name").values_list("name", flat=True))
    streets = list(Street.objects.filter(federation=spec.federation).order_by("code").values_list("name", flat=True))
    return template_xlsx(spec, {"street": streets, "chamber": chambers, "group_name": chambers})
