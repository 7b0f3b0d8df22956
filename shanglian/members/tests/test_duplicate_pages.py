"""查重与合并 pages: the queue (待处理/非重复) and 查找疑似重复, one pair side by side, the merge's confirmation and the
merge, 非重复, the merge log and one merge explained — each page for every role of the cast: the editors of the
pair's federation allowed, every other role 403, another federation's editor 404; bad input a Chinese message and
nothing written."""

import pytest
from django.urls import reverse

from shanglian import testing
from shanglian.members.models import DuplicateCandidate, Enterprise, MergeRecord

ROLES = ["admin", "staff", "leader", "chamber1", "chamber2", "dept1", "ent1", "auditor", "outsider_staff"]
REFUSED = {"leader", "chamber1", "chamber2", "dept1", "ent1", "auditor"}


@pytest.fixture
def twin(cast):
    return testing.make_enterprise(cast.district, name="天津友谊科技（集团）有限公司", contact_mobile="13900001111")


@pytest.fixture
def candidate(cast, twin):
    return testing.make_duplicate(cast.ent1, twin, reasons=("name", "mobile"))


@pytest.fixture
def merged(cast, twin, candidate):
    from shanglian.members.merging import merge

    return merge(actor=cast.users.staff, kept=cast.ent1, absorbed=twin, reason="同一企业登记两次", candidate=candidate)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["members:duplicate", "members:duplicate_merge", "members:duplicate_dismiss"])
def test_a_pairs_pages_are_the_editors_of_its_federation(cast, login, candidate, page, role):
    response = login(getattr(cast.users, role)).get(reverse(page, args=[candidate.pk]))
    expected = 403 if role in REFUSED else 404 if role == "outsider_staff" else 200
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_one_merge_is_explained_to_the_editors_of_its_federation(cast, login, merged, role):
    response = login(getattr(cast.users, role)).get(reverse("members:merge", args=[merged.pk]))
    expected = 403 if role in REFUSED else 404 if role == "outsider_staff" else 200
    assert response.status_code == expected


def test_the_queue_lists_open_pairs_with_their_reasons_in_scope(cast, login, candidate):
    page = login(cast.users.staff).get(reverse("members:duplicates")).content.decode()
    assert "天津友谊科技（集团）有限公司" in page and "名称相近、手机号相同" in page
    assert reverse("members:duplicate", args=[candidate.pk]) in page
    other = login(cast.users.outsider_staff).get(reverse("members:duplicates")).content.decode()
    assert "天津友谊科技（集团）有限公司" not in other


def test_the_queue_shows_dismissed_pairs_under_their_tab_only(cast, login, candidate):
    candidate.status = DuplicateCandidate.Status.DISMISSED
    candidate.save()
    client = login(cast.users.staff)
    assert "天津友谊科技（集团）有限公司" not in client.get(reverse("members:duplicates")).content.decode()
    page = client.get(reverse("members:duplicates"), {"status": "dismissed"}).content.decode()
    assert "天津友谊科技（集团）有限公司" in page


def test_the_queue_refuses_an_unknown_status_with_a_chinese_message(cast, login, candidate):
    response = login(cast.users.staff).get(reverse("members:duplicates"), {"status": "nonsense"})
    assert response.status_code == 200
    assert "搜索条件有误" in response.content.decode()


def test_scan_page_asks_first_then_queues_the_pairs(cast, login, twin):
    client = login(cast.users.staff)
    assert "开始查找" in client.get(reverse("members:duplicates_scan")).content.decode()
    assert not DuplicateCandidate.objects.exists()
    response = client.post(reverse("members:duplicates_scan"), follow=True)
    assert "新增待处理 1 组" in response.content.decode()
    assert DuplicateCandidate.objects.get().second == twin


def test_scan_is_refused_to_a_leader_and_writes_nothing(cast, login, twin):
    assert login(cast.users.leader).post(reverse("members:duplicates_scan")).status_code == 403
    assert not DuplicateCandidate.objects.exists()


def test_the_pair_is_compared_side_by_side_with_personal_values_masked(cast, login, candidate, twin):
    page = login(cast.users.staff).get(reverse("members:duplicate", args=[candidate.pk])).content.decode()
    assert cast.ent1.uscc in page and twin.uscc in page
    assert "13900001111" not in page and "139****1111" in page
    assert "不同" in page  # the differing fields are marked
    assert "企业任职" in page  # what each record carries
    assert "下一步：确认合并" in page


