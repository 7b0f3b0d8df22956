"""工作报告引用指标: the figures the five seed work reports quote, and where the platform gets each of them.

`data/seed-figures.tsv` (a copy of the project's shared list) names the 92 quotes, their values in the reports and
the records each needs; `data/quoted.toml` says, row by row in the same order, what the platform has for it:

- a registered figure (`key`, with the `kwargs` that narrow it, `period` "year" — counted over the period — or
  "as_of" — a state at its end — and `years` when the quote spans several years: 近三年, 连续22年), computed from the
  records by the app that owns them through `reports.values.measure`, with the link to those records;
- an external indicator (`external`: an `ExternalIndicator` code), entered by staff per period with its source;
- or why it is not a figure at all (`not_held`: a description such as "每会1-2个", or records the platform does not
  keep).

`load()` reads and pairs both files (a row of one that does not match the other is a `QuotedError`); `problems()`
checks the mapping against the registry (every key registered, every keyword one the figure takes, every dictionary
item and external indicator present); `measured(user, period, federation=)` gives each quote with what the platform
says for the period — the page (`seed_views.quoted`), its export and whoever else quotes the seeds read it there.
"""

import inspect
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from django.db.models import Q

from shanglian.common.models import DictItem
from shanglian.common.periods import Period
from shanglian.ui import figures as registry

from . import values
from .models import ExternalIndicator

DATA = Path(__file__).resolve().parent / "data"
SEED_FIGURES = DATA / "seed-figures.tsv"
QUOTED = DATA / "quoted.toml"
TSV_HEADER = ["seed", "quote", "value", "records needed to compute it"]

COMPUTED, EXTERNAL, NOT_HELD = "computed", "external", "not_held"
KIND_LABELS = {COMPUTED: "由记录计算", EXTERNAL: "外部指标", NOT_HELD: "非统计数字"}
PERIODS = {"year": "统计期间内", "as_of": "统计期末"}
ENTRY_FIELDS = {"seed", "quote", "key", "kwargs", "period", "years", "external", "not_held", "note"}
NOT_REGISTERED = "平台尚未登记该指标。"
NO_INDICATOR = "外部指标“{code}”尚未建立（在“外部指标”中新增）。"
NO_DICTIONARY_ITEM = "字典项“{kind}/{code}”不存在或已删除。"


class QuotedError(ValueError):
    """The two files do not describe the same quotes, or an entry is malformed."""


@dataclass(frozen=True)
class DictionaryRef:
    """A dictionary item named in `kwargs` by its kind and code; the figure is given its id."""

    kind: str
    code: str


@dataclass(frozen=True)
class Quote:
    number: int  # the row of the tsv, from 1
    seed: str  # the seed's file name
    seed_title: str
    quote: str
    value: str  # as the report writes it ("30余次", "60%（目标）")
    needs: str  # the records needed to compute it
    key: str = ""
    kwargs: tuple = ()  # ((name, value or DictionaryRef), …)
    period: str = ""  # "year" / "as_of"
    years: int = 1
    external: str = ""  # an ExternalIndicator code
    not_held: str = ""  # why it is not a figure
    note: str = ""

    @property
    def kind(self):
        return COMPUTED if self.key else EXTERNAL if self.external else NOT_HELD

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def figure_key(self):
        """The key `values.measure` takes: the registered key, or "external.<code>"; "" when not held."""
        return self.key or (f"{values.EXTERNAL}{self.external}" if self.external else "")

    def period_for(self, period):
        """The period the quote is computed for: `period`, or the `years` calendar years ending with it."""
        if self.years <= 1:
            return period
        return Period.custom(date(period.end.year - self.years + 1, 1, 1), period.end)


@dataclass(frozen=True)
class Seed:
    file: str
    title: str
    quotes: tuple = field(default_factory=tuple)


# --- the two files -----------------------------------------------------------------------------------------------
def _tsv_rows(text):
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or lines[0].split("\t") != TSV_HEADER:
        raise QuotedError(f"{SEED_FIGURES.name}: the header is not {TSV_HEADER}.")
    rows = []
    for number, line in enumerate(lines[1:], start=1):
        cells = line.split("\t")
        if len(cells) != len(TSV_HEADER):
            raise QuotedError(f"{SEED_FIGURES.name} row {number}: {len(cells)} cells, not {len(TSV_HEADER)}.")
        rows.append(cells)
    return rows


def _kwarg(number, name, value):
    if isinstance(value, dict):
        if set(value) != {"dictionary", "code"}:
            raise QuotedError(f"quote {number}: kwarg {name!r} names a dictionary item by "
                              "{ dictionary = …, code = … } only.")
        return DictionaryRef(str(value["dictionary"]), str(value["code"]))
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise QuotedError(f"quote {number}: kwarg {name!r} must be a text, a number or a dictionary item.")
    return value


