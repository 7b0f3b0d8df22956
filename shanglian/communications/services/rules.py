"""Every change of the rules library (规章制度): acting user first, role (the editors: sysadmin, staff), the rule's
row lock, the rules below, an audit row — in one transaction. Bad input is a `ValidationError` by field (Chinese),
a rule of the domain a `Refused`; nothing is written then.

- `save_rule`: a new rule of the actor's federation comes with its first version (条文, the body that adopted it,
  通过日期, 施行日期, optionally the meeting's resolution); a change touches only its name and category — the text
  changes by a new version. The name is unique in the federation.
- `add_version`: the next version (number + 1) of a rule not repealed; the previous versions stay as history. Its
  dates come after the previous version's (adopted on or after, effective strictly after), its text differs.
- `repeal_rule`: 废止 with a day (not before the rule first took effect) and a reason; once.
- `delete_rule`: a rule registered by mistake, with its versions.

A version names the body that adopted it (the federation's own: 会员代表大会/执委会/常委会/主席办公会) and may cite the
resolution of that body's meeting recorded by the events app: a passed resolution of the federation's meeting of
that body, held on the day the version says it was adopted.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from shanglian.common.errors import Refused, raise_grouped
from shanglian.common.records import delete_or_refuse, record_saved, snapshot

from ..models import Rule, RuleVersion
from ..selectors.rules import (
    ADOPTING_BODIES,
    meeting_days,
    require_rule_editor,
    resolution_candidates,
    rules_editable_by,
    today,
)

MAX_TITLE = 100
MAX_TEXT = 50000
MAX_NOTE = 300
MAX_REASON = 200
OUT_OF_SCOPE = "您无权维护该制度。"
BODY_LABELS = dict(ADOPTING_BODIES)
RULE_FIELDS = ("title", "category")
VERSION_FIELDS = ("text", "adopted_by", "adopted_on", "effective_from", "resolution", "note")


def _text(value):
    return (value or "").strip()


def _is_date(value):
    return isinstance(value, date)


def _locked_rule(actor, rule):
    """The rule re-read under its row lock, if the actor may change it (403 otherwise)."""
    pk = getattr(rule, "pk", rule)
    if not rules_editable_by(actor).filter(pk=pk).exists():
        raise PermissionDenied(OUT_OF_SCOPE)
    return Rule.objects.select_for_update().get(pk=pk)


# --- the rule ----------------------------------------------------------------------------------------------------
def rule_errors(values, *, federation_id, rule=None):
    errors = []
    if not values["title"]:
        errors.append(("title", "请填写制度名称。"))
    elif len(values["title"]) > MAX_TITLE:
        errors.append(("title", f"制度名称不能超过 {MAX_TITLE} 字。"))
    elif Rule.objects.filter(federation_id=federation_id, title=values["title"]).exclude(
            pk=getattr(rule, "pk", None)).exists():
        errors.append(("title", "本工商联已有同名的制度。"))
    if values["category"] not in Rule.Category.values:
        errors.append(("category", "请选择制度类别。"))
    return errors


def version_errors(values, *, actor, federation_id, previous=None):
    """What is wrong with a version's fields (and against the previous version, when there is one)."""
    errors = []
    if not values["text"]:
        errors.append(("text", "请填写制度条文。"))
    elif len(values["text"]) > MAX_TEXT:
        errors.append(("text", f"制度条文不能超过 {MAX_TEXT} 字。"))
    elif previous is not None and values["text"] == previous.text.strip():
        errors.append(("text", f"条文与第{previous.version}版相同，无需登记新版本。"))
    if values["adopted_by"] not in BODY_LABELS:
        errors.append(("adopted_by", "请选择审议通过机构（会员代表大会、执委会、常委会或主席办公会）。"))
    adopted, effective = values["adopted_on"], values["effective_from"]
    if not _is_date(adopted):
        errors.append(("adopted_on", "请填写通过日期。"))
    elif adopted > today():
        errors.append(("adopted_on", "通过日期不能晚于今天。"))
    elif previous is not None and adopted < previous.adopted_on:
        errors.append(("adopted_on", f"通过日期不能早于第{previous.version}版的通过日期（{previous.adopted_on.isoformat()}）。"))
    if not _is_date(effective):
        errors.append(("effective_from", "请填写施行日期。"))
    elif _is_date(adopted) and effective < adopted:
        errors.append(("effective_from", "施行日期不能早于通过日期。"))
    elif previous is not None and effective <= previous.effective_from:
        errors.append(("effective_from",
                       f"施行日期须晚于第{previous.version}版的施行日期（{previous.effective_from.isoformat()}）。"))
    if len(values["note"]) > MAX_NOTE:
        errors.append(("note", f"修订说明不能超过 {MAX_NOTE} 字。"))
    resolution = values["resolution"]
    if resolution is not None:
        if not resolution_candidates(actor, federation_id).filter(pk=resolution.pk).exists():
            errors.append(("resolution", "请选择本工商联会议通过的决议。"))
        else:
            if values["adopted_by"] in BODY_LABELS and resolution.event.body != values["adopted_by"]:
                errors.append(("resolution", f"该决议是{resolution.event.get_body_display()}的决议，与审议通过机构不符。"))
            first, last = meeting_days(resolution)
            if _is_date(adopted) and not first <= adopted <= last:
                errors.append(("adopted_on", f"通过日期应为该决议所在会议的日期（{first.isoformat()}）。"))
    return errors


