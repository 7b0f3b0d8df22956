"""保存的筛选: a sender (`SENDER_ROLES`) names a set of the member registry's filters to send notices and surveys to.
An editor's filter belongs to its federation; a chamber secretary's to its chamber (it looks only among the
chamber's active members). The name is unique in the federation (or the chamber) — a Chinese refusal, nothing
written. A filter that a notice or a survey was sent to stays (it is part of their record): deleting it is refused
naming them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from shanglian.accounts.roles import Role, role_of
from shanglian.common.records import delete_or_refuse, record_saved, snapshot

from ..models import SavedFilter
from ..selectors.audience import FILTER_CRITERIA
from ..selectors.scopes import saved_filters_visible_to
from .notices import home_of

MAX_NAME = 50


def filters_kept_by(actor):
    """The saved filters `actor` may change: an editor its federations' (not a chamber's), a chamber its own."""
    home_of(actor)  # 403 for a role that does not send
    visible = saved_filters_visible_to(actor)
    return visible if role_of(actor) == Role.CHAMBER else visible.filter(chamber__isnull=True)


def _duplicate(federation, chamber, name, exclude=None):
    qs = SavedFilter.objects.filter(name=name)
    qs = qs.filter(chamber=chamber) if chamber is not None else qs.filter(federation=federation, chamber__isnull=True)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


def save_filter(*, actor, saved_filter=None, name, criteria):
    """Create (`saved_filter` None) or change a saved filter; returns it."""
    federation, chamber = home_of(actor)
    name = (name or "").strip()
    criteria = {k: v for k, v in (criteria or {}).items() if k in FILTER_CRITERIA and v not in (None, "")}
    if role_of(actor) == Role.CHAMBER:
        criteria.pop("chamber", None)  # a chamber's filter is its chamber's members already
    if not name:
        raise ValidationError({"name": "请填写筛选的名称。"})
    if len(name) > MAX_NAME:
        raise ValidationError({"name": f"名称不能超过 {MAX_NAME} 字。"})
    with transaction.atomic():
        if saved_filter is not None:
            if not filters_kept_by(actor).filter(pk=saved_filter.pk).exists():
                raise PermissionDenied("您无权修改该筛选。")
            saved_filter = SavedFilter.objects.select_for_update().get(pk=saved_filter.pk)
            federation, chamber = saved_filter.federation, saved_filter.chamber
        if _duplicate(federation, chamber, name, exclude=saved_filter):
            raise ValidationError({"name": "本商会已有同名的筛选。" if chamber is not None else "已有同名的筛选。"})
        before = snapshot(saved_filter) if saved_filter is not None else None
        try:
            with transaction.atomic():
                if saved_filter is None:
                    saved_filter = SavedFilter.objects.create(federation=federation, chamber=chamber, name=name,
                                                              criteria=criteria, created_by=actor)
                else:
                    saved_filter.name, saved_filter.criteria = name, criteria
                    saved_filter.save(update_fields=["name", "criteria"])
        except IntegrityError:  # the same name saved at the same moment
            raise ValidationError({"name": "已有同名的筛选。"}) from None
        record_saved(actor=actor, obj=saved_filter, before=before)
    return saved_filter


def delete_filter(*, actor, saved_filter):
    if not filters_kept_by(actor).filter(pk=saved_filter.pk).exists():
        raise PermissionDenied("您无权删除该筛选。")
    delete_or_refuse(actor=actor, obj=saved_filter)
