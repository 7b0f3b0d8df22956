"""Test data for appeals, built only through the services, so every appeal a test gets has the
timeline, assignments and audit rows a real one would have.

    appeal = make_appeal(cast, status=Status.HANDLING, departments=[cast.dept1, cast.dept2])

`cast` is the fixture of `shanglian/conftest.py`. Department users other than `cast.users.dept1`
are created on demand (`department_user`).
"""

import importlib

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from shanglian import testing
from shanglian.accounts.models import User
from shanglian.accounts.roles import Role
from shanglian.appeals import services
from shanglian.appeals.models import AppealCategory, Rating, Status

# The shortest content each checked file type is recognised by.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def ensure_categories():
    """Re-seed the category dictionary (migration 0002) when a transactional test flushed it."""
    if not AppealCategory.objects.exists():
        importlib.import_module("shanglian.appeals.migrations.0002_seed_categories").seed(apps, None)


def category(code="suggestion"):
    """A category of the seeded dictionary: consult (1 working day), suggestion (5), complaint (10),
    rights (10, rights case) …"""
    ensure_categories()
    return AppealCategory.objects.get(code=code)


def pdf_file(name="材料.pdf", size=None):
    """A small real PDF as an upload (`size` pads it to that many bytes)."""
    content = PDF_BYTES if size is None else PDF_BYTES + b"0" * (size - len(PDF_BYTES))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def department_user(cast, department):
    """The handler of `department`: cast.users.dept1 for dept1, otherwise one made on first use."""
    if department == cast.dept1:
        return cast.users.dept1
    existing = User.objects.filter(department=department, groups__name=Role.DEPARTMENT.value).first()
    return existing or testing.make_user(Role.DEPARTMENT, username=f"dept_{department.pk}", department=department)


def submit(cast, *, actor=None, enterprise=None, category_code="suggestion", title="申请稳岗补贴政策解读",
           content="我公司今年新招用高校毕业生12名，想了解稳岗补贴的申领条件和流程。", **fields):
    """An appeal in state 已提交, submitted by ent1 on the platform unless told otherwise."""
    actor = actor or cast.users.ent1
    enterprise = enterprise or cast.ent1
    if category_code == "rights" and "rights" not in fields:
        fields["rights"] = services.RightsCase(counterpart="天津某建设工程有限公司", amount_involved="128000")
    return services.submit_appeal(actor=actor, enterprise=enterprise, category=category(category_code),
                                  title=title, content=content, **fields)


def reply_all(cast, appeal, departments, reply="经核实，贵公司符合稳岗补贴条件，已于本周完成拨付。"):
    for department in departments:
        appeal = services.reply_appeal(actor=department_user(cast, department), appeal=appeal, reply=reply)
    return appeal


def make_appeal(cast, status=Status.SUBMITTED, *, departments=None, category_code="suggestion",
                pending_extension=False, deadline=None, **submit_fields):
    """An appeal driven by the services to `status`, dispatched to `departments` (default dept1).

    submitted → accepted / rejected; accepted → assigned → handling (every department signed) →
    replied (every department replied) → closed (rated 满意) or reopened (rated 不满意, the enterprise
    asks to reopen). `pending_extension=True` leaves the first department's extension request
    pending (only in assigned/handling/reopened)."""
    status = Status(status)
    departments = list(departments or [cast.dept1])
    staff = cast.users.staff
    appeal = submit(cast, category_code=category_code, **submit_fields)
    if status == Status.SUBMITTED:
        return _with_extension(cast, appeal, departments, pending_extension)
    if status == Status.REJECTED:
        return services.reject_appeal(actor=staff, appeal=appeal, reason="不属于本会受理范围，请向区法院咨询。")
    appeal = services.accept_appeal(actor=staff, appeal=appeal)
    if status == Status.ACCEPTED:
        return _with_extension(cast, appeal, departments, pending_extension)
    appeal = services.dispatch_appeal(actor=staff, appeal=appeal, departments=departments, deadline=deadline)
    if status == Status.ASSIGNED:
        return _with_extension(cast, appeal, departments, pending_extension)
    for department in departments:
        appeal = services.department_accept(actor=department_user(cast, department), appeal=appeal)
    if status == Status.HANDLING:
        return _with_extension(cast, appeal, departments, pending_extension)
    appeal = reply_all(cast, appeal, departments)
    if status == Status.REPLIED:
        return _with_extension(cast, appeal, departments, pending_extension)
    ent = cast.users.ent1
    if status == Status.CLOSED:
        return services.rate_appeal(actor=ent, appeal=appeal, rating=Rating.SATISFIED, comment="办理及时")
    if status == Status.REOPENED:
        appeal = services.rate_appeal(actor=ent, appeal=appeal, rating=Rating.UNSATISFIED,
                                      comment="补贴金额与政策规定不符")
        appeal = services.reopen_appeal(actor=ent, appeal=appeal, reason="请重新核算补贴金额")
        return _with_extension(cast, appeal, departments, pending_extension)
    raise ValueError(f"make_appeal cannot reach {status}")


def _with_extension(cast, appeal, departments, pending):
    if not pending:
        return appeal
    if appeal.status not in (Status.ASSIGNED, Status.HANDLING, Status.REOPENED):
        raise ValueError(f"no extension can be pending in state {appeal.status}")
    return services.request_extension(actor=department_user(cast, departments[0]), appeal=appeal, days=3,
                                      reason="需会同区财政局核实补贴资金来源")


def current_assignment(appeal, department):
    return appeal.current_assignments().get(department=department)