def _version_values(data):
    values = {name: data.get(name) for name in VERSION_FIELDS}
    values["text"], values["note"] = _text(values["text"]), _text(values["note"])
    values["adopted_by"] = values["adopted_by"] or ""
    return values


def _create_version(*, actor, rule, values, number):
    version = RuleVersion.objects.create(rule=rule, version=number, created_by=actor, **values)
    record_saved(actor=actor, obj=version, detail={"rule": rule.pk})
    return version


def save_rule(*, actor, data, rule=None):
    """Create a rule (rule=None, in the actor's federation, with its first version: `data` holds RULE_FIELDS and
    VERSION_FIELDS) or change a rule's name and category (RULE_FIELDS)."""
    require_rule_editor(actor)
    if rule is None and actor.federation_id is None:
        raise PermissionDenied("您的账号未关联工商联，不能登记制度。")
    values = {"title": _text(data.get("title")), "category": data.get("category") or ""}
    with transaction.atomic():
        before = None
        if rule is None:
            rule = Rule(federation_id=actor.federation_id, created_by=actor)
            first = _version_values(data)
            errors = rule_errors(values, federation_id=rule.federation_id)
            errors += version_errors(first, actor=actor, federation_id=rule.federation_id)
        else:
            rule = _locked_rule(actor, rule)
            before = snapshot(rule)
            first = None
            errors = rule_errors(values, federation_id=rule.federation_id, rule=rule)
        raise_grouped(errors)
        for name, value in values.items():
            setattr(rule, name, value)
        try:
            with transaction.atomic():
                rule.save()
        except IntegrityError:
            raise ValidationError({"title": ["本工商联已有同名的制度。"]}) from None
        record_saved(actor=actor, obj=rule, before=before)
        if first is not None:
            _create_version(actor=actor, rule=rule, values=first, number=1)
    return rule


def add_version(*, actor, rule, data):
    """The rule's next version (修订): the previous ones stay in its history."""
    require_rule_editor(actor)
    values = _version_values(data)
    with transaction.atomic():
        rule = _locked_rule(actor, rule)
        if rule.repealed_on is not None:
            raise Refused(f"该制度已于 {rule.repealed_on.isoformat()} 废止，不能再修订。", code="repealed")
        previous = rule.versions.order_by("-version").first()
        raise_grouped(version_errors(values, actor=actor, federation_id=rule.federation_id, previous=previous))
        number = (rule.versions.aggregate(n=Max("version"))["n"] or 0) + 1
        return _create_version(actor=actor, rule=rule, values=values, number=number)


def repeal_rule(*, actor, rule, repealed_on, reason):
    """废止: from `repealed_on` on, the rule is no longer in force (its versions stay as history)."""
    require_rule_editor(actor)
    reason = _text(reason)
    with transaction.atomic():
        rule = _locked_rule(actor, rule)
        if rule.repealed_on is not None:
            raise Refused(f"该制度已于 {rule.repealed_on.isoformat()} 废止。", code="repealed")
        first = rule.versions.order_by("effective_from", "version").first()
        errors = []
        if not _is_date(repealed_on):
            errors.append(("repealed_on", "请填写废止日期。"))
        elif first is not None and repealed_on < first.effective_from:
            errors.append(("repealed_on", f"废止日期不能早于制度首次施行日期（{first.effective_from.isoformat()}）。"))
        if not reason:
            errors.append(("reason", "请填写废止原因。"))
        elif len(reason) > MAX_REASON:
            errors.append(("reason", f"废止原因不能超过 {MAX_REASON} 字。"))
        raise_grouped(errors)
        before = snapshot(rule)
        rule.repealed_on, rule.repeal_reason = repealed_on, reason
        rule.save(update_fields=["repealed_on", "repeal_reason"])
        record_saved(actor=actor, obj=rule, before=before)
    return rule


def delete_rule(*, actor, rule):
    """A rule registered by mistake, with its versions."""
    with transaction.atomic():
        rule = _locked_rule(actor, rule)
        delete_or_refuse(actor=actor, obj=rule, along=("versions",))
