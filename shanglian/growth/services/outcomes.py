"""Writes of 对接成果 (matchmaking outcomes): recorded by the editors (sysadmin, staff) of the federation.

An outcome is a deal (达成合作, amount), financing (获得融资, amount) or hiring (招聘用工, jobs filled) of an enterprise of
the editor's federations, from a post of the board, a matchmaking event (洽谈会, 融资推介会, 推介会, 招聘会) or both; the
partner is a member enterprise or named in words. Rules (a `ValidationError` keyed by the form's field, in Chinese,
nothing written): a kind; a deal or financing has an amount above zero (yuan, to the fen), hiring has jobs ≥ 1; the
post and the event belong to the outcome's federation (and the event is of a matchmaking kind); the post is the
enterprise's or the partner's; the partner is not the enterprise itself; the date is not in the future.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shanglian.common.records import delete_or_refuse, record_saved, snapshot

from ..models import MatchOutcome
from ..selectors import board as selectors
from ..selectors.scopes import posts_visible_to

K = MatchOutcome.Kind
CENT = Decimal("0.01")
NO_KIND = "请选择成果类型。"
NO_AMOUNT = "达成合作或获得融资须填写金额（元），且大于0。"
TOO_PRECISE = "金额最多保留两位小数（精确到分）。"
NO_JOBS = "招聘用工须填写招聘人数（至少1人）。"
NO_DATE = "请填写达成日期。"
FUTURE = "达成日期不能晚于今天。"
OUT_OF_SCOPE = "所选{noun}不存在或不在您的管理范围内。"
OTHER_FEDERATION = "所选{noun}与企业不属于同一工商联。"
SAME_PARTNER = "对接企业不能是企业本身。"
POST_NOT_THEIRS = "所选供需信息须由该企业或对接企业发布。"
NOT_TRACED = "请至少关联一条供需信息或一场对接活动，说明成果从何而来。"


def outcome_errors(*, actor, kind, enterprise, partner, post, event, reached_on, amount, jobs):
    errors = {}
    if kind not in K.values:
        errors["kind"] = NO_KIND
    elif kind == K.HIRING:
        if not jobs or jobs < 1:
            errors["jobs"] = NO_JOBS
    elif amount is None or amount <= 0:
        errors["amount"] = NO_AMOUNT
    if amount is not None and amount != amount.quantize(CENT):
        errors["amount"] = TOO_PRECISE
    if reached_on is None:
        errors["reached_on"] = NO_DATE
    elif reached_on > timezone.localdate():
        errors["reached_on"] = FUTURE
    enterprises = selectors.posting_enterprises(actor)
    if enterprise is None or not enterprises.filter(pk=enterprise.pk).exists():
        errors["enterprise"] = OUT_OF_SCOPE.format(noun="企业")
        return errors
    if partner is not None:
        if partner.pk == enterprise.pk:
            errors["partner"] = SAME_PARTNER
        elif not enterprises.filter(pk=partner.pk).exists():
            errors["partner"] = OUT_OF_SCOPE.format(noun="对接企业")
    if post is None and event is None:
        errors["__all__"] = NOT_TRACED
    if post is not None:
        if not posts_visible_to(actor).filter(pk=post.pk).exists():
            errors["post"] = OUT_OF_SCOPE.format(noun="供需信息")
        elif post.federation_id != enterprise.federation_id:
            errors["post"] = OTHER_FEDERATION.format(noun="供需信息")
        elif post.enterprise_id not in {enterprise.pk, getattr(partner, "pk", None)}:
            errors["post"] = POST_NOT_THEIRS
    if event is not None:
        if not selectors.matchmaking_events(actor).filter(pk=event.pk).exists():
            errors["event"] = "所选对接活动不存在、不在您的管理范围内或不是对接类活动。"
        elif event.federation_id != enterprise.federation_id:
            errors["event"] = OTHER_FEDERATION.format(noun="对接活动")
    return errors


def save_outcome(*, actor, outcome=None, kind, enterprise, reached_on, partner=None, partner_name="", post=None,
                 event=None, amount=None, jobs=None, note=""):
    """Record (`outcome` None) or edit an outcome; returns it."""
    editable = selectors.outcomes_editable_by(actor)  # 403 for a reader
    errors = outcome_errors(actor=actor, kind=kind, enterprise=enterprise, partner=partner, post=post, event=event,
                            reached_on=reached_on, amount=amount, jobs=jobs)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = None
        if outcome is not None and outcome.pk is not None:
            current = editable.select_related(None).select_for_update(of=("self",)).filter(pk=outcome.pk).first()
            if current is None:
                raise PermissionDenied("您没有修改该对接成果的权限。")
            before = snapshot(current)
        else:
            current = MatchOutcome(recorded_by=actor)
        current.federation_id, current.kind, current.enterprise = enterprise.federation_id, kind, enterprise
        current.partner, current.partner_name = partner, "" if partner is not None else (partner_name or "").strip()
        current.post, current.event, current.reached_on = post, event, reached_on
        current.amount = None if kind == K.HIRING else amount
        current.jobs = jobs if kind == K.HIRING else None
        current.note = (note or "").strip()
        current.save()
        record_saved(actor=actor, obj=current, before=before)
    return current


def delete_outcome(*, actor, outcome):
    """Delete an outcome of the editor's federations (nothing points at one), audited."""
    if not selectors.outcomes_editable_by(actor).filter(pk=outcome.pk).exists():
        raise PermissionDenied("您没有删除该对接成果的权限。")
    delete_or_refuse(actor=actor, obj=outcome)


__all__ = ["delete_outcome", "outcome_errors", "save_outcome"]
