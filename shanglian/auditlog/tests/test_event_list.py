from datetime import timedelta
from io import BytesIO

import openpyxl
import pytest
from django.utils import timezone

from shanglian.audit import services
from shanglian.audit.models import AuditAction, AuditEvent, AuditResult


def _named(user, name):
    user.display_name = name
    user.save(update_fields=["display_name"])
    return user


def test_auditor_reads_the_log_and_sees_the_events(cast, login):
    services.record("login", actor=cast.users.staff)
    page = login(cast.users.auditor).get("/audit/?action=login")
    assert page.status_code == 200 and "staff" in page.content.decode()


@pytest.mark.parametrize("role", ["admin", "staff", "leader", "chamber1", "dept1", "ent1"])
def test_every_role_but_the_auditor_is_refused_the_log_its_detail_and_its_export(cast, login, role):
    event = services.record("login", actor=cast.users.staff)
    client = login(getattr(cast.users, role))
    for url in ("/audit/", f"/audit/{event.pk}/", "/audit/export/"):
        assert client.get(url).status_code == 403, url
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_list_shows_the_actors_name_and_chinese_role_not_the_request_id(cast, login):
    staff = _named(cast.users.staff, "王主任")
    event = services.record(AuditAction.UPDATE, actor=staff, obj=cast.ent1)
    html = login(cast.users.auditor).get("/audit/").content.decode()
    assert "王主任" in html and "工商联工作人员" in html and "天津友谊科技有限公司" in html
    assert "请求编号" not in html
    assert f"/audit/{event.pk}/" in html  # every row opens its detail


def test_a_refused_page_is_named_not_shown_as_its_raw_path(cast, login):
    login(cast.users.staff).get("/audit/")  # staff is refused: one 越权访问 row for the path /audit/
    event = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert event.object_repr == "/audit/"
    html = login(cast.users.auditor).get("/audit/?action=denied").content.decode()
    assert "审计日志页面" in html
    assert ">/audit/<" not in html


def test_the_actor_is_shown_as_recorded_and_deleting_them_disables_instead(cast, login):
    user = _named(cast.users.leader, "赵领导")
    event = services.record(AuditAction.LOGIN, actor=user)
    user.delete()  # an account with audit history is disabled, not deleted
    user.refresh_from_db()
    assert user.is_active is False
    user.display_name = "改名后"
    user.save(update_fields=["display_name"])
    assert services.verify_chain() == []  # no audit row changed
    client = login(cast.users.auditor)
    assert "赵领导" in client.get("/audit/").content.decode()  # the name at the time, kept in the row
    detail = client.get(f"/audit/{event.pk}/").content.decode()
    assert "赵领导" in detail and "leader" in detail


def test_the_detail_shows_the_changes_as_a_table_and_the_other_keys_in_chinese(cast, login):
    event = services.record(AuditAction.UPDATE, actor=cast.users.staff, obj=cast.ent1, detail={
        "changes": [{"field": "企业名称", "old": "旧名称有限公司", "new": "天津友谊科技有限公司"}],
        "via": "admin", "reason": "out_of_scope", "fields": ["name", "uscc"], "rows": 3,
    })
    html = login(cast.users.auditor).get(f"/audit/{event.pk}/").content.decode()
    for text in ("企业名称", "旧名称有限公司", "天津友谊科技有限公司", "途径", "管理后台", "原因", "超出数据范围",
                 "涉及字段", "统一社会信用代码", "仍存在", event.request_id or "—", event.hash):
        assert text in html, text
    assert "out_of_scope" not in html and ">via<" not in html


def test_the_detail_says_when_the_object_is_gone_and_offers_its_whole_trail(cast, login):
    street = cast.street
    event = services.record(AuditAction.DELETE, actor=cast.users.staff, obj=cast.dept2)
    cast.dept2.delete()
    html = login(cast.users.auditor).get(f"/audit/{event.pk}/").content.decode()
    assert "区人社局" in html and "已删除" in html
    assert f"object_type=orgs.department&amp;object_id={event.object_id}" in html
    assert street.pk  # the rest of the cast is untouched