def parse(tsv_text, toml_text):
    """The quotes of the two files' texts, paired row by row; `QuotedError` when they disagree."""
    rows = _tsv_rows(tsv_text)
    data = tomllib.loads(toml_text)
    entries, titles = data.get("quote", []), data.get("seeds", {})
    if len(entries) != len(rows):
        raise QuotedError(f"{QUOTED.name} has {len(entries)} quotes, {SEED_FIGURES.name} {len(rows)} rows.")
    quotes = []
    for number, ((seed, quote, value, needs), entry) in enumerate(zip(rows, entries, strict=True), start=1):
        if (entry.get("seed"), entry.get("quote")) != (seed, quote):
            raise QuotedError(f"quote {number}: {entry.get('quote')!r} of {entry.get('seed')!r} is not the tsv's "
                              f"{quote!r} of {seed!r}.")
        unknown = set(entry) - ENTRY_FIELDS
        if unknown:
            raise QuotedError(f"quote {number}: unknown fields {sorted(unknown)}.")
        sources = [name for name in ("key", "external", "not_held") if entry.get(name)]
        if len(sources) != 1:
            raise QuotedError(f"quote {number}: exactly one of key, external and not_held, not {sources}.")
        if not entry.get("key") and any(name in entry for name in ("kwargs", "period", "years")):
            raise QuotedError(f"quote {number}: kwargs, period and years belong to a key.")
        if entry.get("key") and entry.get("period") not in PERIODS:
            raise QuotedError(f"quote {number}: period is one of {sorted(PERIODS)}.")
        years = entry.get("years", 1)
        if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 50:
            raise QuotedError(f"quote {number}: years is a whole number from 1 to 50.")
        if seed not in titles:
            raise QuotedError(f"quote {number}: the seed {seed!r} has no title in [seeds].")
        kwargs = tuple((name, _kwarg(number, name, v)) for name, v in (entry.get("kwargs") or {}).items())
        quotes.append(Quote(
            number=number, seed=seed, seed_title=titles[seed], quote=quote, value=value, needs=needs,
            key=entry.get("key", ""), kwargs=kwargs, period=entry.get("period", ""), years=years,
            external=entry.get("external", ""), not_held=entry.get("not_held", ""), note=entry.get("note", "")))
    return tuple(quotes)


@cache
def load():
    """The quotes of `data/seed-figures.tsv` with their mapping in `data/quoted.toml` (read once)."""
    return parse(SEED_FIGURES.read_text(encoding="utf-8"), QUOTED.read_text(encoding="utf-8"))


def seeds(quotes=None):
    """The quotes grouped by seed report, in the files' order."""
    grouped = {}
    for quote in quotes if quotes is not None else load():
        grouped.setdefault((quote.seed, quote.seed_title), []).append(quote)
    return [Seed(file, title, tuple(found)) for (file, title), found in grouped.items()]


def counts(quotes=None):
    """{kind: how many quotes} for the three kinds, in KIND_LABELS order."""
    quotes = quotes if quotes is not None else load()
    return {kind: sum(1 for quote in quotes if quote.kind == kind) for kind in KIND_LABELS}


# --- the mapping against the registry -----------------------------------------------------------------------------
def _accepts(function, name):
    """Whether figure `function` takes keyword `name` (by name, or through its **kwargs — which the figure's own
    narrowing then checks when it is computed)."""
    parameters = inspect.signature(function).parameters
    if name in ("user", "period"):
        return False
    if name in parameters and parameters[name].kind in (inspect.Parameter.KEYWORD_ONLY,
                                                        inspect.Parameter.POSITIONAL_OR_KEYWORD):
        return True
    return any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())


def problems(quotes=None):
    """What is wrong with the mapping (empty when every key is registered and takes its keywords, every dictionary
    item and external indicator exists): a list of sentences for the tests and the check."""
    quotes = quotes if quotes is not None else load()
    found, known = [], registry.registered()
    codes = set(ExternalIndicator.objects.filter(code__in={q.external for q in quotes if q.external})
                .values_list("code", flat=True))
    references = {v for q in quotes for _name, v in q.kwargs if isinstance(v, DictionaryRef)}
    present = _dictionary_ids(references)
    for quote in quotes:
        where = f"quote {quote.number} ({quote.quote[:20]})"
        if quote.kind == COMPUTED:
            spec = known.get(quote.key)
            if spec is None:
                found.append(f"{where}: {quote.key} is not a registered figure.")
                continue
            for name, value in quote.kwargs:
                if not _accepts(spec.function, name):
                    found.append(f"{where}: {quote.key} takes no keyword {name!r}.")
                if isinstance(value, DictionaryRef) and value not in present:
                    found.append(f"{where}: no dictionary item {value.kind}/{value.code}.")
        elif quote.kind == EXTERNAL and quote.external not in codes:
            found.append(f"{where}: no external indicator {quote.external!r}.")
    return found


