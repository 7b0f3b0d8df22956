"""外部指标数值导入 (reports/imports.py on the one Excel pipeline, its pages and its command `import_external_values`):
rows become values of the importer's federation (or, for a city's editor, of a district it names) for a year, a
quarter or a month; an indicator is named by its code or its name; a row for a period that already has a value
replaces it (upsert); a bad row (unknown indicator, a quarter and a month together, month 13, NaN, a negative
count, a row repeated in the file) is refused with its row number and nothing is written; only the editors
import."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from shanglian.accounts.roles import Role
from shanglian.audit.models import AuditEvent
from shanglian.reports.imports import ExternalValueImportSpec, import_external_values, import_template
from shanglian.reports.models import ExternalIndicator, ExternalValue, PeriodKind
from shanglian.testing import make_user, xlsx_of

pytestmark = pytest.mark.django_db

HEADERS = ["指标代码或名称", "年份", "季度", "月份", "数值", "数据来源", "备注", "所属工商联"]


def row(**cells):
    assert not set(cells) - set(HEADERS), set(cells) - set(HEADERS)
    return [cells.get(header, None) for header in HEADERS]


def xlsx(rows):
    return xlsx_of(HEADERS, rows)


@pytest.fixture
def upload(tmp_path):
    def write(rows, name="外部指标.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx(rows))
        return path
    return write


def good_rows():
    return [
        row(指标代码或名称="private_value_added", 年份=2025, 数值=319.95, 备注="2025年统计公报"),  # 2
        row(指标代码或名称="民营经济增加值", 年份=2025, 季度=1, 数值="70.5"),  # 3
        row(指标代码或名称="民营企业同比增幅", 年份="2025", 数值="-1.25%", 数据来源="区市场监管局（快报）"),  # 4
        row(指标代码或名称="work_funds", 年份=2025, 月份=3, 数值="1,234.5"),  # 5
    ]


def stored():
    return {(v.indicator.code, v.period_kind, v.year, v.number): (v.value, v.source)
            for v in ExternalValue.objects.select_related("indicator")}


def test_a_good_file_adds_its_values_for_years_quarters_and_months(cast, upload):
    report = import_external_values(actor=cast.users.staff, path=upload(good_rows()))
    assert report.committed and (report.created, report.updated) == (4, 0), [str(e) for e in report.errors]
    assert stored() == {
        ("private_value_added", PeriodKind.YEAR, 2025, 0): (Decimal("319.95"), "区统计局"),
        ("private_value_added", PeriodKind.QUARTER, 2025, 1): (Decimal("70.5"), "区统计局"),
        # text cells are NFKC-normalised: （快报） reads (快报)
        ("private_enterprises_growth", PeriodKind.YEAR, 2025, 0): (Decimal("-1.25"), "区市场监管局(快报)"),
        ("work_funds", PeriodKind.MONTH, 2025, 3): (Decimal("1234.5"), "区财政局"),
    }
    assert set(ExternalValue.objects.values_list("federation", flat=True)) == {cast.district.pk}
    assert set(ExternalValue.objects.values_list("entered_by", flat=True)) == {cast.users.staff.pk}
    event = AuditEvent.objects.get(action="import", object_type="reports.externalvalue")
    assert (event.detail["created"], event.detail["updated"]) == (4, 0)


def test_a_period_that_has_a_value_takes_the_imported_one(cast, upload):
    import_external_values(actor=cast.users.staff, path=upload(good_rows()))
    report = import_external_values(actor=cast.users.admin, path=upload([
        row(指标代码或名称="private_value_added", 年份=2025, 数值="320.1", 数据来源="区统计局（修订）"),
        row(指标代码或名称="private_value_added", 年份=2024, 数值="291.37")], name="again.xlsx"))
    assert report.committed and (report.created, report.updated) == (1, 1)
    assert ExternalValue.objects.count() == 5
    assert stored()[("private_value_added", PeriodKind.YEAR, 2025, 0)] == (Decimal("320.1"), "区统计局(修订)")
    assert ExternalValue.objects.get(year=2025, period_kind="year", indicator__code="private_value_added").entered_by \
        == cast.users.admin


def test_bad_rows_are_refused_with_their_row_number_and_nothing_is_written(cast, upload):
    rows = [
        *good_rows(),
        row(指标代码或名称="gdp", 年份=2025, 数值="1"),  # 6
        row(指标代码或名称="private_enterprises", 年份=2025, 季度=1, 月份=2, 数值="1"),  # 7
        row(指标代码或名称="private_enterprises", 年份=2025, 月份=13, 数值="1"),  # 8
        row(指标代码或名称="private_enterprises", 年份=2025, 数值="NaN"),  # 9
        row(指标代码或名称="private_enterprises", 年份=2025, 数值="-3"),  # 10
        row(指标代码或名称="private_value_added", 年份=2025, 数值="300"),  # 11: repeats row 2
        row(指标代码或名称="private_enterprises", 年份=1800, 数值="1"),  # 12
        row(指标代码或名称="private_enterprises", 年份=2024, 数值="1", 所属工商联="南开区工商联"),  # 13
        row(指标代码或名称="private_enterprises", 年份=2023),  # 14
    ]
    report = import_external_values(actor=cast.users.staff, path=upload(rows))
    assert not report.committed and not ExternalValue.objects.exists()
    errors = {e.row: str(e) for e in report.errors}
    assert set(errors) == {6, 7, 8, 9, 10, 11, 12, 13, 14}
    assert "找不到代码或名称为“gdp”的外部指标" in errors[6]
    assert "季度和月份只能填写一项" in errors[7]
    assert "【月份】月份应为 1–12 之间的整数" in errors[8]
    assert "【数值】数值应为数字" in errors[9]
    assert "不能为负数" in errors[10]
    assert "与第 2 行重复" in errors[11]
    assert "年份应在 1950 至 2999 年之间" in errors[12]
    assert "不在您的管理范围内" in errors[13]
    assert "【数值】" in errors[14]


def test_only_the_valid_rows_when_asked(cast, upload):
    report = import_external_values(actor=cast.users.staff, valid_only=True, path=upload([
        *good_rows(), row(指标代码或名称="gdp", 年份=2025, 数值="1")]))
    assert report.committed and report.created == 4 and report.failed == 1


def test_a_stopped_indicator_is_not_imported(cast, upload):
    ExternalIndicator.objects.filter(code="work_funds").update(active=False)
    report = import_external_values(actor=cast.users.staff, path=upload(good_rows()))
    assert not report.committed and [e.row for e in report.errors] == [5]


def test_a_city_editor_imports_for_its_districts_by_name(cast, upload):
    city_staff = make_user(Role.STAFF, federation=cast.city)
    report = import_external_values(actor=city_staff, path=upload([
        row(指标代码或名称="private_value_added", 年份=2025, 数值="319.95", 所属工商联="河西区工商联"),
        row(指标代码或名称="private_value_added", 年份=2025, 数值="208.4", 所属工商联="南开区工商联"),
        row(指标代码或名称="private_value_added", 年份=2025, 数值="1500")]))
    assert report.committed and report.created == 3
    assert dict(ExternalValue.objects.values_list("federation", "value")) == {
        cast.district.pk: Decimal("319.95"), cast.other.pk: Decimal("208.4"), cast.city.pk: Decimal("1500")}


@pytest.mark.parametrize("role", ["leader", "chamber1", "dept1", "ent1", "auditor"])
def test_only_the_editors_import_external_values(cast, role):
    with pytest.raises(PermissionDenied):
        ExternalValueImportSpec(actor=getattr(cast.users, role))


def test_the_template_offers_the_indicators_and_the_federations(cast):
    book = load_workbook(io.BytesIO(import_template(actor=cast.users.staff)))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:5] == ["*指标代码或名称", "*年份", "季度", "月份", "*数值"]
    offered = {c.value for column in book["字典"].columns for c in column}
    assert {"民营经济增加值", "private_value_added", "河西区工商联"} <= offered


def test_the_import_pages_check_then_commit(cast, login):
    client = login(cast.users.staff)
    assert "导入" in client.get(reverse("reports:externals")).content.decode()
    assert client.get(reverse("reports:external_import")).status_code == 200
    template = client.get(reverse("reports:external_import_template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.post(reverse("reports:external_import"),
                           {"file": SimpleUploadedFile("外部指标.xlsx", xlsx(good_rows()))})
    assert response.status_code == 302 and not ExternalValue.objects.exists()  # checked, nothing written yet
    job_url = response["Location"]
    assert "共 4 条" in client.get(job_url).content.decode()
    job_id = job_url.rstrip("/").split("/")[-1]
    response = client.post(reverse("reports:external_import_commit", args=[job_id]))
    assert response.status_code == 302 and ExternalValue.objects.count() == 4
    for role in ("leader", "chamber1", "dept1", "ent1", "auditor"):
        assert login(getattr(cast.users, role)).get(reverse("reports:external_import")).status_code == 403, role


def test_the_command_imports_or_refuses(cast, upload):
    call_command("import_external_values", str(upload(good_rows())), "--user", "staff", stdout=io.StringIO())
    assert ExternalValue.objects.count() == 4
    with pytest.raises(CommandError):
        call_command("import_external_values", str(upload([row(指标代码或名称="gdp", 年份=2025, 数值="1")],
                                                            name="bad.xlsx")), "--user", "staff",
                     stdout=io.StringIO())
    assert ExternalValue.objects.count() == 4
