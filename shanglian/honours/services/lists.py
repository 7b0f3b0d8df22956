"""Publishing a category's list (榜单) and correcting it: acting user first, role, row lock on the category,
state checks under the lock, audit row — in one transaction.

- `publish_list` writes version 1 of the category's list from the ranking as it stands (`ranking.ranking`: the
  list's places and every row tied at the last one), each entry with the enterprise's name as it is on the day.
  Only while the programme is 评审中 and while the category has no current list: of two editors publishing at once,
  the second waits for the first's lock and is then refused — one list.
- `correct_list` writes version n + 1 from the entries given (add, remove, reorder) with a required reason, and
  marks version n superseded (`superseded_at`), in one transaction; a superseded version cannot be corrected
  (only the current one), and a correction that changes nothing is refused.

A published list is never changed in place: `HonourList.save` and `HonourListEntry.save` refuse it
(`models.FrozenList`), and nothing here tries.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, require_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused
from shanglian.common.records import record_saved, snapshot
from shanglian.members.selectors import enterprises_visible_to

from .. import ranking
from ..models import Category, HonourList, HonourListEntry, Programme
from ..selectors.scopes import lists_visible_to, programmes_visible_to

P = Programme.Status
MAX_REASON = 500
MAX_ENTRIES = 200
PUBLISHABLE = (P.SCORING,)
CORRECTABLE = (P.SCORING, P.CLOSED)


@dataclass(frozen=True)
class Entry:
    """A place on a corrected list as the editor gives it: the enterprise and the rank typed (equal ranks tie)."""

    enterprise: object
    rank: int


def _locked_category(actor, category):
    """The category re-read under a row lock with its programme, if it is in the actor's scope (else 403)."""
    pk = category.pk if isinstance(category, Category) else category
    locked = Category.objects.select_for_update().filter(pk=pk).first()
    if locked is None or not programmes_visible_to(actor).filter(pk=locked.programme_id).exists():
        raise PermissionDenied("您无权发布该榜单。")
    locked.programme = Programme.objects.get(pk=locked.programme_id)
    return locked


def current_list(category):
    return HonourList.objects.filter(category=category, superseded_at__isnull=True).first()


def publish_refusal(category, current=None):
    """Why the category's list cannot be published now (None: it can). The page asks before offering the button;
    the service asks again under the lock."""
    programme = category.programme
    if programme.status not in PUBLISHABLE:
        return f"评选当前状态为“{programme.get_status_display()}”，只有评审中的评选可以发布榜单。"
    current = current if current is not None else current_list(category)
    if current is not None:
        return f"“{category.name}”已发布榜单（第{current.version}版），不能重复发布；如需更正，请在榜单页更正。"
    return None


def publish_list(*, actor, category):
    """Publish version 1 of the category's list from its ranking. Returns the list."""
    require_role(actor, *EDITOR_ROLES)
    with transaction.atomic():
        category = _locked_category(actor, category)
        refusal = publish_refusal(category)
        if refusal:
            raise Refused(refusal, code="list_not_publishable")
        result = ranking.ranking(category)
        if not result.listed:
            raise Refused("还没有评审委员完成评分的提名，不能发布榜单。", code="nothing_ranked")
        honour_list = HonourList.objects.create(category=category, version=1, published_at=timezone.now(),
                                                published_by=actor)
        HonourListEntry.objects.bulk_create(
            HonourListEntry(honour_list=honour_list, rank=row.rank, enterprise=row.nomination.enterprise,
                            enterprise_name=row.nomination.enterprise.name, score=row.total, tied=row.tied)
            for row in result.listed)
        record(AuditAction.CREATE, actor=actor, obj=honour_list,
               detail={"action": "publish_list", "version": 1, "entries": len(result.listed),
                       "list_size": category.list_size, "longer": result.longer})
    return honour_list


# --- corrections ---------------------------------------------------------------------------------------------
def competition_ranks(entries):
    """The entries ordered by the rank typed (a stable sort: the order given breaks nothing, equal ranks tie) and
    ranked 1, 2, 2, 4 as the tie rule ranks: [(entry, rank, tied)]."""
    ordered = sorted(entries, key=lambda e: e.rank)
    result = []
    for i, entry in enumerate(ordered):
        same_as_previous = i > 0 and ordered[i - 1].rank == entry.rank
        rank = result[-1][1] if same_as_previous else i + 1
        tied = same_as_previous or (i + 1 < len(ordered) and ordered[i + 1].rank == entry.rank)
        result.append((entry, rank, tied))
    return result


