"""The rows an upload's preview checked, kept with its job so that 确认导入 commits them without reading
and checking the file again (`common.excel.commit_checked`; the spec checks again only what can have
changed since: what a row names in the database).

Kept under MEDIA_ROOT/imports/<job uuid>.rows, one JSON array a line ([Excel row, value of each column of
the spec]; dates ISO, decimals as text), written as the preview goes (memory stays flat) and signed: an
HMAC over the job's id, its kind and every line, keyed from SECRET_KEY, is kept in the job row. A file
that does not match its signature is never used: the commit then reads the upload again, as a direct
import does. Deleted with the upload (after the commit, or after 24 hours)."""

import hashlib
import hmac
import json
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from itertools import islice
from json.encoder import c_make_encoder, encode_basestring
from operator import itemgetter

from django.conf import settings

MAC_KEY = "rows_mac"  # in ImportJob.result
_BUFFERED = 2000  # lines written (and signed) at a time: the same file and signature as line by line


def _as_text(value):
    """What JSON has no type for, as text: a date ISO (2024-03-05), a decimal as it prints."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not kept in checked rows")


# dates and decimals become text inside the C encoder, built once (JSONEncoder.encode builds it per call)
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_as_text)
if c_make_encoder is not None:  # what _ENCODER.encode runs, without its per-call set-up
    _C_ENCODER = c_make_encoder(None, _as_text, encode_basestring, None, ":", ",", False, False, True)

    def _encode_line(row):
        return "".join(_C_ENCODER(row, 0))
else:
    _encode_line = _ENCODER.encode


def _mac(job):
    key = hashlib.sha256(b"shanglian.imports.checked-rows:" + settings.SECRET_KEY.encode()).digest()
    mac = hmac.new(key, digestmod=hashlib.sha256)
    mac.update(f"{job.pk}:{job.kind}\n".encode())
    return mac


def _codecs(spec):
    """(encode, decode) for the spec's columns: dates and decimals as text, the rest as JSON has it."""
    keys = [column.key for column in spec.columns]
    kinds = [column.kind for column in spec.columns]
    dated = [index for index, kind in enumerate(kinds) if kind == "date"]
    decimal = [index for index, kind in enumerate(kinds) if kind == "decimal"]
    row_of = itemgetter(*keys) if len(keys) > 1 else (lambda values: (values[keys[0]],))
    encode_line = _encode_line

    def encode(excel_row, values):
        try:
            row = row_of(values)  # every column's key is in the values run_import hands over
        except KeyError:
            row = [values.get(key) for key in keys]
        return encode_line([excel_row, *row])

    typed = [(index + 1, date.fromisoformat) for index in dated] + [(index + 1, Decimal) for index in decimal]

    def decode(lines):
        """Lines (each one JSON array) → their rows, parsed by one json.loads."""
        out = []
        for row in json.loads("[" + ",".join(lines) + "]"):
            for index, parse in typed:
                if row[index] is not None:
                    row[index] = parse(row[index])
            out.append((row[0], dict(zip(keys, islice(row, 1, None), strict=True))))
        return out

    return encode, decode


def can_keep(spec):
    """Whether the spec re-checks stored rows (`recheck_row`); otherwise the commit reads the file again."""
    return spec.recheck_row is not None


@contextmanager
def keeping(job, spec):
    """Yields `keep(excel_row, values)` for `run_import(checked=...)`; on success the signature goes into
    `job.result` (saved by the caller)."""
    encode, _ = _codecs(spec)
    mac = _mac(job)
    path = job.rows_path
    try:
        with open(path, "w", encoding="utf-8") as out:
            pending = []

            def flush():
                text = "".join(pending)
                mac.update(text.encode())
                out.write(text)
                pending.clear()

            def keep(excel_row, values):
                pending.append(encode(excel_row, values) + "\n")
                if len(pending) >= _BUFFERED:
                    flush()
            yield keep
            flush()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    job.result[MAC_KEY] = mac.hexdigest()


def available(job):
    """Whether the job has checked rows whose signature is right (read once, before they are used)."""
    expected = job.result.get(MAC_KEY)
    if not expected or not job.rows_path.exists():
        return False
    mac = _mac(job)
    with open(job.rows_path, "rb") as rows:
        for chunk in iter(lambda: rows.read(1 << 20), b""):
            mac.update(chunk)
    return hmac.compare_digest(mac.hexdigest(), expected)


class TamperedRows(Exception):
    """The checked rows changed while they were read (raised inside the commit's transaction)."""


def rows(job, spec):
    """The checked rows, (excel_row, values) in file order (call `available(job)` first). The signature
    is checked again as they are read: TamperedRows after the last one if it no longer matches."""
    _, decode = _codecs(spec)
    mac = _mac(job)
    with open(job.rows_path, encoding="utf-8") as lines:
        while block := list(islice(lines, _BUFFERED)):
            mac.update("".join(block).encode())
            yield from decode(block)
    if not hmac.compare_digest(mac.hexdigest(), job.result.get(MAC_KEY, "")):
        raise TamperedRows(f"the checked rows of import job {job.pk} changed after they were verified")


def discard(job):
    job.rows_path.unlink(missing_ok=True)