def _dictionary_ids(references):
    """{DictionaryRef: id} of the dictionary items that exist (one query)."""
    if not references:
        return {}
    condition = Q()
    for ref in references:
        condition |= Q(kind=ref.kind, code=ref.code)
    return {DictionaryRef(kind, code): pk
            for pk, kind, code in DictItem.objects.filter(condition).values_list("pk", "kind", "code")}


# --- what the platform says for a period --------------------------------------------------------------------------
@dataclass(frozen=True)
class Measured:
    """A quote with what the platform has for it in a period: the reported figure (`values.Reported`) of a
    registered or external figure, or why there is none (`reason`: not a figure, not registered …)."""

    quote: Quote
    period: object = None  # the Period it was computed for (None when not held)
    reported: object = None  # values.Reported or None
    reason: str = ""

    @property
    def value(self):
        return None if self.reported is None else self.reported.value

    @property
    def display(self):
        """The value with its unit as a reader writes it ("900个", "66.7%"), "无数据", or "" when not a figure."""
        if self.reported is None:
            return "" if self.quote.kind == NOT_HELD else values.NO_DATA
        reported = self.reported
        if reported.value is None:
            return values.NO_DATA
        unit = reported.unit if reported.unit not in registry.SUFFIX_UNITS else ""
        return f"{reported.display}{unit}"

    @property
    def explanation(self):
        """Why there is no value, where it comes from, and the mapping's note — one line for the page and the export."""
        parts = []
        if self.quote.kind == NOT_HELD:
            parts.append(self.quote.not_held)
        elif self.reported is None:
            parts.append(f"{values.NO_DATA}：{self.reason}")
        else:
            if self.reported.external:
                parts.append(f"外部数据 · 来源：{self.reported.source}")
            if self.reported.value is None:
                parts.append(f"{values.NO_DATA}：{self.reported.missing}")
        if self.quote.note:
            parts.append(self.quote.note)
        return "；".join(part.rstrip("。；") for part in parts if part) + ("。" if parts else "")


def measured(user, period, *, federation=None, quotes=None):
    """Each quote with what the platform says for `period`, for `user` (seen from `federation`, one of its
    scope's — 404 otherwise): registered figures computed through `values.measure` (no 同比/环比: the page
    compares the platform with the reports), external ones read with their source."""
    quotes = quotes if quotes is not None else load()
    seen = values.as_federation(user, federation)  # 404 before anything is counted
    home = federation or user.federation
    targets = values.targets_of(home, period.end.year)
    known = registry.registered()
    codes = set(ExternalIndicator.objects.filter(code__in={q.external for q in quotes if q.external})
                .values_list("code", flat=True))
    ids = _dictionary_ids({v for q in quotes for _name, v in q.kwargs if isinstance(v, DictionaryRef)})
    rows = []
    for quote in quotes:
        if quote.kind == NOT_HELD:
            rows.append(Measured(quote, reason=quote.not_held))
            continue
        span = quote.period_for(period)
        if quote.kind == EXTERNAL and quote.external not in codes:
            rows.append(Measured(quote, span, reason=NO_INDICATOR.format(code=quote.external)))
            continue
        if quote.kind == COMPUTED and quote.key not in known:
            rows.append(Measured(quote, span, reason=NOT_REGISTERED))
            continue
        kwargs, missing = {}, ""
        for name, value in quote.kwargs:
            if isinstance(value, DictionaryRef):
                if value not in ids:
                    missing = NO_DICTIONARY_ITEM.format(kind=value.kind, code=value.code)
                    break
                value = ids[value]
            kwargs[name] = value
        if missing:
            rows.append(Measured(quote, span, reason=missing))
            continue
        reported = values.measure(quote.figure_key, user=seen, period=span, federation=federation, compare=False,
                                  targets=targets, **kwargs)
        rows.append(Measured(quote, span, reported))
    return rows


__all__ = ["COMPUTED", "EXTERNAL", "KIND_LABELS", "NOT_HELD", "DictionaryRef", "Measured", "Quote", "QuotedError",
           "Seed", "counts", "load", "measured", "parse", "problems", "seeds"]