def _entry_errors(actor, entries, reason):
    errors = []
    reason = (reason or "").strip()
    if not reason:
        errors.append("请填写更正原因。")
    elif len(reason) > MAX_REASON:
        errors.append(f"更正原因不能超过 {MAX_REASON} 字（现为 {len(reason)} 字）。")
    if not entries:
        errors.append("更正后的榜单至少要有一家企业。")
    elif len(entries) > MAX_ENTRIES:
        errors.append(f"一个榜单最多 {MAX_ENTRIES} 家企业。")
    seen = set()
    for entry in entries:
        if entry.enterprise.pk in seen:
            errors.append(f"“{entry.enterprise.name}”重复出现，同一企业在一个榜单上只能出现一次。")
        seen.add(entry.enterprise.pk)
        if not isinstance(entry.rank, int) or entry.rank < 1:
            errors.append(f"“{entry.enterprise.name}”的名次应为正整数。")
    outside = seen - set(enterprises_visible_to(actor).filter(pk__in=seen).values_list("pk", flat=True))
    if outside:
        errors.append("所选企业不存在或不在您的管理范围内。")
    if errors:
        raise ValidationError(errors)
    return reason


def correct_list(*, actor, honour_list, entries, reason):
    """Write version n + 1 of a current list from `entries` (`Entry`, any order: ranked by the rank typed) with
    `reason`, and mark version n superseded. Returns the new version."""
    require_role(actor, *EDITOR_ROLES)
    pk = honour_list.pk if isinstance(honour_list, HonourList) else honour_list
    category_id = lists_visible_to(actor).filter(pk=pk).values_list("category_id", flat=True).first()
    if category_id is None:
        raise PermissionDenied("您无权更正该榜单。")
    entries = list(entries)
    reason = _entry_errors(actor, entries, reason)
    with transaction.atomic():
        category = _locked_category(actor, category_id)
        old = HonourList.objects.get(pk=pk)
        if not old.is_current:
            current = current_list(category)
            raise Refused(f"此版本（第{old.version}版）已被更正，不能再更正；请在现行的第{current.version}版上更正。",
                          code="list_superseded")
        if category.programme.status not in CORRECTABLE:
            raise Refused(f"评选当前状态为“{category.programme.get_status_display()}”，不能更正榜单。",
                          code="list_not_correctable")
        ranked = competition_ranks(entries)
        before = list(old.entries.order_by("rank", "id").values_list("enterprise_id", "rank", "tied"))
        if before == [(e.enterprise.pk, rank, tied) for e, rank, tied in ranked]:
            raise Refused("更正后的榜单与现行版本相同，无需更正。", code="list_unchanged")
        kept_scores = dict(old.entries.values_list("enterprise_id", "score"))
        totals = {t.nomination.enterprise_id: t.total for t in ranking.nomination_totals(category)}
        now = timezone.now()
        old_snapshot = snapshot(old)
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
        new = HonourList.objects.create(category=category, version=old.version + 1, reason=reason, published_at=now,
                                        published_by=actor)
        HonourListEntry.objects.bulk_create(
            HonourListEntry(honour_list=new, rank=rank, enterprise=entry.enterprise,
                            enterprise_name=entry.enterprise.name, tied=tied,
                            score=kept_scores.get(entry.enterprise.pk, totals.get(entry.enterprise.pk)))
            for entry, rank, tied in ranked)
        names_before = dict(old.entries.values_list("enterprise_id", "enterprise_name"))
        now_on = {entry.enterprise.pk: entry.enterprise.name for entry, _rank, _tied in ranked}
        record_saved(actor=actor, obj=old, before=old_snapshot, detail={"action": "supersede_list",
                                                                         "superseded_by": new.pk})
        record(AuditAction.CREATE, actor=actor, obj=new, detail={
            "action": "correct_list", "version": new.version, "supersedes": old.pk, "reason": reason,
            "entries": len(ranked),
            "added": [name for pk, name in now_on.items() if pk not in names_before],
            "removed": [name for pk, name in names_before.items() if pk not in now_on],
        })
    return new
