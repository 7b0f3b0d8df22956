from shanglian.audit import services
from shanglian.audit.models import AuditAction, AuditEvent, AuditResult


def test_the_auditors_workbench_lists_recent_denials_and_exports_linking_to_each_record(cast, login):
    cast.users.staff.display_name = "王主任"
    cast.users.staff.save(update_fields=["display_name"])
    services.record(AuditAction.LOGIN_FAILED, username="ghost", result=AuditResult.FAILURE)
    services.record(AuditAction.DENIED, actor=cast.users.chamber2, result=AuditResult.DENIED,
                    object_type="orgs.chamber", object_id=str(cast.chamber1.pk), object_repr="商会 #1")
    services.record(AuditAction.EXPORT, actor=cast.users.staff, object_type="members.enterprise",
                    object_repr="会员企业名单", detail={"rows": 2})
    services.record(AuditAction.LOGIN, actor=cast.users.staff)  # neither a denial nor an export
    html = login(cast.users.auditor).get("/").content.decode()
    assert "最近的安全事件" in html and "最近的导出" in html
    assert "ghost" in html and "登录失败" in html and "越权访问" in html
    assert "会员企业名单" in html and "王主任" in html
    for event in AuditEvent.objects.exclude(action=AuditAction.LOGIN):
        assert f'href="/audit/{event.pk}/"' in html
    for login_event in AuditEvent.objects.filter(action=AuditAction.LOGIN):
        assert f'href="/audit/{login_event.pk}/"' not in html


def test_the_auditors_workbench_says_so_when_nothing_happened(cast, login):
    html = login(cast.users.auditor).get("/").content.decode()
    assert "暂无越权访问、登录失败或账户锁定" in html and "暂无导出记录" in html


def test_other_roles_do_not_get_the_auditors_panels(cast, login):
    services.record(AuditAction.EXPORT, actor=cast.users.staff, object_repr="会员企业名单")
    for role in ("admin", "staff", "leader", "chamber1", "dept1"):
        html = login(getattr(cast.users, role)).get("/").content.decode()
        assert "最近的导出" not in html and "会员企业名单" not in html, role
