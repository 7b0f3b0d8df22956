"""Safe opening: refuse what is not a sane xlsx *before* any parser sees it (ASVS 12.1)."""

from pathlib import Path

from shanglian.common.ooxml import NOT_OFFICE, UnsafeDocument, check_ooxml

from .spec import ExcelError

# --- Limits (ASVS 12.1) ------------------------------------------------------------------------------
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # the file as uploaded
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all zip entries inflated (a 100,000-row roster is ~90 MB)
MAX_ZIP_ENTRIES = 1000

_ZIP_MAGIC = b"PK\x03\x04"
NOT_XLSX = "文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写后上传。"


def check_xlsx(path):
    """Refuse anything that is not a reasonable xlsx before any parser sees it (ASVS 12.1.1, 12.1.2,
    12.2.1): size, zip magic, then `common.ooxml.check_ooxml` (entry count, the declared *and* the
    actual inflated size, no DTD/entities, every worksheet's extent within bounds, so that calamine
    never allocates a huge sparse range), then the OOXML parts."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise ExcelError("上传的文件是空的，请检查后重新选择。")
    if size > MAX_UPLOAD_BYTES:
        raise ExcelError(f"文件超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB，请拆分后分批导入。")
    with path.open("rb") as handle:
        if handle.read(4) != _ZIP_MAGIC:
            raise ExcelError(NOT_XLSX)
    try:
        names = set(check_ooxml(path, max_uncompressed=MAX_UNCOMPRESSED_BYTES, max_entries=MAX_ZIP_ENTRIES))
    except UnsafeDocument as exc:
        raise ExcelError(str(exc) if str(exc) != NOT_OFFICE else NOT_XLSX) from exc
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names \
            or not any(name.startswith("xl/worksheets/") for name in names):
        raise ExcelError(NOT_XLSX)
