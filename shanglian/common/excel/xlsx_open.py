"""Safe opening: refuse what is not a sane xlsx *before* any parser sees it (ASVS 12.1)."""

import zipfile
from pathlib import Path

from .spec import ExcelError

# --- Limits (ASVS 12.1) ------------------------------------------------------------------------------
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # the file as uploaded
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all zip entries inflated (a 100,000-row roster is ~90 MB)
MAX_ZIP_ENTRIES = 1000

_ZIP_MAGIC = b"PK\x03\x04"
NOT_XLSX = "文件不是有效的 Excel（.xlsx）文件，请使用下载的模板填写后上传。"


def check_xlsx(path):
    """Refuse anything that is not a reasonable xlsx before any parser sees it (ASVS 12.1.1, 12.1.2,
    12.2.1): size, zip magic, the OOXML parts, entry count, then the declared *and* the actual
    inflated size (a zip may lie about its sizes: every entry is inflated in bounded chunks and
    counted, which costs ~0.15 s for a 100,000-row roster and caps memory at one chunk)."""
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
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise ExcelError("文件结构异常（包含的部件过多），已拒绝导入。")
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names \
                    or not any(name.startswith("xl/worksheets/") for name in names):
                raise ExcelError(NOT_XLSX)
            if any(entry.flag_bits & 0x1 for entry in entries):
                raise ExcelError("文件已加密，请取消密码保护后重新上传。")
            if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
                raise ExcelError("文件解压后过大，疑似异常文件，已拒绝导入。")
            inflated = 0
            for entry in entries:
                with archive.open(entry) as member:
                    while chunk := member.read(1 << 20):
                        inflated += len(chunk)
                        if inflated > MAX_UNCOMPRESSED_BYTES:
                            raise ExcelError("文件解压后过大，疑似异常文件，已拒绝导入。")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        # BadZipFile also covers an entry whose real content does not match its declared size (CRC)
        raise ExcelError(NOT_XLSX) from exc
