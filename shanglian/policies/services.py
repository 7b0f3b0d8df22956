"""Writes on the policy library: acting user first, permission, transaction, audit.

Publishing may push the policy to the enterprises it matches (an in-app message to each enterprise's
users, optionally an SMS); a push never goes out for a policy that is not live (draft or expired), and
an enterprise gets one delivery per policy however often it is pushed.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, Role, role_of
from shanglian.accounts.selectors import users_in_role
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.errors import Refused
from shanglian.common.models import DictItem
from shanglian.common.uploads import check_uploads, kept_files, remove_stored
from shanglian.notifications.services import notify
from shanglian.orgs.models import Department, Street

from . import matching, selectors, summaries
from .models import Policy, PolicyAttachment, PolicyDelivery, PolicyIndustry, delimited

ATTACHMENT_FOLDER = "policies"
SIZES = {"large", "medium", "small", "micro"}
PUSH_BATCH = 2000


@dataclass
class Eligibility:
    industries: tuple = ()  # GB/T 4754 prefixes: section letters or 2–4 digits
    sizes: tuple = ()
    enterprise_types: tuple = ()  # DictItem codes of kind enterprise_type
    streets: tuple = ()  # Street ids
    high_tech_required: bool = False
    min_employees: object = None
    max_employees: object = None
    min_registered_years: object = None
    max_registered_years: object = None
    members_only: bool = False


def _require_editor(actor):
    if role_of(actor) not in EDITOR_ROLES:
        raise PermissionDenied("只有工商联工作人员可以维护惠企政策。")


def _federation_of(actor):
    if actor.federation_id is None:
        raise PermissionDenied("您的账号没有所属工商联。")
    return actor.federation


def _clean_industries(values):
    from shanglian.common.models import IndustryCode

    prefixes = sorted({str(v).strip().upper() for v in values if str(v).strip()})
    bad = []
    for prefix in prefixes:
        if len(prefix) == 1 and prefix.isalpha():
            ok = IndustryCode.objects.filter(code=prefix, level=IndustryCode.Level.SECTION).exists()
        elif prefix.isdigit() and 2 <= len(prefix) <= 4:
            ok = IndustryCode.objects.filter(code=prefix).exists()
        else:
            ok = False
        if not ok:
            bad.append(prefix)
    if bad:
        raise ValidationError(f"行业代码不存在：{'、'.join(bad)}（填写 GB/T 4754-2017 的门类字母或 2～4 位代码）。")
    return prefixes


def _int_or_none(value, label):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{label}必须是整数。") from None
    if number < 0:
        raise ValidationError(f"{label}不能为负数。")
    return number


def _apply_eligibility(policy, eligibility, federation):
    sizes = sorted(set(eligibility.sizes))
    if set(sizes) - SIZES:
        raise ValidationError("企业规模只能是大型、中型、小型、微型。")
    types = sorted(set(eligibility.enterprise_types))
    known = set(DictItem.objects.filter(kind="enterprise_type", code__in=types).values_list("code", flat=True))
    if set(types) - known:
        raise ValidationError(f"企业类型不存在：{'、'.join(sorted(set(types) - known))}。")
    streets = sorted({int(s) for s in eligibility.streets})
    if streets and Street.objects.filter(pk__in=streets, federation=federation).count() != len(streets):
        raise ValidationError("所选街道不属于本工商联。")
    policy.sizes, policy.enterprise_types = delimited(sizes), delimited(types)
    policy.streets = delimited(streets)
    policy.high_tech_required = bool(eligibility.high_tech_required)
    policy.members_only = bool(eligibility.members_only)
    policy.min_employees = _int_or_none(eligibility.min_employees, "从业人数下限")
    policy.max_employees = _int_or_none(eligibility.max_employees, "从业人数上限")
    policy.min_registered_years = _int_or_none(eligibility.min_registered_years, "成立年限下限")
    policy.max_registered_years = _int_or_none(eligibility.max_registered_years, "成立年限上限")
    if None not in (policy.min_employees, policy.max_employees) and policy.min_employees > policy.max_employees:
        raise ValidationError("从业人数下限不能大于上限。")
    if None not in (policy.min_registered_years, policy.max_registered_years) and \
            policy.min_registered_years > policy.max_registered_years:
        raise ValidationError("成立年限下限不能大于上限。")


FIELDS = ["title", "department", "document_number", "published_on", "effective_from", "expires_on", "summary",
          "full_text", "benefit_type", "application_method", "contact", "is_automatic"]


def _apply_fields(policy, data, federation):
    for name in FIELDS:
        if name in data:
            setattr(policy, name, data[name])
    policy.title = (policy.title or "").strip()
    if not policy.title:
        raise ValidationError("请填写政策名称。")
    if len(policy.title) > 200:
        raise ValidationError("政策名称不能超过 200 字。")
    if not isinstance(policy.department, Department) or policy.department.federation_id != federation.pk:
        raise ValidationError("请选择本工商联的发布部门。")
    if not isinstance(policy.benefit_type, DictItem) or policy.benefit_type.kind != "benefit_type":
        raise ValidationError("请选择惠企类型。")
    if policy.effective_from and policy.expires_on and policy.effective_from > policy.expires_on:
        raise ValidationError("失效日期不能早于生效日期。")


def save_policy(*, actor, data, eligibility=None, policy=None, files=()):
    """Create (policy=None) or update a policy with its eligibility and new attachments."""
    _require_editor(actor)
    federation = _federation_of(actor)
    if policy is not None and not selectors.policies_visible_to(actor).filter(pk=policy.pk).exists():
        raise PermissionDenied("您无权修改该政策。")
    checked = check_uploads(files)
    eligibility = eligibility or Eligibility()
    industries = _clean_industries(eligibility.industries)
    with kept_files(ATTACHMENT_FOLDER) as keeper, transaction.atomic():
        creating = policy is None
        if creating:
            policy = Policy(federation=federation, created_by=actor)
        else:
            policy = Policy.objects.select_for_update().get(pk=policy.pk)
        _apply_fields(policy, data, federation)
        _apply_eligibility(policy, eligibility, federation)
        policy.save()
        policy.industries.all().delete()
        PolicyIndustry.objects.bulk_create([PolicyIndustry(policy=policy, prefix=p) for p in industries])
        keeper.save(PolicyAttachment, checked, policy=policy, uploaded_by=actor)
        record(AuditAction.CREATE if creating else AuditAction.UPDATE, actor=actor, obj=policy,
               detail={"attachments": len(checked)})
    return policy


# --- What may be done to a policy: the one rule behind these services' guards and the page's buttons --
def expiry_refusal(policy, doing, *, on=None, on_its_page=False):
    """Why `policy` can no longer be `doing` (发布, 推送 …) — its expiry date is before `on` — or "".
    On the policy's own page it reads 该政策 and says how to go on."""
    if not policy.is_past_expiry(on):
        return ""
    expired = f"已于 {policy.expires_on:%Y-%m-%d} 失效，不能{doing}"
    return f"该政策{expired}；如需继续执行，请先修改失效日期。" if on_its_page else f"政策“{policy.title}”{expired}。"


