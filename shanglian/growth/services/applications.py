"""Every change of a membership application (入会申请): acting user first, role, scope, row lock, state check (the
table `workflow.APPLICATION_FLOW`), audit row — in one transaction (files through `common.uploads.kept_files`,
removed again when it fails).

- `submit_application`: an enterprise user applies for its own enterprise, to its enterprise's federation, with the
  入会申请表 and its files (营业执照 required), optionally naming an active chamber of that federation to join too.
  Refused in Chinese, nothing written: an invalid credit code or one that differs from the registry's, an
  enterprise that is (or was) a member of the federation, an open application (also the database's constraint,
  when two submissions race), a chamber of another federation. The matching open prospect (发展对象: the same
  enterprise, or the same credit code, of the federation) becomes 已申请 and is linked.
- `approve_application` (staff): creates the `Membership` (企业会员, joined today, number `common.numbering`
  "HY"), the `ChamberMembership` asked for, copies the registry's empty fields from the form (never overwriting),
  marks the prospect 已入会, creates the member's `DirectoryListing` with defaults and tells the applicant.
- `refuse_application` (staff, with a reason) and `withdraw_application` (the applicant's enterprise): the linked
  prospect at 已申请 goes back to 已走访 (it is followed again); the applicant is told of a refusal.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from shanglian.accounts.roles import EDITOR_ROLES, Role, role_of
from shanglian.common.errors import Refused, raise_grouped
from shanglian.common.numbering import daily_number
from shanglian.common.records import record_saved, snapshot
from shanglian.common.uploads import check_uploads, kept_files
from shanglian.common.validators import normalize_mobile, normalize_uscc, validate_uscc
from shanglian.members.models import ChamberMembership, Enterprise, Membership
from shanglian.members.selectors import membership_in_force_q
from shanglian.notifications.services import notify
from shanglian.orgs.models import Chamber

from ..models import ApplicationAttachment, MembershipApplication, Prospect
from ..selectors.prospects import open_prospect_for
from ..selectors.scopes import applications_visible_to
from ..workflow import APPLICATION_FLOW
from .directory import ensure_listing

ATTACHMENT_FOLDER = "growth"
NUMBER_PREFIX = "RH"
MEMBER_NUMBER_PREFIX = "HY"
MAX_FILES_PER_KIND = 5
# What a new member's directory entry shows until the member chooses (no contact details by default).
# The registry's fields an approval fills from the form when the registry has none.
REGISTRY_FIELDS = ("legal_representative", "address", "founded", "employees", "registered_capital", "contact_name",
                   "contact_mobile")
FORM_FIELDS = ("enterprise_name", "uscc", "legal_representative", "industry", "address", "founded", "employees",
               "registered_capital", "annual_revenue", "main_products", "contact_name", "contact_mobile",
               "recommender", "statement")
REQUIRED_TEXT = {"enterprise_name": "请填写企业名称。", "legal_representative": "请填写法定代表人。",
                 "address": "请填写企业地址。", "main_products": "请填写主营产品（服务）。",
                 "contact_name": "请填写联系人。", "contact_mobile": "请填写联系电话。"}
A = MembershipApplication.Status
S = Prospect.Stage
PROSPECT_BEFORE_APPLYING = (S.LEAD, S.CONTACTED, S.VISITED)
_NULLABLE = {"industry", "founded", "employees", "registered_capital", "annual_revenue"}


def _text(value):
    """A typed text stripped; anything else (None, a date, a number) as given."""
    return value.strip() if isinstance(value, str) else value


# --- what refuses an application -----------------------------------------------------------------------------
def membership_refusal(federation_id, enterprise_id, on=None):
    """Why the enterprise cannot apply to (or be admitted by) the federation because of a membership, or ""."""
    on = on or timezone.localdate()
    existing = Membership.objects.filter(federation_id=federation_id, enterprise_id=enterprise_id)
    if existing.filter(membership_in_force_q(on)).exists():
        return "本企业已是该工商联的会员，无需再申请入会。"
    if existing.exists():
        return "本企业曾是该工商联的会员（已退会或暂停），请联系工商联办理恢复会籍，无需在线申请。"
    return ""


def open_application(federation_id, enterprise_id):
    return MembershipApplication.objects.filter(federation_id=federation_id, enterprise_id=enterprise_id,
                                                status=A.SUBMITTED).first()


def apply_refusal(user):
    """Why the enterprise user cannot apply now (the H5 page says it instead of showing the form), or ""."""
    if role_of(user) != Role.ENTERPRISE or not user.enterprise_id:
        return "只有企业用户可以为本企业申请入会。"
    enterprise = user.enterprise
    refusal = membership_refusal(enterprise.federation_id, enterprise.pk)
    if refusal:
        return refusal
    pending = open_application(enterprise.federation_id, enterprise.pk)
    if pending is not None:
        return f"本企业已有待审核的入会申请（{pending.number}），请等待审核结果，请勿重复提交。"
    return ""


def _uscc_errors(value, enterprise):
    try:
        code = validate_uscc(value)
    except ValidationError as exc:
        return [("uscc", message) for message in exc.messages], ""
    if code != normalize_uscc(enterprise.uscc):
        return [("uscc", "统一社会信用代码与本企业在工商联企业库中登记的不一致，请核对后填写。")], code
    return [], code


def _chamber_of(federation_id, chamber):
    if chamber in (None, ""):
        return None, []
    pk = chamber.pk if isinstance(chamber, Chamber) else chamber
    found = (Chamber.objects.filter(pk=pk, federation_id=federation_id, status=Chamber.Status.ACTIVE).first()
             if isinstance(pk, int) and pk > 0 else None)
    if found is None:
        return None, [("chamber", "所选商会不存在或不属于本企业所在的工商联。")]
    return found, []


def _checked_files(files):
    """{kind: [CheckedUpload]} of the files given by kind; the 营业执照 is required."""
    kinds = dict(ApplicationAttachment.Kind.choices)
    errors, checked = [], {}
    for kind, uploads in (files or {}).items():
        if kind not in kinds:
            errors.append(("__all__", "材料类型无效。"))
            continue
        try:
            checked[kind] = check_uploads(uploads or [], max_files=MAX_FILES_PER_KIND)
        except ValidationError as exc:
            errors += [(f"{kind}_files", message) for message in exc.messages]
    if not errors and not checked.get(ApplicationAttachment.Kind.LICENCE):
        errors.append((f"{ApplicationAttachment.Kind.LICENCE}_files", "请上传营业执照（扫描件或照片）。"))
    return errors, checked


def _matching_prospect(federation_id, enterprise, stages):
    """The federation's prospect of this enterprise (by its record or its credit code) in one of `stages`, locked."""
    return open_prospect_for(federation_id, enterprise=enterprise, uscc=enterprise.uscc, stages=stages, lock=True)


