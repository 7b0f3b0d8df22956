"""商会评估 pages: the list and its export in each user's scope, one assessment's page (another chamber's is 404 and
audited), 新建 with its refusals, an item's 填报 with evidence uploaded and downloaded within the scope only, 核实
(staff only: a chamber secretary 403), the workflow's buttons, an evidence file's deletion after confirmation, the
items list the 待办 link to."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.honours.models import Assessment, AssessmentItem, EvidenceFile

A = Assessment.Status
I = AssessmentItem.Status  # noqa: E741
LIST = reverse("honours:assessments")
ITEMS = reverse("honours:assessment_items")
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def client_of(user):
    """A client of its own for `user` (the `login` fixture's client is one, switched by each call)."""
    client = Client()
    client.force_login(user)
    return client


def count(page):
    return int(re.search(r"共 (\d+) 条", page).group(1))


def detail(assessment):
    return reverse("honours:assessment", args=[assessment.pk])


def filled(assessment, status=I.PENDING):
    for item in assessment.items.all():
        testing.claim_item(assessment, item.code, met=True, status=status)
    return assessment


@pytest.fixture
def book(cast):
    return {
        "five": testing.make_assessment(cast.chamber1, year=2025),
        "four": testing.make_assessment(cast.chamber2, scheme="four_good", year=2025),
        "self": testing.make_assessment(cast.district, scheme="five_good", year=2025),
        "other": testing.make_assessment(testing.make_chamber(cast.other, name="南开区某街道商会"), year=2025),
    }


# --- the list ------------------------------------------------------------------------------------------------------
def test_the_federation_lists_its_assessments_and_a_chamber_only_its_own(cast, book, login):
    page = login(cast.users.staff).get(LIST).content.decode()
    assert count(page) == 3 and "南开区某街道商会" not in page and "新建评估" in page
    page = login(cast.users.chamber1).get(LIST).content.decode()
    assert count(page) == 1 and "友谊路街道商会" in page and "河西区浙江商会" not in page and "河西区工商联" not in page
    page = login(cast.users.chamber2).get(LIST).content.decode()
    assert count(page) == 1 and "河西区浙江商会" in page
    page = login(cast.users.leader).get(LIST).content.decode()
    assert count(page) == 3 and "新建评估" not in page
    for role in ("dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(LIST).status_code == 403


def test_the_list_filters(cast, book, login):
    client = login(cast.users.staff)
    assert count(client.get(f"{LIST}?scheme=four_good").content.decode()) == 1
    assert count(client.get(f"{LIST}?q=友谊路").content.decode()) == 1
    assert count(client.get(f"{LIST}?q=河西区工商联").content.decode()) == 1
    testing.claim_item(book["four"], "team", score=Decimal(20), status=I.RETURNED)
    assert count(client.get(f"{LIST}?item=returned").content.decode()) == 1
    page = client.get(f"{LIST}?year=1800").content.decode()
    assert count(page) == 0 and "搜索条件有误" in page


def test_the_export_is_the_users_scope_and_audited(cast, book, login):
    response = login(cast.users.chamber1).get(reverse("honours:assessments_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "评估对象" and [row[0] for row in rows[1:]] == ["友谊路街道商会"]
    assert AuditEvent.objects.filter(action="export", object_type="honours.assessment").exists()


# --- one assessment ------------------------------------------------------------------------------------------------
def test_a_chamber_secretary_sees_only_its_own_chambers_assessment(cast, book, login):
    assert login(cast.users.chamber1).get(detail(book["five"])).status_code == 200
    assert login(cast.users.chamber2).get(detail(book["five"])).status_code == 404
    denied = AuditEvent.objects.filter(action="denied", object_type="honours.assessment").latest("id")
    assert denied.object_id == str(book["five"].pk) and denied.username == "chamber2"
    assert login(cast.users.chamber1).get(detail(book["self"])).status_code == 404  # the federation's own
    assert login(cast.users.outsider_staff).get(detail(book["five"])).status_code == 404
    assert login(cast.users.leader).get(detail(book["five"])).status_code == 200
    assert login(cast.users.dept1).get(detail(book["five"])).status_code == 403


def test_the_page_shows_each_item_with_its_guide_and_the_keepers_buttons(cast, book, login):
    page = login(cast.users.chamber1).get(detail(book["five"])).content.decode()
    assert "机构牌子" in page and "商会牌子悬挂的照片" in page and "提交核定" in page
    assert reverse("honours:item_edit", args=[book["five"].pk, "sign"]) in page
    page = login(cast.users.leader).get(detail(book["five"])).content.decode()
    assert "提交核定" not in page and reverse("honours:item_edit", args=[book["five"].pk, "sign"]) not in page


def test_a_confirmed_scored_assessment_shows_its_total_and_level(cast, book, login):
    Assessment.objects.filter(pk=book["four"].pk).update(status=A.CONFIRMED, total_score=Decimal("89.99"),
                                                         level="“四好”商会")
    page = login(cast.users.chamber2).get(detail(book["four"])).content.decode()
    assert "89.99 分 · “四好”商会" in page


# --- 新建 -----------------------------------------------------------------------------------------------------------
def test_a_chamber_secretary_creates_its_five_have_and_a_duplicate_is_refused(cast, login):
    client = login(cast.users.chamber1)
    url = reverse("honours:assessment_create")
    page = client.get(url).content.decode()
    assert "“五好”工商联自查" not in page and "河西区浙江商会" not in page
    response = client.post(url, {"scheme": "five_have", "year": 2025, "chamber": cast.chamber1.pk})
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(assessment)
    response = client.post(url, {"scheme": "five_have", "year": 2025, "chamber": cast.chamber1.pk})
    assert response.status_code == 400 and "已有镇街商会“五有”评估，不能重复创建" in response.content.decode()
    response = client.post(url, {"scheme": "four_good", "year": 2025, "chamber": cast.chamber2.pk})
    assert response.status_code == 400 and Assessment.objects.count() == 1


def test_a_non_township_chamber_is_not_offered_the_five_have(cast, login):
    page = login(cast.users.chamber2).get(reverse("honours:assessment_create")).content.decode()
    assert "镇街商会“五有”" not in page and "“四好”商会" in page


def test_readers_cannot_create(cast, login):
    assert login(cast.users.leader).get(reverse("honours:assessment_create")).status_code == 403


# --- 填报, evidence ------------------------------------------------------------------------------------------------
def test_an_item_without_evidence_is_refused_on_the_page(cast, book, login):
    client = login(cast.users.chamber1)
    url = reverse("honours:item_edit", args=[book["five"].pk, "office"])
    response = client.post(url, {"met": "yes", "note": ""})
    assert response.status_code == 400 and "请填写佐证说明或上传佐证材料" in response.content.decode()
    assert book["five"].items.get(code="office").met is None


def test_evidence_is_uploaded_and_downloaded_within_the_scope_only(cast, book, login):
    client = login(cast.users.chamber1)
    url = reverse("honours:item_edit", args=[book["five"].pk, "office"])
    response = client.post(url, {"met": "yes", "note": "",
                                 "files": [SimpleUploadedFile("租赁合同.pdf", PDF_BYTES, content_type="application/pdf")]})
    assert response.status_code == 302 and response["Location"].endswith("#item-office")
    evidence = EvidenceFile.objects.get()
    assert evidence.item.status == I.PENDING and evidence.item.met is True
    download = reverse("honours:evidence_download", args=[evidence.pk])
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert login(cast.users.staff).get(download).status_code == 200
    assert login(cast.users.chamber2).get(download).status_code == 404
    assert login(cast.users.outsider_staff).get(download).status_code == 404
    assert login(cast.users.ent1).get(download).status_code == 403


def test_a_file_of_a_forbidden_type_is_refused(cast, book, login):
    client = login(cast.users.chamber1)
    url = reverse("honours:item_edit", args=[book["five"].pk, "office"])
    response = client.post(url, {"met": "yes", "files": [SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")]})
    assert response.status_code == 400 and not EvidenceFile.objects.exists()


def test_a_chamber_secretary_edits_only_its_own_chambers_items(cast, book, login):
    url = reverse("honours:item_edit", args=[book["five"].pk, "sign"])
    assert login(cast.users.chamber1).get(url).status_code == 200
    assert login(cast.users.chamber2).get(url).status_code == 404
    response = login(cast.users.chamber2).post(url, {"met": "yes", "note": "冒填"})
    assert response.status_code == 404 and book["five"].items.get(code="sign").met is None
    assert login(cast.users.leader).get(url).status_code == 403
    assert login(cast.users.staff).get(url).status_code == 200
    assert login(cast.users.chamber1).get(reverse("honours:item_edit", args=[book["five"].pk, "nope"])).status_code \
        == 404


def test_a_scored_item_is_filled_with_its_score(cast, book, login):
    client = login(cast.users.chamber2)
    url = reverse("honours:item_edit", args=[book["four"].pk, "service"])
    assert "满分 25 分" in client.get(url).content.decode()
    response = client.post(url, {"score": "30", "note": "服务台账"})
    assert response.status_code == 400 and "得分应在 0 至 25 分之间" in response.content.decode()
    assert client.post(url, {"score": "22.5", "note": "服务台账"}).status_code == 302
    assert book["four"].items.get(code="service").score == Decimal("22.50")


def test_evidence_is_deleted_after_confirmation_while_filling_in(cast, book, login):
    client = login(cast.users.chamber1)
    client.post(reverse("honours:item_edit", args=[book["five"].pk, "sign"]),
                {"met": "yes", "files": [SimpleUploadedFile("牌子.pdf", PDF_BYTES)]})
    evidence = EvidenceFile.objects.get()
    url = reverse("honours:evidence_delete", args=[evidence.pk])
    assert login(cast.users.chamber2).get(url).status_code == 404
    assert login(cast.users.leader).get(url).status_code == 403
    client = login(cast.users.chamber1)
    page = client.get(url).content.decode()
    assert "牌子.pdf" in page and EvidenceFile.objects.exists()
    assert client.post(url).status_code == 302 and not EvidenceFile.objects.exists()


# --- 核实 and the workflow ------------------------------------------------------------------------------------------
def test_a_chamber_secretary_cannot_verify(cast, book, login):
    filled(book["five"])
    Assessment.objects.filter(pk=book["five"].pk).update(status=A.SUBMITTED)
    item = book["five"].items.get(code="sign")
    url = reverse("honours:item_verify", args=[item.pk])
    assert login(cast.users.chamber1).get(url).status_code == 403
    assert login(cast.users.chamber1).post(url, {"result": "verified"}).status_code == 403
    assert login(cast.users.leader).get(url).status_code == 403
    assert login(cast.users.outsider_staff).get(url).status_code == 404
    item.refresh_from_db()
    assert item.status == I.PENDING


def test_staff_verify_return_with_a_remark_and_confirm_from_the_pages(cast, book, login):
    assessment = filled(book["five"])
    client = client_of(cast.users.chamber1)
    submit = reverse("honours:assessment_transition", args=[assessment.pk, "submit"])
    assert client.get(submit).status_code == 405
    assert client.post(submit).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == A.SUBMITTED
    assert client.post(reverse("honours:assessment_transition", args=[assessment.pk, "confirm"])).status_code == 403
    staff = client_of(cast.users.staff)
    confirm = reverse("honours:assessment_transition", args=[assessment.pk, "confirm"])
    response = staff.post(confirm, follow=True)
    assert "尚未核实" in response.content.decode()
    items = {item.code: item for item in assessment.items.all()}
    page = staff.get(reverse("honours:item_verify", args=[items["funds"].pk])).content.decode()
    assert "核实：工作经费" in page and "申报：达标" in page
    response = staff.post(reverse("honours:item_verify", args=[items["funds"].pk]), {"result": "returned"})
    assert response.status_code == 400 and "退回补充时请填写核实意见" in response.content.decode()
    staff.post(reverse("honours:item_verify", args=[items["funds"].pk]), {"result": "returned", "remark": "缺少凭证"})
    response = staff.post(reverse("honours:assessment_transition", args=[assessment.pk, "return"]), {"reason": ""})
    assert response.status_code == 400
    staff.post(reverse("honours:assessment_transition", args=[assessment.pk, "return"]), {"reason": "经费凭证缺失"})
    assessment.refresh_from_db()
    assert assessment.status == A.DRAFT
    page = client.get(detail(assessment)).content.decode()
    assert "经费凭证缺失" in page and "缺少凭证" in page
    client.post(reverse("honours:item_edit", args=[assessment.pk, "funds"]), {"met": "yes", "note": "补充了凭证"})
    client.post(submit)
    for item in assessment.items.all():
        staff.post(reverse("honours:item_verify", args=[item.pk]), {"result": "verified"})
    assert staff.post(confirm).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == A.CONFIRMED and assessment.level == "达标"
    assert "<strong>达标</strong>" in client.get(detail(assessment)).content.decode()


def test_an_unknown_action_is_404(cast, book, login):
    url = reverse("honours:assessment_transition", args=[book["five"].pk, "publish"])
    assert login(cast.users.staff).post(url).status_code == 404


def test_a_draft_is_deleted_by_its_keeper(cast, book, login):
    url = reverse("honours:assessment_delete", args=[book["five"].pk])
    assert login(cast.users.chamber2).get(url).status_code == 404
    assert login(cast.users.leader).get(url).status_code == 403
    client = login(cast.users.chamber1)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302 and not Assessment.objects.filter(pk=book["five"].pk).exists()


# --- the items list --------------------------------------------------------------------------------------------------
def test_the_items_list_shows_the_evidence_waiting_for_staff(cast, book, login):
    filled(book["five"])
    Assessment.objects.filter(pk=book["five"].pk).update(status=A.SUBMITTED)
    testing.claim_item(book["four"], "team", score=Decimal(20))  # pending, but its assessment is a draft
    client = login(cast.users.staff)
    page = client.get(f"{ITEMS}?status=pending&assessment_status=submitted").content.decode()
    assert count(page) == 5 and "核实" in page
    assert count(login(cast.users.chamber2).get(f"{ITEMS}?status=pending").content.decode()) == 1
    assert login(cast.users.dept1).get(ITEMS).status_code == 403


def test_the_history_gathers_the_assessment_its_items_and_its_deleted_evidence(cast, book, login):
    client = login(cast.users.chamber1)
    client.post(reverse("honours:item_edit", args=[book["five"].pk, "sign"]),
                {"met": "yes", "files": [SimpleUploadedFile("牌子.pdf", PDF_BYTES)]})
    client.post(reverse("honours:evidence_delete", args=[EvidenceFile.objects.get().pk]))
    page = client.get(detail(book["five"])).content.decode()
    history = page.split("变更记录")[1]
    assert "镇街商会“五有” 机构牌子" in history and "牌子.pdf" in history and "删除" in history
    assert login(cast.users.chamber2).get(detail(book["four"])).status_code == 200
    assert "牌子.pdf" not in login(cast.users.chamber2).get(detail(book["four"])).content.decode()
