"""An audit row's `detail` in Chinese: the changes as a table, every other key as a labelled line.

Services write `detail["changes"] = [{"field": "<Chinese label>", "old": "…", "new": "…"}]`; the admin
writes `changed` (the labels of the changed fields); exports write `rows` and `filters`, imports their
counts, workflows `transition`, `from`, `to`. A key this module does not know is shown under its own name,
so nothing recorded is hidden from the auditor."""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist

from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditAction, AuditResult
from shanglian.common.workflow import transition_label

from .objects import field_label, model_for, type_label

LABELS = {
    "via": "途径",
    "purpose": "查看事由",
    "reason": "原因",
    "fields": "涉及字段",
    "changed": "修改的字段",
    "counts": "数量",
    "rows": "导出行数",
    "filters": "筛选条件",
    "pii": "含完整个人信息",
    "job": "后台导出任务",
    "transition": "操作",
    "appeal_raised": "转为诉求",
    "person": "人士编号",
    "from": "原状态",
    "to": "新状态",
    "attachments": "附件数",
    "enterprises": "推送企业数",
    "sms": "短信通知",
    "ip_address": "IP 地址",
    "inactive_days": "未登录天数",
    "role": "角色",
    "report": "报表",
    "start": "开始日期",
    "end": "结束日期",
    "policy": "政策编号",
    "queue": "队列",
    "total": "总行数",
    "succeeded": "成功行数",
    "failed": "失败行数",
    "created": "新增",
    "updated": "更新",
    "published": "发布",
    "valid_only": "仅导入校验通过的行",
    "pushed": "推送",
    "programme": "评选活动编号",
}

VALUES = {
    "via": {"admin": "管理后台", "import": "批量导入", "api": "接口", "web": "业务页面", "h5": "手机端"},
    "reason": {"out_of_scope": "超出数据范围", "role": "角色无权访问"},
    "report": {"appeal_kpis": "诉求统计"},
}

# Words the exports' `filters` use for their query parameters.
FILTER_LABELS = {
    "q": "关键词", "status": "状态", "start": "开始日期", "end": "结束日期", "year": "年度", "sort": "排序",
    "page": "页码", "per_page": "每页条数", "queue": "队列", "category": "类别", "department": "部门",
    "chamber": "商会", "street": "街道", "kind": "类型", "action": "事件", "result": "结果", "actor": "用户",
    "object_type": "对象类型", "object_id": "对象编号", "industry": "行业", "name": "名称",
}
POLICY_TRANSITIONS = {"publish": "发布", "push": "推送"}  # policies' actions are not a Workflow


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


def _text(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(_text(v) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{k}：{_text(v)}" for k, v in value.items()) or "—"
    return str(value)


def _state_label(object_type, value):
    model = model_for(object_type)
    for name in ("status", "state"):
        try:
            choices = dict(model._meta.get_field(name).flatchoices) if model is not None else {}
        except FieldDoesNotExist:
            choices = {}
        if value in choices:
            return str(choices[value])
    return _text(value)


def _filter_value(name, value):
    """A filter of the audit log's own export, in words (事件：修改, not action=update)."""
    choices = {"action": AuditAction, "result": AuditResult}.get(name)
    if choices is not None and value in choices.values:
        return choices(value).label
    if name == "object_type":
        return type_label(value)
    return value


def _line(event, key, value):
    if key in VALUES and isinstance(value, str):
        return VALUES[key].get(value, value)
    if key in ("fields", "changed") and isinstance(value, (list, tuple)):
        return "、".join(field_label(event.object_type, name) for name in value) or "—"
    if key == "transition":
        return transition_label(value) or POLICY_TRANSITIONS.get(value, value)
    if key in ("from", "to"):
        return _state_label(event.object_type, value)
    if key == "role":
        try:
            return Role(value).label
        except ValueError:
            return value
    if key == "filters" and isinstance(value, dict):
        shown = {FILTER_LABELS.get(k, k): _filter_value(k, v) for k, v in value.items() if v not in ("", None)}
        return _text(shown) if shown else "无（全部记录）"
    if key == "counts" and isinstance(value, dict):
        return "；".join(f"{LABELS.get(k, k)} {_text(v)}" for k, v in value.items()) or "—"
    return _text(value)


def changes(event):
    """The recorded changes as rows of 字段 / 原值 / 新值 (empty when the event recorded none)."""
    rows = event.detail.get("changes") if isinstance(event.detail, dict) else None
    if not isinstance(rows, list):
        return []
    return [Change(_text(row.get("field")), _text(row.get("old")), _text(row.get("new")))
            for row in rows if isinstance(row, dict)]


def lines(event):
    """Every other key of the detail as (label, text), in the order recorded."""
    if not isinstance(event.detail, dict):
        return [("详情", _text(event.detail))]
    return [(LABELS.get(key, key), _line(event, key, value))
            for key, value in event.detail.items() if key != "changes"]