def _move_prospect(actor, prospect, stage, today, enterprise=None):
    """The prospect to `stage` (linked to the registry's record when it was found by its credit code)."""
    before = snapshot(prospect)
    prospect.stage, prospect.stage_changed_on = stage, today
    if enterprise is not None and prospect.enterprise_id is None:
        prospect.enterprise = enterprise
    prospect.save(update_fields=["stage", "stage_changed_on", "enterprise", "updated_at"])
    record_saved(actor=actor, obj=prospect, before=before, detail={"by": "membership_application"})


def _stored(name, value):
    """An empty value as its column keeps it: None for the optional dates and numbers, "" for texts."""
    if name in _NULLABLE:
        return None if value in (None, "") else value
    return "" if value is None else value


# --- submit ----------------------------------------------------------------------------------------------------
def submit_application(*, actor, data, files=None, chamber=None):
    """The enterprise user's 入会申请 for its own enterprise (see the module's docstring). `data`: the form's fields
    (FORM_FIELDS); `files`: {"licence"|"identity"|"other": [uploads]}. Returns the application."""
    if role_of(actor) != Role.ENTERPRISE or not actor.enterprise_id:
        raise PermissionDenied("只有企业用户可以为本企业申请入会。")
    values = {name: _text(data.get(name)) for name in FORM_FIELDS}
    file_errors, checked = _checked_files(files)
    today = timezone.localdate()
    with kept_files(ATTACHMENT_FOLDER) as keeper, transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=actor.enterprise_id)
        federation_id = enterprise.federation_id
        refusal = membership_refusal(federation_id, enterprise.pk, today)
        if refusal:
            raise Refused(refusal, code="member")
        pending = open_application(federation_id, enterprise.pk)
        if pending is not None:
            raise Refused(f"本企业已有待审核的入会申请（{pending.number}），请勿重复提交。", code="duplicate")
        errors = [(name, message) for name, message in REQUIRED_TEXT.items() if not values.get(name)]
        uscc_errors, code = _uscc_errors(values["uscc"], enterprise)
        errors += uscc_errors
        chamber, chamber_errors = _chamber_of(federation_id, chamber)
        errors += chamber_errors + file_errors
        raise_grouped(errors)
        values["uscc"] = code
        values["contact_mobile"] = normalize_mobile(values["contact_mobile"])
        values["industry"] = values.get("industry") or enterprise.industry  # the registry's, unless declared
        prospect = _matching_prospect(federation_id, enterprise, PROSPECT_BEFORE_APPLYING)
        application = MembershipApplication(federation_id=federation_id, number=daily_number(NUMBER_PREFIX),
                                            enterprise=enterprise, applicant=actor, chamber=chamber,
                                            prospect=prospect, status=A.SUBMITTED,
                                            **{k: _stored(k, v) for k, v in values.items()})
        try:
            application.full_clean(exclude=["number", "federation", "enterprise", "applicant"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:  # submitted at the same moment from another phone
            raise Refused("本企业已有待审核的入会申请，请勿重复提交。", code="duplicate") from None
        for kind, items in checked.items():
            keeper.save(ApplicationAttachment, items, application=application, kind=kind, uploaded_by=actor)
        record_saved(actor=actor, obj=application, before=None,
                     detail={"attachments": sum(len(items) for items in checked.values())})
        if prospect is not None:
            _move_prospect(actor, prospect, S.APPLIED, today, enterprise)
    return application


# --- decide ----------------------------------------------------------------------------------------------------
def _locked(actor, application, name):
    """The application re-read under its row lock, if the actor's role may take `name` and sees it."""
    role = role_of(actor)
    APPLICATION_FLOW.require_role(name, role)
    pk = getattr(application, "pk", application)
    if not applications_visible_to(actor).filter(pk=pk).exists():
        raise PermissionDenied("您无权处理该入会申请。")
    locked = MembershipApplication.objects.select_for_update().get(pk=pk)
    APPLICATION_FLOW.require_state(name, locked, role=role)
    return locked


def _decide(actor, application, status, **fields):
    before = snapshot(application)
    application.status = status
    application.decided_by, application.decided_at = actor, timezone.now()
    for name, value in fields.items():
        setattr(application, name, value)
    application.save()
    record_saved(actor=actor, obj=application, before=before)


def _tell(application, title, body):
    notify([application.applicant], kind="membership_application", title=title, body=body,
           url=reverse("growth:h5_application", args=[application.pk]))


def _fill_registry(actor, enterprise, application):
    """The registry's empty fields from the form (never overwriting what the registry holds)."""
    before = snapshot(enterprise)
    filled = []
    for name in REGISTRY_FIELDS:
        value = getattr(application, name)
        if value not in (None, "") and getattr(enterprise, name) in (None, ""):
            setattr(enterprise, name, value)
            filled.append(name)
    if filled:
        enterprise.save()
        record_saved(actor=actor, obj=enterprise, before=before, detail={"by": "membership_application"})


def _join_chamber(actor, chamber, enterprise, today):
    existing = ChamberMembership.objects.select_for_update().filter(chamber=chamber, enterprise=enterprise).first()
    if existing is None:
        membership = ChamberMembership.objects.create(chamber=chamber, enterprise=enterprise, joined=today)
        record_saved(actor=actor, obj=membership, before=None, detail={"by": "membership_application"})
    elif existing.status != ChamberMembership.Status.ACTIVE:
        before = snapshot(existing)
        existing.status, existing.joined, existing.left, existing.left_reason = (
            ChamberMembership.Status.ACTIVE, today, None, "")
        existing.save()
        record_saved(actor=actor, obj=existing, before=before, detail={"by": "membership_application"})


def approve_application(*, actor, application):
    """批准入会 (staff): the membership and what follows it (see the module's docstring). Returns the application."""
    today = timezone.localdate()
    with transaction.atomic():
        application = _locked(actor, application, "approve_application")
        enterprise = Enterprise.objects.select_for_update().get(pk=application.enterprise_id)
        if membership_refusal(application.federation_id, enterprise.pk, today):
            raise Refused(f"“{enterprise.name}”已有该工商联的会员记录（在册、暂停或已退会），不能再次批准入会；"
                          "请在会员管理中处理其会籍，并以“不予通过”注明原因。", code="member")
        chamber = application.chamber
        if chamber is not None and (chamber.federation_id != application.federation_id
                                    or chamber.status != Chamber.Status.ACTIVE):
            raise Refused(f"申请加入的商会“{chamber.name}”已不在册，请与申请企业联系后处理。", code="chamber")
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    federation_id=application.federation_id, kind=Membership.Kind.ENTERPRISE, enterprise=enterprise,
                    joined=today, number=daily_number(MEMBER_NUMBER_PREFIX), status=Membership.Status.ACTIVE)
        except IntegrityError:
            raise Refused(f"“{enterprise.name}”已是该工商联的会员。", code="member") from None
        record_saved(actor=actor, obj=membership, before=None, detail={"application": application.number})
        if chamber is not None:
            _join_chamber(actor, chamber, enterprise, today)
        _fill_registry(actor, enterprise, application)
        prospect = application.prospect
        if prospect is not None:
            prospect = Prospect.objects.select_for_update().get(pk=prospect.pk)
            if prospect.stage not in Prospect.OPEN_STAGES:
                prospect = None
        if prospect is None:
            prospect = _matching_prospect(application.federation_id, enterprise, Prospect.OPEN_STAGES)
        if prospect is not None:
            _move_prospect(actor, prospect, S.JOINED, today, enterprise)
        ensure_listing(federation_id=application.federation_id, enterprise=enterprise, actor=actor,
                       products=application.main_products)
        _decide(actor, application, APPLICATION_FLOW.target("approve_application"), membership=membership,
                prospect=prospect or application.prospect)
        joined = f"，并加入{chamber.name}" if chamber is not None else ""
        _tell(application, f"入会申请已批准：{application.number}",
              f"您的入会申请已批准，贵企业自 {today:%Y-%m-%d} 起成为{application.federation.name}会员{joined}，"
              f"会员证号 {membership.number}。欢迎加入！")
    return application


def _back_to_following(actor, application, today):
    """A refused or withdrawn application's prospect at 已申请 is followed again (已走访)."""
    if application.prospect_id is None:
        return
    prospect = Prospect.objects.select_for_update().get(pk=application.prospect_id)
    if prospect.stage == S.APPLIED:
        _move_prospect(actor, prospect, S.VISITED, today)


def refuse_application(*, actor, application, reason):
    """不予通过 (staff) with the reason, which the applicant is told."""
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": "请填写不予通过的原因。"})
    if len(reason) > 300:
        raise ValidationError({"reason": f"原因不能超过 300 字（现为 {len(reason)} 字）。"})
    with transaction.atomic():
        application = _locked(actor, application, "refuse_application")
        _decide(actor, application, APPLICATION_FLOW.target("refuse_application"), refusal_reason=reason)
        _back_to_following(actor, application, timezone.localdate())
        _tell(application, f"入会申请未通过：{application.number}", f"您的入会申请未通过审核。原因：{reason}")
    return application


def withdraw_application(*, actor, application):
    """撤回申请 (the applicant's enterprise) while 待审核; it may apply again afterwards."""
    with transaction.atomic():
        application = _locked(actor, application, "withdraw_application")
        if application.enterprise_id != actor.enterprise_id:
            raise PermissionDenied("只能撤回本企业的入会申请。")
        before = snapshot(application)
        application.status = APPLICATION_FLOW.target("withdraw_application")
        application.save(update_fields=["status"])
        record_saved(actor=actor, obj=application, before=before)
        _back_to_following(actor, application, timezone.localdate())
    return application


def may_decide(user):
    return role_of(user) in EDITOR_ROLES
