"""宣传报道导入 (communications/imports.py on the one Excel pipeline, its pages and its command): rows become articles
of the importer's federation featuring the enterprises (by name or credit code) and persons (by name, or 姓名（企业）
when two share the name) they name; a bad date, level or link, an unknown or ambiguous name, a person outside the
scope, a row repeated in the file or already recorded is refused with its row number and nothing is written;
importing twice adds nothing; a leader or a chamber secretary may not import."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shanglian import testing
from shanglian.audit.models import AuditEvent
from shanglian.communications.imports import ArticleImportSpec, import_articles, import_template, split_names
from shanglian.communications.models import Article

HEADERS = ["刊发日期", "标题", "媒体", "媒体级别", "类型", "链接", "宣传企业", "宣传人物", "备注"]


def row(**cells):
    assert not set(cells) - set(HEADERS), set(cells) - set(HEADERS)
    return [cells.get(header, "") for header in HEADERS]


def xlsx(rows):
    return testing.xlsx_of(HEADERS, rows)


@pytest.fixture
def upload(tmp_path):
    def write(rows, name="宣传报道.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx(rows))
        return path
    return write


def good_rows(cast):
    return [
        row(刊发日期="2025-06-01", 标题="科技企业家王建国", 媒体="天津日报", 媒体级别="市级", 类型="人物专访",
            链接="https://www.example.com/1.html", 宣传企业=cast.ent1.name, 宣传人物="王建国"),  # 2
        row(刊发日期="2025/3/5", 标题="浙商在河西", 媒体="人民日报", 媒体级别="中央级",
            宣传企业=f"{cast.ent1.uscc.lower()}、{cast.ent2.name}", 宣传人物="陈浙江，王建国"),  # 3
        row(刊发日期="2024年12月1日", 标题="工商联年度工作综述", 媒体="区融媒体中心", 媒体级别="区级"),  # 4
    ]


def test_a_good_file_adds_its_articles_with_whom_they_feature(cast, upload):
    report = import_articles(actor=cast.users.staff, path=upload(good_rows(cast)))
    assert report.committed and report.created == 3, [str(e) for e in report.errors]
    by_title = {a.title: a for a in Article.objects.all()}
    first = by_title["科技企业家王建国"]
    assert (first.level, first.kind, first.federation, first.created_by) == (
        "municipal", "feature", cast.district, cast.users.staff)
    assert list(first.persons.all()) == [cast.person1] and list(first.enterprises.all()) == [cast.ent1]
    second = by_title["浙商在河西"]
    assert set(second.enterprises.all()) == {cast.ent1, cast.ent2}
    assert set(second.persons.all()) == {cast.person1, cast.person2} and second.kind == "news"
    assert by_title["工商联年度工作综述"].published_on.isoformat() == "2024-12-01"
    assert AuditEvent.objects.filter(action="import", object_type="communications.article").count() == 1


def test_importing_the_same_file_twice_adds_nothing(cast, upload):
    import_articles(actor=cast.users.staff, path=upload(good_rows(cast)))
    report = import_articles(actor=cast.users.staff, path=upload(good_rows(cast), name="again.xlsx"))
    assert not report.committed and report.failed == 3 and Article.objects.count() == 3
    assert all("已登记过这篇稿件" in str(e) for e in report.errors)


def test_two_persons_sharing_a_name_are_told_apart_by_their_enterprise(cast, upload):
    twin = testing.make_person(cast.district, name="王建国", enterprise=cast.ent2)
    rows = [row(刊发日期="2025-06-01", 标题="甲", 媒体="天津日报", 媒体级别="市级", 宣传人物="王建国")]
    report = import_articles(actor=cast.users.staff, path=upload(rows))
    assert not report.committed and "有多位名为“王建国”的人员" in str(report.errors[0])
    rows = [row(刊发日期="2025-06-01", 标题="甲", 媒体="天津日报", 媒体级别="市级",
                宣传人物=f"王建国（{cast.ent2.name}）、王建国({cast.ent1.uscc})")]
    report = import_articles(actor=cast.users.staff, path=upload(rows, name="b.xlsx"))
    assert report.committed, [str(e) for e in report.errors]
    assert set(Article.objects.get().persons.all()) == {twin, cast.person1}


def test_bad_rows_are_refused_with_their_row_number_and_nothing_is_written(cast, upload):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    testing.make_person(cast.other, name="外区人士")
    rows = [
        *good_rows(cast)[:1],  # 2: good
        row(刊发日期=tomorrow, 标题="未来", 媒体="天津日报", 媒体级别="市级"),  # 3
        row(刊发日期="2025-06-01", 标题="级别", 媒体="天津日报", 媒体级别="宇宙级"),  # 4
        row(刊发日期="2025-06-01", 标题="链接", 媒体="天津日报", 媒体级别="市级", 链接="javascript:alert(1)"),  # 5
        row(刊发日期="2025-06-01", 标题="企业", 媒体="天津日报", 媒体级别="市级", 宣传企业="不存在的公司"),  # 6
        row(刊发日期="2025-06-01", 标题="人物", 媒体="天津日报", 媒体级别="市级", 宣传人物="外区人士"),  # 7
        good_rows(cast)[0],  # 8: the same as row 2
        row(刊发日期="2025-06-01", 媒体="天津日报", 媒体级别="市级"),  # 9: no title
        row(刊发日期="2025-06-01", 标题="外区企业", 媒体="天津日报", 媒体级别="市级", 宣传企业=cast.ent_other.uscc),  # 10
    ]
    report = import_articles(actor=cast.users.staff, path=upload(rows))
    assert not report.committed and not Article.objects.exists()
    by_row = {r: " ".join(str(e) for e in errors) for r, errors in report.errors_by_row().items()}
    assert set(by_row) == {3, 4, 5, 6, 7, 8, 9, 10}
    assert "不能晚于今天" in by_row[3] and "媒体级别" in by_row[4] and "http" in by_row[5]
    assert "找不到名为“不存在的公司”的企业" in by_row[6] and "找不到名为“外区人士”的人员" in by_row[7]
    assert "第 2 行" in by_row[8] and "标题" in by_row[9] and "统一社会信用代码" in by_row[10]


def test_only_the_valid_rows_when_asked(cast, upload):
    rows = [good_rows(cast)[0], row(刊发日期="2025-06-01", 标题="级别", 媒体="天津日报", 媒体级别="宇宙级")]
    report = import_articles(actor=cast.users.staff, path=upload(rows), valid_only=True)
    assert report.committed and report.created == 1 and report.failed == 1
    assert Article.objects.get().title == "科技企业家王建国"


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_the_editors_import_articles(cast, role):
    with pytest.raises(PermissionDenied):
        ArticleImportSpec(actor=getattr(cast.users, role))


def test_the_template_offers_the_levels_and_kinds(cast):
    book = load_workbook(io.BytesIO(import_template(actor=cast.users.staff)))
    headers = [cell.value for cell in book.worksheets[0][1]]
    assert headers[:4] == ["*刊发日期", "*标题", "*媒体", "*媒体级别"] and "类型" in headers
    dictionary = [str(cell.value) for column in book["字典"].columns for cell in column if cell.value]
    assert "中央级" in dictionary and "人物专访" in dictionary


def test_the_names_of_a_cell_are_split_on_chinese_and_latin_separators():
    assert split_names("甲、乙，丙;丁；甲\n戊") == ["甲", "乙", "丙", "丁", "戊"]
    assert split_names("") == []


def test_the_import_pages_check_then_commit(cast, login):
    client = login(cast.users.staff)
    assert client.get(reverse("communications:article_import")).status_code == 200
    template = client.get(reverse("communications:article_import_template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.post(reverse("communications:article_import"),
                           {"file": SimpleUploadedFile("宣传报道.xlsx", xlsx(good_rows(cast)))})
    assert response.status_code == 302 and not Article.objects.exists()  # checked, nothing written yet
    job_url = response["Location"]
    assert "共 3 条" in client.get(job_url).content.decode()
    job_id = job_url.rstrip("/").split("/")[-1]
    response = client.post(reverse("communications:article_import_commit", args=[job_id]))
    assert response.status_code == 302 and Article.objects.count() == 3
    assert login(cast.users.leader).get(reverse("communications:article_import")).status_code == 403
    assert login(cast.users.chamber1).get(reverse("communications:article_import")).status_code == 403


def test_the_command_imports_or_refuses(cast, upload):
    call_command("import_articles", str(upload(good_rows(cast))), "--user", "staff", stdout=io.StringIO())
    assert Article.objects.count() == 3
    with pytest.raises(CommandError):
        call_command("import_articles", str(upload([row(刊发日期="x", 标题="坏", 媒体="天津日报", 媒体级别="市级")],
                                                     name="bad.xlsx")), "--user", "staff", stdout=io.StringIO())
    assert Article.objects.count() == 3
