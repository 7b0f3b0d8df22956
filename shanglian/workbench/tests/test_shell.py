import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from shanglian.workbench.tests.test_permission_matrix import MATRIX

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
# The pages that answer a file to download (an xlsx, the Word template) reference nothing.
USER_PAGES = [("staff", page, target) for page, target, expected in MATRIX
              if expected["staff"] == 200 and not page.endswith(("export", "template", "template_download"))]


@pytest.mark.parametrize(("role", "page", "target"), USER_PAGES + [("admin", "admin:index", None),
                                                                   ("auditor", "audit:event_list", None)])
def test_no_page_references_an_external_url(cast, login, role, page, target):
    args = [getattr(cast, target).pk] if target else None
    response = login(getattr(cast.users, role)).get(reverse(page, args=args))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content  # a GeoJSON file
    assert not EXTERNAL.search(body.decode())


def test_login_page_references_no_external_url(client, db):
    assert not EXTERNAL.search(client.get("/accounts/login/").content.decode())


def test_vendored_assets_exist_with_their_versions():
    vendor = Path(django_settings.BASE_DIR) / "static" / "vendor"
    versions = (vendor / "VERSIONS.txt").read_text()
    for name, path in (("echarts", "echarts/echarts.min.js"), ("alpinejs", "alpinejs-csp/alpine-csp.min.js")):
        assert name in versions.lower()
        assert (vendor / path).stat().st_size > 10_000


def test_navigation_follows_the_role(cast, login):
    staff_page = login(cast.users.staff).get("/").content.decode()
    assert "会员企业" in staff_page and "审计日志" not in staff_page and "管理后台" not in staff_page
    auditor_page = login(cast.users.auditor).get("/").content.decode()
    assert "审计日志" in auditor_page and "会员企业" not in auditor_page


def test_workbench_shows_the_todo_counts_of_the_user(cast, login):
    from shanglian.orgs.models import Chamber

    Chamber.objects.filter(pk=cast.chamber2.pk).update(secretary_general="")
    page = login(cast.users.staff).get("/").content.decode()
    assert "未设秘书长的商会" in page
    listed = login(cast.users.staff).get(reverse("orgs:chamber_list") + "?missing=secretary").content.decode()
    assert "河西区浙江商会" in listed and "友谊路街道商会" not in listed


def test_empty_list_shows_chinese_empty_state(cast, login):
    page = login(cast.users.staff).get(reverse("members:enterprise_list") + "?q=不存在的企业").content.decode()
    assert "暂无数据" in page and "共 0 条" in page


def test_bad_search_input_gives_a_chinese_message_not_an_error(cast, login):
    response = login(cast.users.staff).get(reverse("members:enterprise_list") + "?industry_division=abc")
    assert response.status_code == 200 and "行业大类为 2 位数字代码" in response.content.decode()


def test_htmx_search_returns_only_the_table(cast, login):
    response = login(cast.users.staff).get(reverse("members:enterprise_list") + "?q=友谊", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "天津友谊科技有限公司" in body and "<html" not in body


def test_list_pages_sort_and_paginate(cast, login):
    from shanglian import testing

    for i in range(25):
        testing.make_enterprise(cast.district, name=f"天津排序测试{i:02d}有限公司")
    client = login(cast.users.staff)
    first = client.get(reverse("members:enterprise_list") + "?sort=name").content.decode()
    assert "共 27 条" in first or "共 28 条" in first
    second = client.get(reverse("members:enterprise_list") + "?sort=name&page=2").content.decode()
    assert "下一页" in first and "上一页" in second


def test_person_list_masks_id_numbers_and_mobiles(cast, login):
    body = login(cast.users.staff).get(reverse("members:person_list")).content.decode()
    assert not re.search(r"\d{17}[\dXx]", body) and not re.search(r"(?<!\d)1\d{10}(?!\d)", body)
    assert "**********" in body and "****" in body


def test_security_headers_on_pages(cast, login):
    response = login(cast.users.staff).get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]
    assert "no-store" in login(cast.users.staff).get(
        reverse("members:person_detail", args=[cast.person1.pk]))["Cache-Control"]


def test_admin_keeps_clickjacking_protection(cast, login):
    assert login(cast.users.admin).get("/admin/")["X-Frame-Options"] == "DENY"


def test_git_and_media_are_not_served(client, db):
    assert client.get("/.git/HEAD").status_code == 404
    assert client.get("/media/").status_code == 404


def _manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SHANGLIAN_DEMO", "DEBUG"}}
    env.update(env_extra)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=django_settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


PRODUCTION_ENV = {
    "SHANGLIAN_ENV": "production",
    "SECRET_KEY": "x8#Jk2!pQz7@Lm4$Rt9^Wv3&Yb6*Nc1(Hs5)Fd0_Ge" * 2,
    "SHANGLIAN_FIELD_KEYS": "k1=" + "A" * 43 + "=",
    "SHANGLIAN_BLIND_INDEX_KEY": "B" * 43 + "=",
    "SHANGLIAN_AUDIT_CHAIN_KEY": "C" * 43 + "=",
    "ALLOWED_HOSTS": "shanglian.example.gov.cn",
}


def test_production_settings_pass_check_deploy_with_no_warning(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     env_extra={**PRODUCTION_ENV, "SHANGLIAN_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_the_encryption_key(tmp_path):
    env = {**PRODUCTION_ENV, "SHANGLIAN_VAR_DIR": str(tmp_path)}
    env.pop("SHANGLIAN_FIELD_KEYS")
    result = _manage("check", env_extra=env)
    assert result.returncode != 0 and "SHANGLIAN_FIELD_KEYS" in result.stderr


def test_production_refuses_to_start_without_the_audit_chain_key(tmp_path):
    env = {**PRODUCTION_ENV, "SHANGLIAN_VAR_DIR": str(tmp_path)}
    env.pop("SHANGLIAN_AUDIT_CHAIN_KEY")
    result = _manage("check", env_extra=env)
    assert result.returncode != 0 and "SHANGLIAN_AUDIT_CHAIN_KEY" in result.stderr


def test_only_the_deepest_matching_navigation_item_is_active(cast, login):
    body = login(cast.users.staff).get(reverse("members:member_statistics")).content.decode()
    assert body.count('class="nav-item active"') == 1
    assert re.search(r'class="nav-item active" href="/members/statistics/">会员统计', body)