def test_the_workflow_transition_and_states_read_as_their_labels(cast, login):
    event = services.record(AuditAction.UPDATE, actor=cast.users.staff, object_type="appeals.appeal",
                            object_id="999", object_repr="2026-0001 停车难",
                            detail={"transition": "accept", "from": "submitted", "to": "accepted"})
    html = login(cast.users.auditor).get(f"/audit/{event.pk}/").content.decode()
    assert "受理" in html and "已提交" in html and "已受理" in html and "submitted" not in html


def test_a_missing_event_is_404(cast, login):
    assert login(cast.users.auditor).get("/audit/999999/").status_code == 404


def test_filters_by_actor_name_or_login_action_result_type_and_dates(cast, login):
    staff = _named(cast.users.staff, "王主任")
    services.record(AuditAction.UPDATE, actor=staff, obj=cast.ent1)
    services.record(AuditAction.LOGIN_FAILED, username="ghost", result=AuditResult.FAILURE)
    services.record(AuditAction.UPDATE, actor=cast.users.leader, obj=cast.dept1)
    client = login(cast.users.auditor)

    def rows(query):
        return client.get(f"/audit/?{query}").content.decode().count('class="col-actions"><a')

    assert rows("actor=王主") == 1
    assert rows("actor=STAFF") == 1
    assert rows("actor=ghost&result=failure") == 1
    assert rows("action=update") == 2
    assert rows("object_type=orgs.department") == 1
    assert rows(f"object_type=members.enterprise&object_id={cast.ent1.pk}") == 1
    today = timezone.localdate()
    assert rows(f"action=update&start={today}&end={today}") == 2
    assert rows(f"action=update&end={today - timedelta(days=1)}") == 0


def test_a_reversed_date_range_is_refused_with_a_chinese_message(cast, login):
    response = login(cast.users.auditor).get("/audit/export/?start=2026-11-30&end=2026-11-01")
    assert response.status_code == 400
    assert "开始日期不能晚于结束日期" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_export_is_the_filtered_list_and_is_itself_audited(cast, login):
    staff = _named(cast.users.staff, "王主任")
    services.record(AuditAction.UPDATE, actor=staff, obj=cast.ent1,
                    detail={"changes": [{"field": "企业名称", "old": "甲", "new": "乙"}]})
    services.record(AuditAction.LOGIN, actor=cast.users.leader)
    auditor = cast.users.auditor
    response = login(auditor).get("/audit/export/?action=update")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("时间", "用户", "登录名", "角色", "事件")
    assert len(rows) == 2
    assert rows[1][1] == "王主任" and rows[1][3] == "工商联工作人员" and "企业名称：甲 → 乙" in rows[1][10]
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.actor == auditor and export.object_type == "audit.auditevent"
    assert export.detail == {"rows": 1, "filters": {"action": "update"}}


def test_a_search_in_place_brings_the_export_link_with_the_new_filters(cast, login):
    response = login(cast.users.auditor).get("/audit/?action=update", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'id="list-toolbar" hx-swap-oob="true"' in page
    assert 'href="/audit/export/?action=update"' in page


def test_the_list_reads_actors_and_roles_in_a_fixed_number_of_queries(cast, login, django_assert_max_num_queries):
    users = [cast.users.staff, cast.users.leader, cast.users.chamber1, cast.users.dept1, cast.users.admin]
    for i in range(30):
        services.record(AuditAction.UPDATE, actor=users[i % len(users)], obj=cast.ent1)
    client = login(cast.users.auditor)
    with django_assert_max_num_queries(12):
        assert client.get("/audit/").status_code == 200


def test_the_exports_own_record_reads_its_filters_in_words(cast, login):
    client = login(cast.users.auditor)
    client.get("/audit/export/?action=update&result=denied&object_type=members.enterprise")
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    html = client.get(f"/audit/{export.pk}/").content.decode()
    assert "事件：修改" in html and "结果：拒绝" in html and "对象类型：企业" in html and "导出行数" in html