def test_the_merge_page_shows_what_moves_then_merges_into_the_record_chosen(cast, login, candidate, twin):
    testing.make_visit(twin)
    client = login(cast.users.staff)
    url = reverse("members:duplicate_merge", args=[candidate.pk])
    page = client.get(url, {"keep": "second"}).content.decode()
    assert "走访记录" in page and "确认合并" in page
    response = client.post(url, {"keep": "second", "reason": "同一企业登记两次"})
    merge_record = MergeRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("members:merge", args=[merge_record.pk])
    assert merge_record.kept_enterprise == twin
    assert not Enterprise.objects.filter(pk=cast.ent1.pk).exists()
    assert twin.memberships.get().number == "HX-2020-0001"


def test_a_merge_without_a_reason_is_refused_and_writes_nothing(cast, login, candidate, twin):
    response = login(cast.users.staff).post(reverse("members:duplicate_merge", args=[candidate.pk]),
                                            {"keep": "first", "reason": " "})
    assert response.status_code == 400
    assert "请填写合并理由" in response.content.decode()
    assert Enterprise.objects.filter(pk=twin.pk).exists() and not MergeRecord.objects.exists()


def test_a_merge_the_plan_refuses_shows_what_to_resolve_and_writes_nothing(cast, login, candidate, twin):
    testing.make_membership(cast.district, twin, number="HX-2021-0100")
    client = login(cast.users.staff)
    url = reverse("members:duplicate_merge", args=[candidate.pk])
    page = client.get(url).content.decode()
    assert "现在不能合并" in page and "两条记录都有工商联会员" in page and "确认合并</button>" not in page
    response = client.post(url, {"keep": "first", "reason": "重复"})
    assert response.status_code == 409
    assert "两条记录都有工商联会员" in response.content.decode()
    assert Enterprise.objects.filter(pk=twin.pk).exists() and not MergeRecord.objects.exists()


def test_a_pair_across_federations_is_refused_on_the_merge_page(cast, login):
    city_staff = testing.make_user("staff", federation=cast.city)
    candidate = DuplicateCandidate.objects.create(federation=cast.district, kind="enterprise", reasons=["name"],
                                                  first_enterprise=cast.ent1, second_enterprise=cast.ent_other)
    client = login(city_staff)
    url = reverse("members:duplicate_merge", args=[candidate.pk])
    assert "属于不同的工商联" in client.get(url).content.decode()
    response = client.post(url, {"keep": "first", "reason": "重复"})
    assert response.status_code == 409 and "不能跨工商联合并" in response.content.decode()
    assert Enterprise.objects.filter(pk=cast.ent_other.pk).exists() and not MergeRecord.objects.exists()


def test_a_leader_cannot_merge_by_post(cast, login, candidate, twin):
    response = login(cast.users.leader).post(reverse("members:duplicate_merge", args=[candidate.pk]),
                                             {"keep": "first", "reason": "重复"})
    assert response.status_code == 403
    assert Enterprise.objects.filter(pk=twin.pk).exists()


def test_dismiss_marks_the_pair_not_a_duplicate(cast, login, candidate):
    client = login(cast.users.staff)
    response = client.post(reverse("members:duplicate_dismiss", args=[candidate.pk]), {"note": "不同企业"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.status, candidate.note) == (DuplicateCandidate.Status.DISMISSED, "不同企业")
    again = client.post(reverse("members:duplicate_merge", args=[candidate.pk]), {"keep": "first", "reason": "x"})
    assert again.status_code == 302 and MergeRecord.objects.count() == 0


def test_dismiss_with_a_note_too_long_is_refused(cast, login, candidate):
    response = login(cast.users.staff).post(reverse("members:duplicate_dismiss", args=[candidate.pk]),
                                            {"note": "很" * 201})
    assert response.status_code == 400 and "说明最多 200 个字" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.OPEN


def test_the_merge_log_lists_and_explains_a_merge(cast, login, merged):
    client = login(cast.users.staff)
    page = client.get(reverse("members:merges")).content.decode()
    assert "天津友谊科技（集团）有限公司" in page and reverse("members:merge", args=[merged.pk]) in page
    detail = client.get(reverse("members:merge", args=[merged.pk])).content.decode()
    assert "同一企业登记两次" in detail and "名称相近、手机号相同" in detail
    assert f"编号 {merged.absorbed_id}" in detail and "139****1111" in detail and "13900001111" not in detail
    assert "天津友谊科技（集团）有限公司" not in login(cast.users.outsider_staff).get(
        reverse("members:merges")).content.decode()