def publish_refusal(policy, on=None):
    """Why `policy` cannot be published on `on`, or "": only a draft not past its expiry date can."""
    if policy.status != Policy.Status.DRAFT:
        return f"政策“{policy.title}”当前为“{policy.get_status_display()}”，只有草稿可以发布。"
    return expiry_refusal(policy, "发布", on=on)


def push_refusal(policy, on=None):
    """Why `policy` cannot be pushed on `on`, or "": only a published policy not past its expiry date can."""
    if policy.status != Policy.Status.PUBLISHED:
        return f"政策“{policy.title}”当前为“{policy.get_status_display()}”，发布后才能推送。"
    return expiry_refusal(policy, "推送", on=on)


def delete_refusal(policy):
    """Why `policy` cannot be deleted, or "": only a draft can (a published one may have been read)."""
    if policy.status != Policy.Status.DRAFT:
        return "只有草稿可以删除；已发布的政策请设置失效日期。"
    return ""


def _refuse(reason):
    if reason:
        raise Refused(reason)


@transaction.atomic
def publish_policy(*, actor, policy, push=False, sms=False):
    """草稿 → 已发布 (an expired policy cannot be published); optionally push at once."""
    _require_editor(actor)
    if not selectors.policies_visible_to(actor).filter(pk=policy.pk).exists():
        raise PermissionDenied("您无权发布该政策。")
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    _refuse(publish_refusal(policy))
    policy.status = Policy.Status.PUBLISHED
    policy.published_on = policy.published_on or timezone.localdate()
    policy.save(update_fields=["status", "published_on", "updated_at"])
    record(AuditAction.UPDATE, actor=actor, obj=policy, detail={"transition": "publish"})
    pushed = push_policy(actor=actor, policy=policy, sms=sms) if push else 0
    return policy, pushed


