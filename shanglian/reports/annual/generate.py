"""Generating the annual work report: `generate_report(run)` reads the figures (context.py), draws the charts
(charts.py), renders the Word template (the federation's uploaded one, else the shipped
`reports/data/annual_report_template.docx`) and writes the xlsx of every figure (`reports.workbook`'s rows of the
same catalogue entries), keeping both under MEDIA_ROOT/reports/. The run's `progress` and `step` say how far it is;
it ends done (with its files) or failed (with the reason in Chinese, and no file left behind).

A template is rendered in Jinja2's sandbox with strict undefined names: a template a person uploads can reach no
attribute of the objects it is given beyond plain data, and a tag naming something the report does not provide
is an error (`check_template` refuses such a template before it is used).
"""

import io
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from shanglian.common.excel import export_workbook
from shanglian.common.periods import Period

from .. import workbook
from ..models import ReportRun
from . import charts
from .context import Book, Unavailable, build, sample_context

logger = logging.getLogger(__name__)

SHIPPED_TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "annual_report_template.docx"
FOLDER = "reports"  # MEDIA_ROOT/reports/<uuid>.docx|.xlsx: the runs' files
TEMPLATE_FOLDER = "reports/templates"  # MEDIA_ROOT/reports/templates/<uuid>: uploaded templates (common.uploads)
CHART_WIDTH = Mm(150)
DISTRICTS_SHEET = "各区对比"

FAILED = "生成过程中出错，未生成文件。请稍后重试，或联系系统管理员。"
TEMPLATE_LOST = "报告模板文件已丢失，请重新上传模板或恢复为系统模板后再生成。"
NO_REQUESTER = "申请人账户已不存在，无法按其权限计算指标，请重新生成。"
NOT_ALLOWED = "申请人无权查看该工商联的统计数据。"
TEMPLATE_BROKEN = "报告模板有误：{reason}。请修改模板，或恢复为系统模板后再生成。"


class CannotGenerate(Exception):
    """A run that cannot be generated, with the reason in Chinese."""


# --- files --------------------------------------------------------------------------------------------------------
def folder_path(folder=FOLDER):
    path = Path(settings.MEDIA_ROOT) / folder
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_path(name, folder=FOLDER):
    """The file of a run (`docx_name`/`xlsx_name`) or of an uploaded template (`stored_name`)."""
    return Path(settings.MEDIA_ROOT) / folder / Path(name).name


def template_path(template):
    """The Word template a run uses: its uploaded `ReportTemplate`, or the shipped one for None."""
    return SHIPPED_TEMPLATE if template is None else stored_path(template.stored_name, TEMPLATE_FOLDER)


def download_name(run, kind):
    """河西区工商联2026年度工作报告.docx / …工作报告指标表.xlsx"""
    stem = f"{run.federation.name}{run.year}年度工作报告"
    return f"{stem}.docx" if kind == "docx" else f"{stem}指标表.xlsx"


# --- rendering ----------------------------------------------------------------------------------------------------
def environment():
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def _picture(document, value):
    if isinstance(value, Unavailable):
        return value.reason
    if isinstance(value, charts.Bars):
        png = charts.draw(value)
        if png is None:
            return charts.FONT_MISSING
        return InlineImage(document, io.BytesIO(png), width=CHART_WIDTH)
    return value


def render(source, context):
    """The Word document (bytes) of template `source` (a path or a file) filled with `context`; its charts drawn."""
    document = DocxTemplate(source)
    filled = {name: _picture(document, value) for name, value in context.items()}
    document.render(filled, jinja_env=environment(), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def template_problem(exc):
    """A template error in Chinese."""
    if isinstance(exc, TemplateSyntaxError):
        return f"模板标记书写有误（{exc.message}）"
    if isinstance(exc, UndefinedError):
        return f"模板使用了报告不提供的字段（{exc.message}）"
    return f"模板无法填写（{exc}）"


def check_template(upload):
    """Refuse (ValidationError, in Chinese) a file that is not a Word template the report can be written with: it
    must open as a docx and render the sample context (every tag known, every loop well formed)."""
    upload.seek(0)
    try:
        render(upload, sample_context())
    except (TemplateError, ValueError) as exc:
        raise ValidationError(f"该模板不能用于生成报告：{template_problem(exc)}。请按系统模板的标记修改后再上传。") from exc
    except Exception as exc:  # a zip that is not a Word document, a damaged part …
        logger.info("template refused: %s", exc)
        raise ValidationError("该文件不是可用的 Word（docx）模板：无法打开或填写。请上传用 Word 另存为 .docx 的模板。") from exc
    finally:
        upload.seek(0)


# --- one run ------------------------------------------------------------------------------------------------------
def _tell(run, percent, step, echo=None):
    ReportRun.objects.filter(pk=run.pk).update(progress=max(0, min(100, percent)), step=step[:100])
    if echo is not None:
        echo(percent, step)


def _write(content, extension):
    name = f"{uuid.uuid4().hex}.{extension}"
    (folder_path() / name).write_bytes(content)
    return name


def failure_reason(exc):
    if isinstance(exc, TemplateError):
        return TEMPLATE_BROKEN.format(reason=template_problem(exc))
    if isinstance(exc, PermissionDenied | Http404):
        return NOT_ALLOWED
    if isinstance(exc, FileNotFoundError):
        return TEMPLATE_LOST
    return FAILED


def workbook_sheets(book):
    """The xlsx: the figures' sheet of `reports.workbook` written from the report's own catalogue entries (read
    once), and for a city its districts side by side."""
    rows = [workbook.entry_row(i, entry) for i, entry in enumerate(book.found, start=1)]
    sheets = [(workbook.SHEET, workbook.HEADERS, rows)]
    if book.comparison is not None and book.comparison.districts:
        sheets.append((DISTRICTS_SHEET, book.comparison.headers(), book.comparison.sheet_rows()))
    return sheets


def generate_report(run, *, progress=None):
    """Generate `run` (a `ReportRun`): its progress on the row as it goes (and to `progress(percent, step)`), then
    done with its files, or failed with the reason. Returns the run as it ended."""
    run = ReportRun.objects.select_related("federation", "requested_by", "template").get(pk=run.pk)
    ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.RUNNING, error="")
    written = []
    try:
        _tell(run, 1, "准备生成", progress)
        if run.requested_by is None:
            raise CannotGenerate(NO_REQUESTER)
        source = template_path(run.template)
        if not source.exists():
            raise FileNotFoundError(source)
        book = Book(run.requested_by, Period.year(run.year), federation=run.federation)
        context = build(book, progress=lambda percent, step: _tell(run, percent, step, progress), start=3, end=80)
        _tell(run, 82, "绘制统计图表并生成 Word 文档", progress)
        docx = render(source, context)
        written.append(_write(docx, "docx"))
        _tell(run, 92, "生成 Excel 指标表", progress)
        written.append(_write(export_workbook(workbook_sheets(book)), "xlsx"))
    except Exception as exc:
        reason = str(exc) if isinstance(exc, CannotGenerate) else failure_reason(exc)
        if reason == FAILED:
            logger.exception("annual report run %s failed", run.pk)
        for name in written:
            stored_path(name).unlink(missing_ok=True)
        ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.FAILED, error=reason[:500],
                                                   step="生成失败", finished_at=timezone.now())
        if progress is not None:
            progress(100, f"生成失败：{reason}")
    else:
        ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.DONE, progress=100, step="已完成",
                                                   docx_name=written[0], xlsx_name=written[1],
                                                   finished_at=timezone.now())
        if progress is not None:
            progress(100, "已完成")
    run.refresh_from_db()
    return run
