"""Writes of the organisation's records: chambers, committees, departments, streets, villages, terms and
positions. Each takes the acting user first and a validated form (the model's rules: validators,
constraints, `clean()`), checks the role and the scope again, locks the row it changes, saves and
audits in one transaction (`common.records`: the audit row lists the changes, the detail page's
变更记录 reads them back). Deleting refuses, naming what depends on the record, and deletes nothing.

Editors (`EDITOR_ROLES`) keep every record of their federations; a chamber secretary keeps its own
chamber's profile (`forms.CHAMBER_PROFILE_FIELDS`) and nothing else.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from shanglian.accounts.roles import EDITOR_ROLES, Role, require_role, role_of
from shanglian.common.records import delete_or_refuse, record_saved, snapshot

from . import selectors
from .forms import CHAMBER_PROFILE_FIELDS


def _save(*, actor, form, editable, detail=None):
    """Save a validated ModelForm's record if it lies in `editable` (the actor's editable queryset of
    its model) — or, new, in the actor's federations — and audit the changes."""
    if not form.is_valid():
        raise ValidationError(list(form.errors.values()))
    obj = form.instance
    with transaction.atomic():
        before = None
        if obj.pk is not None:
            current = editable.select_for_update(of=("self",)).filter(pk=obj.pk).first()
            if current is None:
                raise PermissionDenied("您没有修改该记录的权限。")
            before = snapshot(current)
        elif getattr(obj, "federation_id", None) not in selectors.federation_ids_in_scope(actor):
            raise PermissionDenied("不能在您的工商联范围之外新增记录。")
        saved = form.save()
        record_saved(actor=actor, obj=saved, before=before, detail=detail)
    return saved


def _delete(*, actor, obj, editable, detail=None):
    if not editable.filter(pk=obj.pk).exists():
        raise PermissionDenied("您没有删除该记录的权限。")
    delete_or_refuse(actor=actor, obj=obj, detail=detail)


# --- chambers ----------------------------------------------------------------------------------------
def save_chamber(*, actor, form):
    """Editors add and edit every chamber of their federations; a chamber secretary edits its own
    chamber's profile only (another chamber is not in its editable scope)."""
    if role_of(actor) == Role.CHAMBER:
        if form.instance.pk is None or not set(form.changed_data) <= set(CHAMBER_PROFILE_FIELDS):
            raise PermissionDenied("商会秘书处只能修改本商会的基本信息。")
    else:
        require_role(actor, *EDITOR_ROLES)
    return _save(actor=actor, form=form, editable=selectors.chambers_editable_by(actor))


def delete_chamber(*, actor, chamber):
    require_role(actor, *EDITOR_ROLES)
    _delete(actor=actor, obj=chamber, editable=selectors.chambers_editable_by(actor))


# --- committees, departments, streets, villages --------------------------------------------------------
def save_committee(*, actor, form):
    return _save(actor=actor, form=form, editable=selectors.committees_editable_by(actor))


def delete_committee(*, actor, committee):
    _delete(actor=actor, obj=committee, editable=selectors.committees_editable_by(actor))


def save_department(*, actor, form):
    return _save(actor=actor, form=form, editable=selectors.departments_editable_by(actor))


def delete_department(*, actor, department):
    _delete(actor=actor, obj=department, editable=selectors.departments_editable_by(actor))


def save_street(*, actor, form):
    return _save(actor=actor, form=form, editable=selectors.streets_editable_by(actor))


def delete_street(*, actor, street):
    _delete(actor=actor, obj=street, editable=selectors.streets_editable_by(actor))


def save_village(*, actor, form):
    return _save(actor=actor, form=form, editable=selectors.villages_editable_by(actor))


def delete_village(*, actor, village):
    _delete(actor=actor, obj=village, editable=selectors.villages_editable_by(actor))


# --- terms and positions -------------------------------------------------------------------------------
def save_term(*, actor, form):
    return _save(actor=actor, form=form, editable=selectors.terms_editable_by(actor))


def delete_term(*, actor, term):
    """A term with positions is refused (the positions are people's records: remove them first)."""
    _delete(actor=actor, obj=term, editable=selectors.terms_editable_by(actor))


def save_position(*, actor, form):
    """A position of a term the actor may edit, naming a person of the term's federation. Its audit
    rows name the term, whose page shows them."""
    term = form.instance.term
    if not selectors.terms_editable_by(actor).filter(pk=term.pk).exists():
        raise PermissionDenied("您没有修改该届次的权限。")
    if not form.is_valid():
        raise ValidationError(list(form.errors.values()))
    if form.cleaned_data["person"].federation_id != term.federation_id:
        raise PermissionDenied("只能任命本工商联的人员。")
    if form.instance.pk is None:
        # A new position has no federation of its own: it is in scope when its term is.
        with transaction.atomic():
            saved = form.save()
            record_saved(actor=actor, obj=saved, detail={"term": term.pk})
        return saved
    return _save(actor=actor, form=form, editable=selectors.positions_editable_by(actor), detail={"term": term.pk})


def delete_position(*, actor, position):
    _delete(actor=actor, obj=position, editable=selectors.positions_editable_by(actor),
            detail={"term": position.term_id})