@transaction.atomic
def push_policy(*, actor, policy, sms=False):
    """Deliver a live policy to every enterprise it matches that has not had it yet, and tell their
    users. Returns the number of new deliveries. Expired or draft policies are never pushed."""
    _require_editor(actor)
    if not selectors.policies_visible_to(actor).filter(pk=policy.pk).exists():
        raise PermissionDenied("您无权推送该政策。")
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    _refuse(push_refusal(policy))
    now = timezone.now()
    already = PolicyDelivery.objects.filter(policy=policy).values("enterprise_id")
    targets = list(matching.enterprises_for_policy(policy).exclude(pk__in=already).values_list("pk", flat=True))
    PolicyDelivery.objects.bulk_create(
        [PolicyDelivery(policy=policy, enterprise_id=pk, pushed_at=now, pushed_by=actor) for pk in targets],
        batch_size=PUSH_BATCH)
    if targets:  # a bulk insert sends no signals: its push-day bucket is recomputed here
        summaries.refresh(policy.pk, now)
    users = users_in_role(Role.ENTERPRISE, enterprise_id__in=targets)
    url = reverse("policies:h5_detail", args=[policy.pk])
    notify(list(users), kind="policy", title=f"为您推荐惠企政策：{policy.title}", body=policy.summary[:200],
           url=url, sms=sms)
    policy.pushed_at = now
    policy.save(update_fields=["pushed_at", "updated_at"])
    record(AuditAction.UPDATE, actor=actor, obj=policy,
           detail={"transition": "push", "enterprises": len(targets), "sms": bool(sms)})
    return len(targets)


def record_read(*, actor, policy):
    """An enterprise user opened a policy pushed to the enterprise: the first read is kept."""
    if role_of(actor) != Role.ENTERPRISE or not actor.enterprise_id:
        return False
    unread = PolicyDelivery.objects.filter(policy=policy, enterprise_id=actor.enterprise_id, read_at__isnull=True)
    with transaction.atomic():
        pushed_at = unread.values_list("pushed_at", flat=True).first()
        if pushed_at is None or not unread.update(read_at=timezone.now(), read_by=actor):
            return False
        summaries.refresh(policy.pk, pushed_at)  # an update sends no signals
    return True


@transaction.atomic
def expire_policies(on=None):
    """Published policies past their expiry date become 已失效 (daily task). Returns how many."""
    on = on or timezone.localdate()
    return Policy.objects.filter(status=Policy.Status.PUBLISHED).past_expiry(on).update(
        status=Policy.Status.EXPIRED, updated_at=timezone.now())


@transaction.atomic
def delete_draft(*, actor, policy):
    """Only a draft can be deleted (a published policy may have been read: it expires instead)."""
    _require_editor(actor)
    if not selectors.policies_visible_to(actor).filter(pk=policy.pk).exists():
        raise PermissionDenied("您无权删除该政策。")
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    _refuse(delete_refusal(policy))
    names = list(policy.attachments.values_list("stored_name", flat=True))
    record(AuditAction.DELETE, actor=actor, obj=policy)
    policy.delete()
    transaction.on_commit(lambda: [remove_stored(ATTACHMENT_FOLDER, n) for n in names])


# --- The checks of save_policy, for writers that do not go through it (the xlsx import) ----------
def clean_industries(values):
    """GB/T 4754 prefixes checked as save_policy checks them: sorted, upper-cased; ValidationError
    (Chinese) naming the unknown codes."""
    return _clean_industries(values)


def apply_policy(policy, *, data, eligibility, federation):
    """Set `data` (FIELDS) and `eligibility` on an unsaved or locked `policy` with save_policy's
    checks, without saving it. Raises ValidationError (Chinese, one message)."""
    _apply_fields(policy, data, federation)
    _apply_eligibility(policy, eligibility, federation)
    return policy
