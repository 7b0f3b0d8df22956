"""The declarations of an import: `Column`, `ImportSpec` (what one entity's import needs), the
`ImportReport` it produces with its `RowError`s and `FailedRow`s, and `ExcelError` (a whole-file problem)."""

from collections.abc import Mapping
from dataclasses import dataclass, field

BATCH_SIZE = 2000


class ExcelError(Exception):
    """A problem with the whole file (not one row): its message is shown to the user as it is."""


@dataclass(frozen=True)
class Column:
    """One column of an import spec.

    kind: text | prose (long text such as a policy's full text: line breaks and full-width punctuation
    kept) | code (identifiers and phone numbers: kept as text, never as numbers) | int | decimal
    | money (an amount in yuan to the fen: thousands separators, full-width digits, ¥, 元 and 万元 as people
    type them — `normalise.parse_money`) | date | bool | choice. choices: the allowed labels — a list (the label is the value), a mapping
    label → stored value (e.g. 企业会员 → "enterprise", or a dictionary label → its id), or a callable
    returning either, resolved once per import and once per template."""

    key: str
    header: str
    required: bool = False
    kind: str = "text"
    choices: object = None
    max_length: int | None = None
    example: str = ""
    help: str = ""
    aliases: tuple = ()  # other headers accepted for this column (e.g. 规模 for 企业规模)
    max_value: object = None  # int / decimal / money columns (money: `normalise.MONEY_LIMIT` when not given)
    decimal_places: int | None = None  # decimal columns: rounded half up to this many places
    zero_pad: int | None = None  # code columns: a code typed as a number (111.0) is padded ("0111")

    KINDS = ("text", "prose", "code", "int", "decimal", "money", "date", "bool", "choice")

    def __post_init__(self):
        if self.kind not in self.KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    def choice_map(self):
        """Allowed labels → stored values (a list of labels maps each label to itself)."""
        choices = self.choices() if callable(self.choices) else self.choices
        if self.kind == "bool" and not choices:
            return {"是": True, "否": False}
        if isinstance(choices, Mapping):
            return dict(choices)
        return {label: label for label in choices or ()}

    def choice_labels(self):
        return list(self.choice_map())

    @property
    def headers(self):
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class RowError:
    row: int  # the Excel row number, as the user sees it
    column: str  # the column header, "" for an error of the whole row
    reason: str

    def __str__(self):
        return f"第 {self.row} 行" + (f"【{self.column}】" if self.column else "") + self.reason


@dataclass
class FailedRow:
    row: int
    values: dict  # header → the cell as the user typed it (text)
    reasons: list  # "列：原因" texts


@dataclass
class ImportReport:
    total: int = 0  # data rows read (blank rows are not counted)
    succeeded: int = 0  # rows that passed every check (written when `committed`)
    failed: int = 0
    created: int = 0
    updated: int = 0
    committed: bool = False
    dry_run: bool = True
    valid_only: bool = False
    errors: list = field(default_factory=list)  # RowError, in row order
    failed_rows: list = field(default_factory=list)  # FailedRow, for the error report
    headers: list = field(default_factory=list)  # the recognised headers, in file order

    @property
    def summary(self):
        return f"共 {self.total} 条，成功 {self.succeeded} 条，失败 {self.failed} 条"

    def errors_by_row(self):
        grouped = {}
        for error in self.errors:
            grouped.setdefault(error.row, []).append(error)
        return grouped


class ImportSpec:
    """What one entity's import needs. Subclass it (override the hooks), or pass the hooks:

        ImportSpec(title="政策", columns=[...], clean_row=fn, natural_key=fn, commit=fn)

    Hooks:
      prepare()                       load lookups once (dictionaries, existing keys), before any row
      clean_row(values, failed)       cross-field and database checks of one row's typed values (None
                                      where a cell was empty or failed; `failed` = headers of the cells
                                      that failed): return [(header, reason)]; may normalise values
      natural_key(values)             a hashable key; rows with equal keys are duplicates in the file
                                      ("与第 N 行重复"); `unique` names further columns checked the same way
      commit(batch)                   write [(excel_row, values)] of clean rows; return (created, updated)
      finish()                        after the last batch (inside the transaction): bring up to date the
                                      derived data the batches' bulk writes passed by (a summary)
      audit(report)                   the audit record of a committed import (inside the transaction)
      recheck_row(values)             optional (None: not offered): the checks of a row that passed the
                                      preview, before it is committed from the stored checked rows
                                      (`commit_checked`): only what can have changed since, i.e. what the
                                      row names in the database (its keys' owners, the numbers it takes,
                                      the records it refers to), after `prepare()` loaded them again;
                                      sets the values `clean_row` derived from the database again; returns
                                      [(header, reason)]
    """

    title = ""
    columns: list = []
    unique = ()  # keys of columns whose non-empty values must not repeat in the file (besides the natural key)
    batch_size = BATCH_SIZE
    recheck_row = None  # a spec that can commit the rows its preview checked defines it (see above)

    def __init__(self, *, actor=None, title=None, columns=None, clean_row=None, natural_key=None, commit=None,
                 prepare=None, finish=None, audit=None, batch_size=None):
        self.actor = actor
        if title is not None:
            self.title = title
        if columns is not None:
            self.columns = list(columns)
        for name, hook in (("clean_row", clean_row), ("natural_key", natural_key), ("commit", commit),
                           ("prepare", prepare), ("finish", finish), ("audit", audit)):
            if hook is not None:
                setattr(self, name, hook)
        if batch_size:
            self.batch_size = batch_size

    def prepare(self):
        pass

    def clean_row(self, values, failed_headers):
        return []

    def natural_key(self, values):
        return None  # no key: duplicates are not looked for

    def commit(self, batch):
        raise NotImplementedError(f"{type(self).__name__}.commit")

    def finish(self):
        """After the last batch, in the same transaction: bring up to date what the batches' bulk writes
        passed by (a maintained summary)."""

    def audit(self, report):
        pass
