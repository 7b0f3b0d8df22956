"""The run: every row checked, every error kept, the clean rows committed in ONE transaction."""

from contextlib import nullcontext
from itertools import islice

from django.db import transaction

from .bulk import write_cache
from .normalise import EMPTY, CellProblem, convert_column, converter, normalise_text
from .reader import open_sheet
from .spec import ExcelError, FailedRow, ImportReport, RowError
from .xlsx_open import check_xlsx

REQUIRED = "不能为空"
_NONE_FAILED = frozenset()  # what `clean_row` is told failed in a row whose cells all converted


def run_import(spec, path, *, dry_run=True, valid_only=False, progress=None, checked=None):
    """Check every row of the file; unless `dry_run`, commit the clean rows in batches of
    `spec.batch_size` inside one transaction — nothing at all if a row failed (unless `valid_only`,
    which commits the valid rows and reports the others). Returns an `ImportReport`.

    Batches are written as soon as they are checked (memory stays flat for any file size); when a
    row fails and `valid_only` is off, writing stops and the transaction is rolled back at the end,
    after every row has been checked so that the report lists every error.

    `checked(excel_row, values)`, when given, receives each row that passed (the preview keeps them for
    `commit_checked`)."""
    check_xlsx(path)
    spec.prepare()
    sheet = open_sheet(path, spec)
    report = ImportReport(dry_run=dry_run, valid_only=valid_only, headers=[column.header for column in sheet.mapping.values()])
    present = list(sheet.mapping.items())
    plan = [(position, column.key, column.header, column.required,
             converter(column, column.choice_map() if column.kind == "choice" else None))
            for position, column in present]
    absent = {c.key: None for c in spec.columns if c not in sheet.mapping.values()}
    expected = max(0, sheet.height - sheet.header_row)
    writing = not dry_run
    seen = {}
    unique_plan = [(c.key, c.header, {}) for c in spec.columns if c.key in spec.unique]
    pending = []
    written = 0

    def flush():
        nonlocal written
        created, updated = spec.commit(pending)
        report.created += created
        report.updated += updated
        written += len(pending)
        pending.clear()
        if progress:
            progress(written, expected)

    keys = [key for _, key, _, _, _ in plan]
    caches = [{} for _ in plan]
    block_size = max(spec.batch_size, 1)
    excel_row = sheet.header_row

    with write_cache() if writing else nullcontext(), transaction.atomic() if writing else nullcontext():
        while block := list(islice(sheet.rows, block_size)):
            columns, problems, blank = _convert_block(block, plan, caches)
            for index, row_values in enumerate(zip(*columns, strict=True)):
                excel_row += 1
                if index in blank:
                    continue  # blank rows (and the template's preformatted empty rows) are skipped
                values = dict(absent)
                values.update(zip(keys, row_values, strict=True))
                reasons = problems.get(index)
                report.total += 1
                if reasons:
                    failed_headers = {header for header, _ in reasons}
                    reasons.extend((header, reason) for header, reason in spec.clean_row(values, failed_headers)
                                   if not header or header not in failed_headers)
                else:
                    reasons = list(spec.clean_row(values, _NONE_FAILED))
                if not reasons:
                    key = spec.natural_key(values)
                    if key is not None:
                        first = seen.setdefault(key, excel_row)
                        if first != excel_row:
                            reasons.append(("", f"与第 {first} 行重复"))
                    for unique_key, unique_header, unique_seen in unique_plan if not reasons else ():
                        value = values.get(unique_key)
                        if value is not None and (first := unique_seen.setdefault(value, excel_row)) != excel_row:
                            reasons.append((unique_header, f"与第 {first} 行重复"))
                if reasons:
                    cells = block[index]
                    width = len(cells)
                    report.failed += 1
                    report.errors.extend(RowError(excel_row, header, reason) for header, reason in reasons)
                    report.failed_rows.append(FailedRow(
                        excel_row,
                        {column.header: normalise_text(cells[position]) if position < width else ""
                         for position, column in present},
                        [f"{header}：{reason}" if header else reason for header, reason in reasons]))
                    if writing and not valid_only:
                        writing = False  # all-or-nothing: nothing more is written; rolled back below
                        pending.clear()
                    continue
                report.succeeded += 1
                if checked is not None:
                    checked(excel_row, values)
                if writing:
                    pending.append((excel_row, values))
                    if len(pending) >= spec.batch_size:
                        flush()
        if report.total == 0:
            raise ExcelError("表格中没有数据：表头下方的行都是空的。")
        if not dry_run:
            if report.failed and not valid_only:
                transaction.set_rollback(True)
                report.created = report.updated = 0
            elif report.succeeded:
                if pending:
                    flush()
                spec.finish()
                report.committed = True
                spec.audit(report)
    return report


