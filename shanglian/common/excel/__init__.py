"""The one Excel pipeline of the project (DESIGN §5). Every import and every export goes through here;
import its public names from `shanglian.common.excel`, never from the stage modules.

Import (entity-agnostic; an entity declares an `ImportSpec`), one module per stage:

    spec.py        Column, ImportSpec, ImportReport (RowError, FailedRow), ExcelError
    xlsx_open.py   check_xlsx(): refuse what is not a sane xlsx *before* parsing it: file size, zip
                   magic, [Content_Types].xml, entry count, declared and actual uncompressed size (zip bomb)
    reader.py      open_sheet() / read_rows(): python-calamine; the header row is found in the first rows
                   by the spec's headers (title rows above it, "*" marks, spaces and aliases tolerated);
                   blank rows skipped; each row keeps its Excel row number
    normalise.py   converter() / convert(): NFKC, full-width spaces, trim; calamine floats back to text for
                   codes (13800138000.0 → "13800138000"; 9.1110000600037E+17 is refused); dates from
                   serials, datetimes and 2021-03-05 / 2021/3/5 / 2021.3.5 / 2021年3月5日; amounts of money
                   (`parse_money`: "1,234.50", "１２３４", "¥12", "1.5万元" → Decimal yuan to the fen); 是/否; choices
    run.py         run_import(): every row checked, every error kept as (Excel row, column, reason),
                   duplicates of the natural key inside the file, the spec's own checks → `ImportReport`;
                   unless dry run, the clean rows are committed in batches inside ONE transaction:
                   all-or-nothing, or only the valid rows (`valid_only=True`); `progress(done, total)`
                   after each batch; `checked` receives each row that passed (the upload's preview
                   keeps them). commit_checked(): commits those rows without reading the file again,
                   after the spec's `recheck_row` (only what can have changed: what a row names in
                   the database); cells are converted a column at a time with a cache of distinct values
    bulk.py        insert_rows() / update_rows() for commit hooks that write many rows: multi-row
                   INSERTs / one `executemany` per batch instead of the ORM's per-object SQL compilation

Export (writer.py): `export_xlsx()` / `export_workbook()` (xlsxwriter, constant memory, formula
injection neutralised), `template_xlsx()` (openpyxl: "*" on required headers, dropdowns from a hidden
字典 sheet, text-formatted code columns, 填写说明), `error_report_xlsx()`, `attachment_response()`.
The audited export of a page (immediate or as a background job) is `shanglian.imports.exports`.
"""

from .bulk import insert_rows, update_rows
from .normalise import (
    MONEY_LIMIT,
    clean_prose,
    clean_text,
    convert,
    converter,
    normalise_text,
    parse_date,
    parse_money,
)
from .reader import open_sheet, read_rows
from .run import commit_checked, run_import
from .spec import BATCH_SIZE, Column, ExcelError, FailedRow, ImportReport, ImportSpec, RowError
from .writer import (
    XLSX_CONTENT_TYPE,
    attachment_response,
    error_report_xlsx,
    export_filename,
    export_workbook,
    export_xlsx,
    neutralise,
    template_xlsx,
    xlsx_response,
)
from .xlsx_open import MAX_UNCOMPRESSED_BYTES, MAX_UPLOAD_BYTES, MAX_ZIP_ENTRIES, check_xlsx

__all__ = [
    "BATCH_SIZE", "MAX_UNCOMPRESSED_BYTES", "MONEY_LIMIT", "MAX_UPLOAD_BYTES", "MAX_ZIP_ENTRIES", "XLSX_CONTENT_TYPE",
    "Column", "ExcelError", "FailedRow", "ImportReport", "ImportSpec", "RowError",
    "attachment_response", "check_xlsx", "commit_checked", "clean_prose", "clean_text", "convert", "converter",
    "error_report_xlsx", "export_filename", "export_workbook", "export_xlsx", "insert_rows", "neutralise",
    "normalise_text", "open_sheet", "parse_date", "parse_money", "read_rows", "run_import", "template_xlsx", "update_rows",
    "xlsx_response",
]