def commit_checked(spec, rows, *, total, failed=0, valid_only=False, progress=None):
    """Commit the rows a preview checked (`rows`: (excel_row, values) in file order, as `run_import`
    handed them to `checked`), without reading the file again: each row is checked again by
    `spec.recheck_row` only for what can have changed since the preview (what it names in the
    database), then written in batches inside ONE transaction — nothing if a row now fails, unless
    `valid_only`. `total` and `failed` are the preview's counts (the report adds the rows that fail
    now). Returns an `ImportReport` whose errors are those of this second check."""
    spec.prepare()
    report = ImportReport(dry_run=False, valid_only=valid_only, total=total, failed=failed)
    pending = []
    written = 0
    writing = True
    with write_cache(), transaction.atomic():
        for excel_row, values in rows:
            reasons = spec.recheck_row(values)
            if reasons:
                report.failed += 1
                report.errors.extend(RowError(excel_row, header, reason) for header, reason in reasons)
                if not valid_only:
                    writing = False
                    pending.clear()
                continue
            report.succeeded += 1
            if writing:
                pending.append((excel_row, values))
                if len(pending) >= spec.batch_size:
                    created, updated = spec.commit(pending)
                    report.created, report.updated = report.created + created, report.updated + updated
                    written += len(pending)
                    pending.clear()
                    if progress:
                        progress(written, total)
        if report.errors and not valid_only:
            transaction.set_rollback(True)
            report.created = report.updated = 0
        elif report.succeeded:
            if pending:
                created, updated = spec.commit(pending)
                report.created, report.updated = report.created + created, report.updated + updated
                if progress:
                    progress(written + len(pending), total)
            spec.finish()
            report.committed = True
            spec.audit(report)
    return report


def _convert_block(block, plan, caches):
    """A block of rows converted a column at a time (`convert_column`, with each column's cache of
    distinct values). Returns the columns of typed values (None where empty or failed), the reasons of
    each row that has any ({row index: [(header, reason)]}, in column order) and the blank rows."""
    width = min(map(len, block))
    needed = max((position for position, *_ in plan), default=-1) + 1
    if width < needed:  # a short row: the cells it lacks are empty
        block = [row if len(row) >= needed else [*row, *[""] * (needed - len(row))] for row in block]
    columns, problems, blank = [], {}, None
    for (position, _, header, required, convert_cell), cache in zip(plan, caches, strict=True):
        cells = [row[position] for row in block]
        out = convert_column(convert_cell, cells, cache)
        if blank is None or blank:  # a cell of spaces only converts to None: as blank as an empty one
            empty = {index for index, value in enumerate(out) if value is EMPTY or (
                value is None and cells[index].__class__ is str and not cells[index].strip())} \
                if EMPTY in out or None in out else set()
            blank = empty if blank is None else blank & empty
        if CellProblem not in set(map(type, out)) and not (required and None in out):
            columns.append(out)  # nothing failed, nothing required missing: the common case
            continue
        for index, value in enumerate(out):
            if value.__class__ is CellProblem:
                out[index] = None
                if value is not EMPTY:
                    problems.setdefault(index, []).append((header, value.reason))
                elif required:
                    problems.setdefault(index, []).append((header, REQUIRED))
            elif value is None and required:
                problems.setdefault(index, []).append((header, REQUIRED))
        columns.append(out)
    return columns, problems, blank or set()
